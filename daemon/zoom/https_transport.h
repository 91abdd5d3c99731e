// HttpsTransport: the real ZoomTransport, HTTPS through the TLS layer in
// tls/ (cpp-httplib framing, mbedTLS underneath; see tls/tls_stream.h).
//
// Keeps idle keep-alive connections per origin (scheme://host:port) for
// reuse; a request that finds none idle opens a new one, so any number may
// be in flight at once while at most Options::idle_per_origin stay open
// between requests. The trusted CAs (system bundle or Options::ca_file)
// are loaded on the first request. This is the only code that talks to
// Zoom.
#ifndef TELEMED_ZOOM_HTTPS_TRANSPORT_H_
#define TELEMED_ZOOM_HTTPS_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/random.h"
#include "base/status.h"
#include "zoom/transport.h"

namespace telemed {

namespace tls {
class TlsClient;
class TlsClientConfig;
}  // namespace tls

class HttpsTransport final : public ZoomTransport {
 public:
  struct Options {
    // PEM file of trusted CAs (--ca-file); empty: the system bundle.
    std::string ca_file;
    // PEM text of trusted CAs (stored with the Zoom app): used instead of
    // a file when not empty; ca_file then only names it in messages.
    std::string ca_pem;
    // TCP connect plus TLS handshake. Default 10 s.
    std::chrono::milliseconds connect_timeout{10000};
    // Longest wait for each chunk of the answer, and to send. Default 30 s.
    std::chrono::milliseconds read_timeout{30000};
    std::chrono::milliseconds write_timeout{30000};
    // Idle keep-alive connections kept per origin. Default 8.
    size_t idle_per_origin = 8;
    // Borrowed, must outlive the transport; null opens an own RealRandom.
    RandomSource* random = nullptr;
  };

  // Does not read the CA file yet. Fails only when the random generator
  // cannot be seeded.
  static Status Open(const Options& options,
                     std::unique_ptr<HttpsTransport>* out);
  ~HttpsTransport() override;

  // See ZoomTransport::Send. Failures are Unavailable with reason
  // "zoom_unreachable" (refused, cut, garbage), "zoom_tls_failed" (handshake
  // failed, or the certificate is untrusted or not for the host, which the
  // message names) or "zoom_timeout". InvalidArgument("url_invalid") for a
  // URL that is not https:// or is malformed, and for header or method
  // text that could split the request.
  Status Send(const HttpRequest& request, HttpResponse* response) override;

 private:
  explicit HttpsTransport(const Options& options);
  // An idle client for host:port, or a new one.
  std::unique_ptr<tls::TlsClient> Checkout(const std::string& host, int port)
      EXCLUDES(mu_);
  // Keeps `client` for reuse unless enough are idle already.
  void Return(const std::string& host, int port,
              std::unique_ptr<tls::TlsClient> client) EXCLUDES(mu_);

  const Options options_;
  std::unique_ptr<tls::TlsClientConfig> config_;
  Mutex mu_;
  // Idle clients by "host:port", most recently used last. Declared after
  // config_, which the clients borrow.
  std::map<std::string, std::vector<std::unique_ptr<tls::TlsClient>>> idle_
      GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_HTTPS_TRANSPORT_H_
