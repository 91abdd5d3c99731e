// TlsTestServer: an HTTPS server on 127.0.0.1 for tests, with a throwaway
// CA made for it alone (the fake Zoom and the TLS tests build on it): the
// daemon's connection loop (http::LoopServer) serving TLS.
//
// Construct it, register handlers on server(), then Start(): it serves on
// a free port in a background thread. Clients trust ca_file(). Stop() or
// the destructor stops the server and joins the thread. Setup failures
// abort the test binary with a message, like TempDir.
#ifndef TELEMED_TESTS_SUPPORT_TLS_TEST_SERVER_H_
#define TELEMED_TESTS_SUPPORT_TLS_TEST_SERVER_H_

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/loop_server.h"
#include "support/temp_dir.h"
#include "tls/certificate.h"
#include "tls/server_tls_config.h"

namespace telemed {

namespace test {

class TlsTestServer final {
 public:
  struct Options {
    // Names in the server certificate's subjectAltName.
    std::vector<std::string> dns_names = {"localhost"};
    std::vector<std::string> ip_addresses = {"127.0.0.1"};
    // true: the server certificate expired an hour ago (its CA is valid).
    bool expired = false;
    std::chrono::milliseconds handshake_timeout{5000};
    time_t keep_alive_timeout_sec = 5;
    int worker_threads = 32;
    size_t max_connections = 2048;
    // The loop's limits on a request's head and body.
    http::HeadLimits head = Limits();
  };

  TlsTestServer();
  explicit TlsTestServer(const Options& options);
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  // Register handlers before Start().
  httplib::Server& server();
  // Binds 127.0.0.1 on a free port and returns once it accepts.
  void Start();
  // Stops serving and returns once every connection is closed.
  void Stop();
  // New connections get a new certificate for `common_name` from the same
  // CA; open ones keep theirs.
  void RenewCertificate(const std::string& common_name);
  // New connections use `tls` (another certificate or key type).
  void SetTlsConfig(std::shared_ptr<const tls::ServerTlsConfig> tls);

  int port() const { return port_; }
  // "https://127.0.0.1:<port>" + path.
  std::string Url(const std::string& path) const;
  // The CA that signed the server's certificate, as a PEM file.
  const std::string& ca_file() const { return ca_file_; }

  // A fresh CA (valid from an hour ago for a day), for tests that need one
  // the server does not use. Aborts on failure.
  static tls::CertificateAndKey MakeCa(const std::string& common_name);
  // Writes `contents` to `path`; aborts on failure.
  static void WriteFile(const std::string& path, const std::string& contents);
  // The fake Zoom's bodies are larger than the API's 64 KiB.
  static http::HeadLimits Limits();

 private:
  // The server's TLS setup with a new certificate from ca_.
  std::shared_ptr<const tls::ServerTlsConfig> MakeTls(
      tls::CertificateSpec spec) const;

  const Options options_;
  TempDir dir_;
  tls::CertificateAndKey ca_;
  std::string ca_file_;
  std::unique_ptr<http::LoopServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_TLS_TEST_SERVER_H_
