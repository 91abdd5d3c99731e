#include "tls/tls_session.h"

#include <mbedtls/error.h>

#include <cstdio>

#include "base/random.h"

namespace telemed {
namespace tls {

namespace {

bool WantsMore(int ret) {
  return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE;
}

}  // namespace

Status TlsSession::Open(const mbedtls_ssl_config* config, int fd,
                        std::unique_ptr<TlsSession>* out) {
  std::unique_ptr<TlsSession> session(new TlsSession(fd));
  int ret = mbedtls_ssl_setup(session->ssl(), config);
  if (ret != 0) return MbedtlsStatus(ret, "setting up a TLS session");
  // The BIO lives inside the heap-allocated session, so the pointer
  // mbedTLS keeps stays valid for the session's lifetime.
  session->bio_.Attach(session->ssl());
  *out = std::move(session);
  return Status::OK();
}

int TlsSession::Handshake(SteadyTime deadline) {
  bio_.set_deadline(deadline);
  int ret;
  // Our BIO never returns WANT_*, but mbedTLS may between handshake
  // messages; the BIO's deadline bounds the loop.
  do {
    ret = mbedtls_ssl_handshake(ssl());
  } while (WantsMore(ret) && std::chrono::steady_clock::now() < deadline);
  return ret;
}

void TlsSession::Close(std::chrono::milliseconds timeout) {
  SteadyTime deadline = DeadlineIn(timeout);
  bio_.set_deadline(deadline);
  int ret;
  do {
    ret = mbedtls_ssl_close_notify(ssl());
  } while (WantsMore(ret) && std::chrono::steady_clock::now() < deadline);
}

bool TlsSession::HasBufferedData() const {
  return mbedtls_ssl_get_bytes_avail(ssl_.get()) > 0 ||
         mbedtls_ssl_check_pending(ssl_.get()) != 0;
}

std::string MbedtlsErrorText(int ret, const std::string& what) {
  char text[200];
  mbedtls_strerror(ret, text, sizeof(text));
  char code[16];
  snprintf(code, sizeof(code), "-0x%04x", static_cast<unsigned>(-ret));
  return what + ": " + text + " (" + code + ")";
}

}  // namespace tls
}  // namespace telemed
