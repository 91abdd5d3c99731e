#include "support/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace telemed {
namespace test {

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace

std::string RawResponse::Header(const std::string& name) const {
  const std::string wanted = "\r\n" + Lower(name) + ":";
  const std::string lower = Lower(head);
  size_t at = lower.find(wanted);
  if (at == std::string::npos) return "";
  size_t begin = head.find_first_not_of(' ', at + wanted.size());
  size_t end = head.find("\r\n", begin);
  return head.substr(begin, end == std::string::npos ? end : end - begin);
}

std::string BearerHeader(const std::string& key) {
  return "Authorization: Bearer " + key + "\r\n";
}

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n =
        send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

size_t RawConnection::SendNow(const char* bytes, size_t size) {
  ssize_t n = send(fd_, bytes, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

bool RawConnection::DiscardAndSeeClosed() {
  buffer_.clear();
  char chunk[65536];
  for (;;) {
    ssize_t n = recv(fd_, chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n > 0) continue;
    return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }
}

void RawConnection::ShutdownWrite() { shutdown(fd_, SHUT_WR); }

bool RawConnection::Readable(std::chrono::milliseconds timeout) {
  if (!buffer_.empty()) return true;
  pollfd pfd{fd_, POLLIN, 0};
  return poll(&pfd, 1, static_cast<int>(timeout.count())) > 0;
}

bool RawConnection::ReadMore(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd pfd{fd_, POLLIN, 0};
  if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
    return false;
  }
  char chunk[16384];
  ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

bool RawConnection::ReadResponse(RawResponse* out,
                                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(deadline)) return false;
  }
  out->head = buffer_.substr(0, head_end + 2);
  out->status = std::atoi(out->head.substr(9, 3).c_str());
  size_t length =
      std::strtoul(out->Header("Content-Length").c_str(), nullptr, 10);
  size_t body_begin = head_end + 4;
  while (buffer_.size() < body_begin + length) {
    if (!ReadMore(deadline)) return false;
  }
  out->body = buffer_.substr(body_begin, length);
  buffer_.erase(0, body_begin + length);
  return true;
}

bool RawConnection::AwaitClosed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd_, POLLIN, 0};
    if (left.count() <= 0 ||
        poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char chunk[4096];
    if (recv(fd_, chunk, sizeof(chunk), 0) <= 0) return true;
  }
}

}  // namespace test
}  // namespace telemed
