// TlsChannel: a ByteChannel (http/byte_channel.h) that speaks TLS as the
// server, through an mbedTLS session over the accepted socket.
//
// Nothing here waits: the socket bridge under the session runs without a
// deadline (tls::SocketBio non-blocking), so mbedTLS answers WANT_READ or
// WANT_WRITE and the connection loop or BufferedStream waits. Open() runs
// the handshake a step at a time on the loop's epoll thread. A record is
// decrypted whole, and the part not yet asked for stays inside mbedTLS,
// hidden from poll(): HasHiddenInput says so.
#ifndef TELEMED_HTTP_TLS_CHANNEL_H_
#define TELEMED_HTTP_TLS_CHANNEL_H_

#include <memory>

#include "base/status.h"
#include "http/byte_channel.h"
#include "tls/server_tls_config.h"
#include "tls/tls_session.h"

namespace telemed {
namespace http {

class TlsChannel final : public ByteChannel {
 public:
  // Keeps `config` alive while the channel lives. Fails only when mbedTLS
  // cannot allocate the session.
  static Status Make(std::shared_ptr<const tls::ServerTlsConfig> config, int fd,
                     std::unique_ptr<ByteChannel>* out);

  ssize_t Open() override;
  bool HasOpening() const override { return true; }
  ssize_t Receive(char* data, size_t size) override;
  ssize_t Send(const char* data, size_t size) override;
  bool HasHiddenInput() const override;
  void SayGoodbye() override;

 private:
  TlsChannel(std::shared_ptr<const tls::ServerTlsConfig> config, int fd,
             std::unique_ptr<tls::TlsSession> session);

  const std::shared_ptr<const tls::ServerTlsConfig> config_;
  const std::unique_ptr<tls::TlsSession> session_;
  bool open_ = false;
  bool goodbye_said_ = false;
};

}  // namespace http
}  // namespace telemed

#endif  // TELEMED_HTTP_TLS_CHANNEL_H_
