#include "tls/tls_stream.h"

#include <poll.h>

#include <algorithm>
#include <climits>

#include "tls/tls_session.h"

namespace telemed {
namespace tls {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// mbedTLS takes and returns int lengths.
size_t ClampToInt(size_t size) { return std::min<size_t>(size, INT_MAX); }

}  // namespace

TlsStream::TlsStream(TlsSession* session,
                     std::chrono::microseconds read_timeout,
                     std::chrono::microseconds write_timeout)
    : session_(session),
      read_timeout_(read_timeout),
      write_timeout_(write_timeout) {}

bool TlsStream::is_readable() const {
  if (session_->HasBufferedData()) return true;
  return PollFd(session_->fd(), POLLIN,
                duration_cast<milliseconds>(read_timeout_)) > 0;
}

bool TlsStream::is_writable() const {
  return PollFd(session_->fd(), POLLOUT,
                duration_cast<milliseconds>(write_timeout_)) > 0;
}

template <typename Operation>
int TlsStream::Retry(std::chrono::microseconds timeout, Operation operation) {
  SteadyTime deadline = DeadlineIn(timeout);
  session_->bio()->set_deadline(deadline);
  int ret;
  do {
    ret = operation();
  } while (
      (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) &&
      std::chrono::steady_clock::now() < deadline);
  timed_out_ = ret < 0 && session_->bio()->timed_out();
  return ret;
}

ssize_t TlsStream::read(char* ptr, size_t size) {
  auto* data = reinterpret_cast<unsigned char*>(ptr);
  int ret = Retry(read_timeout_, [&] {
    return mbedtls_ssl_read(session_->ssl(), data, ClampToInt(size));
  });
  if (ret >= 0) return ret;
  // A peer that says goodbye properly ends the stream; it is no error.
  return ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ? 0 : -1;
}

ssize_t TlsStream::write(const char* ptr, size_t size) {
  auto* data = reinterpret_cast<const unsigned char*>(ptr);
  int ret = Retry(write_timeout_, [&] {
    return mbedtls_ssl_write(session_->ssl(), data, ClampToInt(size));
  });
  return ret >= 0 ? ret : -1;
}

void TlsStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  SocketAddress(session_->fd(), /*peer=*/true, &ip, &port);
}

void TlsStream::get_local_ip_and_port(std::string& ip, int& port) const {
  SocketAddress(session_->fd(), /*peer=*/false, &ip, &port);
}

socket_t TlsStream::socket() const { return session_->fd(); }

}  // namespace tls
}  // namespace telemed
