#include "http/buffered_stream.h"

#include <poll.h>
#include <sys/select.h>

#include <algorithm>
#include <cstring>

#include "tls/socket_bio.h"

namespace telemed {
namespace http {

namespace {

using std::chrono::milliseconds;

// The longest single wait, so a stop is noticed promptly.
constexpr milliseconds kWaitSlice(100);
// How long a write may still wait once the server is stopping.
constexpr milliseconds kStopWriteGrace(1000);
// How much one recv() may add to the buffer.
constexpr size_t kReadChunk = 16 * 1024;
// Written bytes are sent once this many are pending (or on Flush).
constexpr size_t kWriteBatch = 64 * 1024;

thread_local const BufferedStream* current_stream = nullptr;

milliseconds Until(SteadyTime deadline) {
  return std::max(milliseconds(0),
                  std::chrono::duration_cast<milliseconds>(
                      deadline - std::chrono::steady_clock::now()));
}

}  // namespace

BufferedStream::BufferedStream(ByteChannel* channel,
                               const std::atomic<bool>* stopping,
                               milliseconds write_timeout)
    : channel_(channel),
      fd_(channel->fd()),
      stopping_(stopping),
      write_timeout_(write_timeout) {}

BufferedStream::Fill BufferedStream::FillNow(size_t max_unread) {
  if (pos_ == buffer_.size()) {
    // An idle connection keeps no buffer: many may wait at once.
    std::string().swap(buffer_);
    pos_ = 0;
  } else if (pos_ > buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  bool got = false;
  char chunk[kReadChunk];
  while (unread_size() < max_unread) {
    size_t want = std::min(sizeof(chunk), max_unread - unread_size());
    ssize_t n = channel_->Receive(chunk, want);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      got = true;
      // A short read emptied the socket (or, over TLS, one record): spare
      // the call that would say so, unless the channel still hides bytes.
      if (static_cast<size_t>(n) < want && !channel_->HasHiddenInput()) break;
      continue;
    }
    if (n == ByteChannel::kWantRead || n == ByteChannel::kWantWrite) break;
    return got ? Fill::kData : Fill::kClosed;  // EOF or a broken connection
  }
  return got ? Fill::kData : Fill::kWouldBlock;
}

BufferedStream::Fill BufferedStream::FillWithin(milliseconds timeout,
                                                size_t max_unread) {
  if (!channel_->HasHiddenInput() && tls::PollFd(fd_, POLLIN, timeout) <= 0) {
    return Fill::kWouldBlock;
  }
  return FillNow(max_unread);
}

void BufferedStream::ReplaceHead(size_t head_bytes, const std::string& head) {
  buffer_.replace(pos_, head_bytes, head);
}

void BufferedStream::BeginRequest(size_t head_bytes, uint64_t max_body_bytes,
                                  SteadyTime body_deadline) {
  request_read_ = 0;
  head_bytes_ = head_bytes;
  request_limit_ = head_bytes + max_body_bytes;
  body_deadline_ = body_deadline;
  failure_ = Failure::kNone;
}

uint64_t BufferedStream::body_bytes_read() const {
  return request_read_ > head_bytes_ ? request_read_ - head_bytes_ : 0;
}

const BufferedStream* BufferedStream::Current() { return current_stream; }

BufferedStream::ScopedCurrent::ScopedCurrent(const BufferedStream* stream) {
  current_stream = stream;
}

BufferedStream::ScopedCurrent::~ScopedCurrent() { current_stream = nullptr; }

bool BufferedStream::AwaitBody() {
  for (;;) {
    if (stopping_->load()) return false;
    if (channel_->HasHiddenInput()) return true;
    milliseconds left = Until(body_deadline_);
    if (left.count() == 0) {
      failure_ = Failure::kBodyTimeout;
      return false;
    }
    int ready = tls::PollFd(fd_, POLLIN, std::min(left, kWaitSlice));
    if (ready != 0) return ready > 0;
  }
}

bool BufferedStream::is_readable() const {
  if (unread_size() > 0 || channel_->HasHiddenInput()) return true;
  return tls::PollFd(fd_, POLLIN, std::min(Until(body_deadline_), kWaitSlice)) >
         0;
}

bool BufferedStream::is_writable() const {
  return tls::PollFd(fd_, POLLOUT, write_timeout_) > 0;
}

ssize_t BufferedStream::read(char* ptr, size_t size) {
  if (request_read_ >= request_limit_) {
    failure_ = Failure::kBodyTooLarge;
    return -1;
  }
  size = static_cast<size_t>(
      std::min<uint64_t>(size, request_limit_ - request_read_));
  // Whatever was written goes out before waiting: "100 Continue" must reach
  // the client before it sends the body.
  if (unread_size() == 0 && !Flush()) return -1;
  while (unread_size() == 0) {
    if (!AwaitBody()) return -1;
    if (FillNow(kReadChunk) == Fill::kClosed && unread_size() == 0) return 0;
  }
  size_t n = std::min(size, unread_size());
  std::memcpy(ptr, unread_data(), n);
  pos_ += n;
  request_read_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t BufferedStream::write(const char* ptr, size_t size) {
  out_.append(ptr, size);
  if (out_.size() >= kWriteBatch && !Flush()) return -1;
  return static_cast<ssize_t>(size);
}

bool BufferedStream::Flush() {
  SteadyTime deadline = std::chrono::steady_clock::now() + write_timeout_;
  bool stop_seen = false;
  size_t sent = 0;
  while (sent < out_.size()) {
    // After kWant*, the same bytes again: TLS may hold a record half sent.
    ssize_t n = channel_->Send(out_.data() + sent, out_.size() - sent);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n != ByteChannel::kWantRead && n != ByteChannel::kWantWrite) break;
    if (!stop_seen && stopping_->load()) {
      stop_seen = true;
      deadline = std::min(deadline,
                          std::chrono::steady_clock::now() + kStopWriteGrace);
    }
    milliseconds left = Until(deadline);
    if (left.count() == 0) break;
    tls::PollFd(fd_, n == ByteChannel::kWantRead ? POLLIN : POLLOUT,
                std::min(left, kWaitSlice));
  }
  const bool all = sent == out_.size();
  out_.clear();
  if (out_.capacity() > kWriteBatch) std::string().swap(out_);
  return all;
}

void BufferedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  tls::SocketAddress(fd_, /*peer=*/true, &ip, &port);
}

void BufferedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  tls::SocketAddress(fd_, /*peer=*/false, &ip, &port);
}

socket_t BufferedStream::socket() const {
  return fd_ < FD_SETSIZE ? fd_ : INVALID_SOCKET;
}

}  // namespace http
}  // namespace telemed
