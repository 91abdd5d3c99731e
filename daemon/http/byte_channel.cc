#include "http/byte_channel.h"

#include <sys/socket.h>

#include <cerrno>

namespace telemed {
namespace http {

namespace {

bool WouldBlock(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

void ByteChannel::ShutdownWrite() {
  SayGoodbye();
  shutdown(fd_, SHUT_WR);
}

ssize_t PlainChannel::Receive(char* data, size_t size) {
  for (;;) {
    ssize_t n = recv(fd(), data, size, MSG_DONTWAIT);
    if (n > 0) return n;
    if (n == 0) return kEnded;
    if (errno == EINTR) continue;
    return WouldBlock(errno) ? kWantRead : kBroken;
  }
}

ssize_t PlainChannel::Send(const char* data, size_t size) {
  for (;;) {
    ssize_t n = send(fd(), data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    return WouldBlock(errno) ? kWantWrite : kBroken;
  }
}

}  // namespace http
}  // namespace telemed
