// AdminClient: one HTTPS connection to the daemon's admin listener, as the
// admin page's browser tab would hold it: keep-alive, Host and Origin set to
// the listener's address, gzip accepted (and not decompressed, so body
// sizes are the bytes that crossed the wire), the session cookie and its
// CSRF token once signed in. Built on tls::TlsClient (mbedTLS under
// cpp-httplib), trusting only the daemon's own certificate.
//
// Not thread-safe: one client per thread.
#ifndef TELEMED_BENCH_ADMIN_CLIENT_H_
#define TELEMED_BENCH_ADMIN_CLIENT_H_

#include <httplib.h>

#include <memory>
#include <string>

namespace telemed {
namespace tls {
class TlsClient;
class TlsClientConfig;
}  // namespace tls

namespace bench {

// What every client of one run shares: the listener and the certificate.
struct AdminTarget {
  int port = 0;
  // The daemon's certificate (`web cert --pem`), the only one trusted.
  tls::TlsClientConfig* tls = nullptr;
};

// Opens the TLS settings trusting `pem_file`'s certificate and offering
// the ECDHE curves of `curves`: "chrome" (X25519, P-256, P-384, as Chromium
// offers them), "firefox" (the same and P-521), "p256" (P-256 alone) or
// "all" (mbedTLS's default list, as the daemon's own client offers). The
// server picks among the offered ones, so this sets the handshake's cost.
// False (with a line on stderr) when the file cannot be read or parsed or
// `curves` is none of those.
bool OpenTlsConfig(const std::string& pem_file, const std::string& curves,
                   std::unique_ptr<tls::TlsClientConfig>* out);

class AdminClient {
 public:
  explicit AdminClient(const AdminTarget& target);
  ~AdminClient();
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;

  // GET with Accept-Encoding: gzip and, when not empty, If-None-Match.
  httplib::Result Get(const std::string& path,
                      const std::string& if_none_match = "");
  // POST of a JSON body with Origin (and X-CSRF-Token once signed in).
  httplib::Result Post(const std::string& path, const std::string& json);

  // POST /admin/api/setup with a setup code, or /admin/api/login when
  // `setup_code` is empty; keeps the cookie and CSRF token. False (with a
  // line on stderr) unless the daemon signed the client in.
  bool SignIn(const std::string& setup_code, const std::string& password);

  // Closes the connection; the next request opens a new one.
  void Close();

 private:
  httplib::Headers BaseHeaders() const;

  const AdminTarget target_;
  std::unique_ptr<tls::TlsClient> client_;
  std::string cookie_;  // "__Host-tb_session=..." once signed in
  std::string csrf_token_;
};

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_ADMIN_CLIENT_H_
