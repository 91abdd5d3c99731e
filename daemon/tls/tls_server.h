// TlsServer: cpp-httplib's HTTP server speaking TLS through mbedTLS.
//
// Register handlers exactly as on httplib::Server (Get, Post, ...), then
// bind and listen; every connection is TLS (1.2 or newer) with the
// configured certificate chain. See tls_stream.h for why the bridge does
// TLS this way rather than through httplib's own SSLServer.
//
// Each connection holds one worker while it is open, so the pool is sized
// by Options::worker_threads and a client that never finishes its
// handshake is dropped after Options::handshake_timeout (httplib's 8
// default workers let 10 idle clients stall the next one).
#ifndef TELEMED_TLS_TLS_SERVER_H_
#define TELEMED_TLS_TLS_SERVER_H_

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "base/random.h"
#include "base/status.h"
#include "tls/mbedtls_owners.h"

namespace telemed {
namespace tls {

class TlsSession;

class TlsServer final : public httplib::Server {
 public:
  struct Options {
    // PEM text: our certificate first, then any intermediates; and its
    // private key (unencrypted). When empty, read from the files below.
    std::string cert_chain_pem;
    std::string key_pem;
    std::string cert_chain_file;
    std::string key_file;
    // A connection that has not completed its handshake by then is closed.
    std::chrono::milliseconds handshake_timeout{5000};
    // Worker threads; each open connection holds one. Default 32.
    int worker_threads = 32;
    // Requests per connection, and seconds an idle connection stays open.
    size_t keep_alive_max_count = 1000;
    time_t keep_alive_timeout_sec = 5;
    // Borrowed, must outlive the server; null makes the server open its own
    // RealRandom.
    RandomSource* random = nullptr;
  };

  // Loads the certificate and key and prepares the TLS settings. Errors:
  // InvalidArgument("tls_credentials_invalid") for unreadable or
  // unparsable PEM, or a key that does not match the certificate.
  static Status Open(const Options& options, std::unique_ptr<TlsServer>* out);
  // REQUIRES: stopped (stop()) and its listen thread joined.
  ~TlsServer() override;

  // Binds `host` on a free port and widens the listen backlog; returns the
  // port, or -1. Call listen_after_bind() next (on another thread).
  // httplib's own backlog is 5, fixed inside the .so: a burst of a few more
  // connects overflows it, the kernel drops their SYNs and clients retry
  // only after a second (measured: 8 concurrent clients took 1.1 s instead
  // of 0.1 s).
  int BindToAnyPort(const std::string& host);

 private:
  explicit TlsServer(const Options& options);
  Status LoadCredentials(const Options& options);
  Status ConfigureTls();

  // httplib calls this private virtual for every accepted socket: handshake
  // with a deadline, then serve keep-alive requests (docs/library-notes.md).
  bool process_and_close_socket(socket_t sock) override;
  bool ServeRequests(TlsSession* session);
  // Waits for the next request's first bytes; false when the connection
  // idled past the keep-alive timeout or the server is stopping.
  bool WaitForRequest(const TlsSession& session) const;

  const std::chrono::milliseconds handshake_timeout_;
  std::unique_ptr<RandomSource> own_random_;
  RandomSource* random_ = nullptr;
  MbedtlsX509Crt chain_;
  MbedtlsPk key_;
  // Read-only once Open returns; shared by all sessions (Debian builds
  // mbedTLS with MBEDTLS_THREADING_C).
  MbedtlsSslConfig config_;
};

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_TLS_SERVER_H_
