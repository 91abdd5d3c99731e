// BufferedStream: the httplib::Stream of one connection, kept for the
// connection's whole life, over its ByteChannel (plain TCP or TLS,
// http/byte_channel.h).
//
// httplib's own SocketStream is made anew for every request and drops the
// bytes it read ahead, so the second of two pipelined requests was lost.
// This one keeps a read buffer across requests: the connection loop fills
// it while it waits for a request head (without a thread), httplib then
// reads the head from it and the body from it or the socket.
//
// It also bounds every body, whatever its framing: BeginRequest() sets how
// many bytes may follow the head and by when they must have arrived; a
// read past either fails (-1) and failure() says why, so the server can
// answer 413 or 408 rather than httplib's plain 400. Waits give up at once
// when *stopping turns true (reads) or a second later (writes).
//
// socket() reports -1 for a descriptor >= FD_SETSIZE: httplib 0.11 answers
// 500 to such a connection because its select() could not watch it, but it
// never watches this stream's socket itself (all waiting is done here with
// poll()). One thread at a time.
#ifndef TELEMED_HTTP_BUFFERED_STREAM_H_
#define TELEMED_HTTP_BUFFERED_STREAM_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/byte_channel.h"

namespace telemed {
namespace http {

using SteadyTime = std::chrono::steady_clock::time_point;

class BufferedStream final : public httplib::Stream {
 public:
  enum class Failure { kNone, kBodyTooLarge, kBodyTimeout };
  enum class Fill { kData, kWouldBlock, kClosed };

  // Borrows *channel and *stopping (both must outlive this).
  BufferedStream(ByteChannel* channel, const std::atomic<bool>* stopping,
                 std::chrono::milliseconds write_timeout);

  // Reads what the channel holds now, without waiting, until it would
  // block or the buffer holds `max_unread` bytes. kClosed on EOF or an
  // error.
  Fill FillNow(size_t max_unread);
  // Waits up to `timeout` for bytes, then FillNow(max_unread).
  Fill FillWithin(std::chrono::milliseconds timeout, size_t max_unread);
  // Whether the channel holds bytes not in the buffer yet that poll() on
  // the socket cannot see (TLS): FillNow before waiting on the socket.
  bool HasHiddenInput() const { return channel_->HasHiddenInput(); }
  const char* unread_data() const { return buffer_.data() + pos_; }
  size_t unread_size() const { return buffer_.size() - pos_; }
  // Replaces the first `head_bytes` unread bytes with `head`.
  void ReplaceHead(size_t head_bytes, const std::string& head);

  // Starts a request whose head is the next `head_bytes` unread bytes: at
  // most `max_body_bytes` may be read after it, all before `body_deadline`.
  void BeginRequest(size_t head_bytes, uint64_t max_body_bytes,
                    SteadyTime body_deadline);
  // Bytes read past the current request's head.
  uint64_t body_bytes_read() const;
  Failure failure() const { return failure_; }

  // The stream of the request this thread is serving (null outside one):
  // lets the server's error rendering see why a body read failed.
  static const BufferedStream* Current();
  class ScopedCurrent final {
   public:
    explicit ScopedCurrent(const BufferedStream* stream);
    ~ScopedCurrent();
    ScopedCurrent(const ScopedCurrent&) = delete;
    ScopedCurrent& operator=(const ScopedCurrent&) = delete;
  };

  // Sends what write() has kept back; false when the peer is gone or did
  // not read in time. httplib writes an answer's head and body separately:
  // batching them saves a send() and a wake-up of the client per request.
  bool Flush();

  // httplib::Stream. write() keeps bytes back until 64 KiB are pending, a
  // read() has to wait for the peer, or Flush().
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

 private:
  // Waits until the channel is readable (true) or the body deadline or a
  // stop comes (false).
  bool AwaitBody();

  ByteChannel* const channel_;
  const int fd_;
  const std::atomic<bool>* const stopping_;
  const std::chrono::milliseconds write_timeout_;
  std::string buffer_;
  size_t pos_ = 0;   // first unread byte of buffer_
  std::string out_;  // written, not sent yet
  // Bytes handed to read() since BeginRequest, and that request's limits.
  uint64_t request_read_ = 0;
  uint64_t request_limit_ = 0;
  size_t head_bytes_ = 0;
  SteadyTime body_deadline_;
  Failure failure_ = Failure::kNone;
};

}  // namespace http
}  // namespace telemed

#endif  // TELEMED_HTTP_BUFFERED_STREAM_H_
