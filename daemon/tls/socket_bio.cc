#include "tls/socket_bio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <mbedtls/net_sockets.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>

namespace telemed {
namespace tls {

namespace {

using std::chrono::milliseconds;

// The socket error a failed send or receive maps to, for mbedTLS.
int NetError(int error, int fallback) {
  if (error == EPIPE || error == ECONNRESET) return MBEDTLS_ERR_NET_CONN_RESET;
  return fallback;
}

bool WouldBlock(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

SteadyTime DeadlineIn(std::chrono::microseconds timeout) {
  return std::chrono::steady_clock::now() + timeout;
}

int PollFd(int fd, short events, milliseconds timeout) {
  struct pollfd entry = {fd, events, 0};
  int timeout_ms = static_cast<int>(std::max<int64_t>(0, timeout.count()));
  for (;;) {
    int ready = poll(&entry, 1, timeout_ms);
    if (ready >= 0 || errno != EINTR) return ready;
  }
}

void SetNoDelay(int fd) {
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

void SocketAddress(int fd, bool peer, std::string* ip, int* port) {
  ip->clear();
  *port = 0;
  struct sockaddr_storage address;
  socklen_t length = sizeof(address);
  auto* generic = reinterpret_cast<struct sockaddr*>(&address);
  int ret = peer ? getpeername(fd, generic, &length)
                 : getsockname(fd, generic, &length);
  if (ret != 0) return;
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<struct sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    *port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<struct sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    *port = ntohs(v6->sin6_port);
  }
  *ip = text;
}

void SocketBio::Attach(mbedtls_ssl_context* ssl) {
  mbedtls_ssl_set_bio(ssl, this, &SocketBio::Send, &SocketBio::Receive,
                      nullptr);
}

bool SocketBio::WaitFor(short events) {
  auto left = std::chrono::duration_cast<milliseconds>(
      deadline_ - std::chrono::steady_clock::now());
  // Round up so a sub-millisecond remainder still polls once.
  if (left.count() >= 0 && PollFd(fd_, events, left + milliseconds(1)) != 0) {
    return true;
  }
  timed_out_ = true;
  return false;
}

int SocketBio::Send(void* bio, const unsigned char* data, size_t length) {
  auto* self = static_cast<SocketBio*>(bio);
  self->timed_out_ = false;
  for (;;) {
    ssize_t sent = send(self->fd_, data, length, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) return static_cast<int>(sent);
    if (errno == EINTR) continue;
    if (!WouldBlock(errno)) return NetError(errno, MBEDTLS_ERR_NET_SEND_FAILED);
    if (self->non_blocking_) return MBEDTLS_ERR_SSL_WANT_WRITE;
    if (!self->WaitFor(POLLOUT)) return MBEDTLS_ERR_SSL_TIMEOUT;
  }
}

int SocketBio::Receive(void* bio, unsigned char* data, size_t length) {
  auto* self = static_cast<SocketBio*>(bio);
  self->timed_out_ = false;
  for (;;) {
    ssize_t got = recv(self->fd_, data, length, MSG_DONTWAIT);
    if (got >= 0) return static_cast<int>(got);
    if (errno == EINTR) continue;
    if (!WouldBlock(errno)) return NetError(errno, MBEDTLS_ERR_NET_RECV_FAILED);
    if (self->non_blocking_) return MBEDTLS_ERR_SSL_WANT_READ;
    if (!self->WaitFor(POLLIN)) return MBEDTLS_ERR_SSL_TIMEOUT;
  }
}

}  // namespace tls
}  // namespace telemed
