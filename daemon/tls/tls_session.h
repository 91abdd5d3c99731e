// TlsSession: one mbedTLS session over one connected TCP socket, shared by
// TlsClient and the connection loop's TLS channel (http/tls_channel.h; see
// tls_stream.h for why this layer exists).
//
// The session owns its mbedtls_ssl_context and the SocketBio beneath it;
// the socket and the mbedtls_ssl_config are borrowed. Not thread-safe: one
// connection is used by one thread at a time.
#ifndef TELEMED_TLS_TLS_SESSION_H_
#define TELEMED_TLS_TLS_SESSION_H_

#include <chrono>
#include <memory>
#include <string>

#include "base/status.h"
#include "tls/mbedtls_owners.h"
#include "tls/socket_bio.h"

namespace telemed {
namespace tls {

class TlsSession final {
 public:
  // `config` must stay set up and alive, and `fd` open, for the session's
  // lifetime. Fails only when mbedTLS cannot allocate the session.
  static Status Open(const mbedtls_ssl_config* config, int fd,
                     std::unique_ptr<TlsSession>* out);
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Runs the handshake until done or `deadline`; returns the mbedTLS code
  // (0 on success, MBEDTLS_ERR_SSL_TIMEOUT when the deadline passed).
  int Handshake(SteadyTime deadline);
  // Sends close_notify, waiting at most `timeout` for the socket to take
  // it. Best effort: the connection is going away either way.
  void Close(std::chrono::milliseconds timeout);
  // Whether decrypted bytes or a whole record already sit inside mbedTLS,
  // where poll() on the socket cannot see them (docs/library-notes.md).
  bool HasBufferedData() const;

  mbedtls_ssl_context* ssl() { return ssl_.get(); }
  SocketBio* bio() { return &bio_; }
  int fd() const { return bio_.fd(); }

 private:
  explicit TlsSession(int fd) : bio_(fd) {}

  MbedtlsSsl ssl_;
  SocketBio bio_;
};

// "what failed: mbedTLS's text (-0x1234)", for error messages.
std::string MbedtlsErrorText(int ret, const std::string& what);

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_TLS_SESSION_H_
