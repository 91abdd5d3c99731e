#include "http/tls_channel.h"

#include <mbedtls/ssl.h>

#include <algorithm>
#include <climits>
#include <utility>

namespace telemed {
namespace http {

namespace {

// mbedTLS's answers, as a channel's.
ssize_t Translate(int ret) {
  if (ret >= 0) return ret;
  switch (ret) {
    case MBEDTLS_ERR_SSL_WANT_READ:
      return ByteChannel::kWantRead;
    case MBEDTLS_ERR_SSL_WANT_WRITE:
      return ByteChannel::kWantWrite;
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
    case MBEDTLS_ERR_SSL_CONN_EOF:
      return ByteChannel::kEnded;
    default:
      return ByteChannel::kBroken;
  }
}

// mbedTLS takes int lengths.
size_t ClampToInt(size_t size) { return std::min<size_t>(size, INT_MAX); }

}  // namespace

Status TlsChannel::Make(std::shared_ptr<const tls::ServerTlsConfig> config,
                        int fd, std::unique_ptr<ByteChannel>* out) {
  std::unique_ptr<tls::TlsSession> session;
  Status s = tls::TlsSession::Open(config->ssl_config(), fd, &session);
  if (!s.ok()) return s;
  session->bio()->set_non_blocking(true);
  out->reset(new TlsChannel(std::move(config), fd, std::move(session)));
  return Status::OK();
}

TlsChannel::TlsChannel(std::shared_ptr<const tls::ServerTlsConfig> config,
                       int fd, std::unique_ptr<tls::TlsSession> session)
    : ByteChannel(fd),
      config_(std::move(config)),
      session_(std::move(session)) {}

ssize_t TlsChannel::Open() {
  int ret = mbedtls_ssl_handshake(session_->ssl());
  if (ret == 0) {
    open_ = true;
    return 0;
  }
  ssize_t result = Translate(ret);
  // A peer that leaves mid-handshake has failed it.
  return result == kEnded ? kBroken : result;
}

ssize_t TlsChannel::Receive(char* data, size_t size) {
  int ret =
      mbedtls_ssl_read(session_->ssl(), reinterpret_cast<unsigned char*>(data),
                       ClampToInt(size));
  // 0 from mbedtls_ssl_read is the transport's end without close_notify.
  return ret == 0 ? kEnded : Translate(ret);
}

ssize_t TlsChannel::Send(const char* data, size_t size) {
  int ret = mbedtls_ssl_write(session_->ssl(),
                              reinterpret_cast<const unsigned char*>(data),
                              ClampToInt(size));
  if (ret >= 0) return ret;
  ssize_t result = Translate(ret);
  return result == kEnded ? kBroken : result;
}

bool TlsChannel::HasHiddenInput() const { return session_->HasBufferedData(); }

void TlsChannel::SayGoodbye() {
  if (!open_ || goodbye_said_) return;
  goodbye_said_ = true;
  (void)mbedtls_ssl_close_notify(session_->ssl());
}

}  // namespace http
}  // namespace telemed
