// TlsClient: cpp-httplib's HTTP client speaking TLS through mbedTLS.
//
// Use it like httplib::ClientImpl (send(), Get(), ...): the TCP connect,
// keep-alive and HTTP framing stay httplib's; this class adds the TLS
// session (see tls_stream.h for why). The server's certificate must chain
// to the config's CAs and name the host: a DNS name is checked by mbedTLS
// (and sent as SNI); an IP literal is matched against the certificate's
// IP-address SANs, which mbedTLS 2.28 cannot do itself.
//
// Not a httplib::SSLClient and is_ssl() stays false (httplib would cast
// *this to SSLClient and abort; docs/library-notes.md). Hence: set the
// Host header yourself (httplib writes "host:443"), no proxies, and leave
// redirects off (httplib would follow an https:// redirect through
// OpenSSL).
//
// A keep-alive connection the server has closed meanwhile is noticed before
// the next request and replaced transparently (httplib's own liveness
// check takes a pending close_notify for a live peer; see
// docs/library-notes.md).
//
// Thread-safety: as httplib::ClientImpl; requests on one client are
// serialised, so use one client per concurrent request.
#ifndef TELEMED_TLS_TLS_CLIENT_H_
#define TELEMED_TLS_TLS_CLIENT_H_

#include <httplib.h>

#include <array>
#include <functional>
#include <memory>
#include <string>

#include "base/mutex.h"
#include "tls/socket_bio.h"

namespace telemed {
namespace tls {

class TlsClientConfig;
class TlsSession;

class TlsClient final : public httplib::ClientImpl {
 public:
  // Why the last failed request failed, beyond httplib::Error.
  struct Failure {
    enum class Kind {
      kNone,
      kConnect,  // TCP connect refused or unreachable
      kTimeout,  // connect, handshake, read or write ran out of time
      kVerify,   // certificate not trusted or not for this host
      kTls,      // handshake or TLS setup failed otherwise
      kIo,       // the connection broke mid-request
    };
    Kind kind = Kind::kNone;
    std::string message;
  };

  // `config` is borrowed and must outlive the client.
  TlsClient(const std::string& host, int port, TlsClientConfig* config);
  ~TlsClient() override;

  // The failure of the last request that failed, and forgets it.
  Failure TakeFailure() EXCLUDES(failure_mu_);

 protected:
  bool create_and_connect_socket(Socket& socket,
                                 httplib::Error& error) override;
  void shutdown_ssl(Socket& socket, bool shutdown_gracefully) override;

 private:
  bool process_socket(
      const Socket& socket,
      std::function<bool(httplib::Stream& strm)> callback) override;
  // Runs the handshake on the connected `socket`; false (with the socket
  // still open) on failure.
  bool StartTls(const Socket& socket, httplib::Error* error);
  void ConfigureHostCheck(mbedtls_ssl_context* ssl);
  static int VerifyIpSan(void* client, mbedtls_x509_crt* crt, int depth,
                         uint32_t* flags);
  void RecordHandshakeFailure(int ret, httplib::Error* error);
  // Replaces the connection when the peer closed it or sent something
  // unasked since the last request.
  bool ReconnectIfStale();
  void RecordFailure(Failure::Kind kind, const std::string& message)
      EXCLUDES(failure_mu_);

  TlsClientConfig* const config_;
  // The host as an IP address (ip_length_ 4 or 16), or 0 for a DNS name.
  std::array<unsigned char, 16> ip_{};
  size_t ip_length_ = 0;
  // The session on socket_; guarded by httplib's socket_mutex_ (a plain
  // std::mutex, so not annotated).
  std::unique_ptr<TlsSession> session_;

  Mutex failure_mu_;
  Failure failure_ GUARDED_BY(failure_mu_);
};

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_TLS_CLIENT_H_
