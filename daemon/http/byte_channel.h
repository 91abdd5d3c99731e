// ByteChannel: the bytes of one accepted connection, as BufferedStream and
// the connection loop read and write them: straight from the TCP socket
// (PlainChannel, below) or decrypted by TLS (http/tls_channel.h).
//
// Every call returns at once (the socket is used with MSG_DONTWAIT); the
// caller waits with poll()/epoll on fd() for what the call said it needs.
// A TLS channel may hold received bytes that poll() cannot see
// (HasHiddenInput): callers ask before they wait. One thread at a time.
#ifndef TELEMED_HTTP_BYTE_CHANNEL_H_
#define TELEMED_HTTP_BYTE_CHANNEL_H_

#include <sys/types.h>

#include <cstddef>

namespace telemed {
namespace http {

class ByteChannel {
 public:
  // What Receive, Send and Open return besides a byte count.
  static constexpr ssize_t kEnded = 0;       // Receive: the peer ended
  static constexpr ssize_t kBroken = -1;     // the connection failed
  static constexpr ssize_t kWantRead = -2;   // try again once readable
  static constexpr ssize_t kWantWrite = -3;  // try again once writable

  // `fd` is borrowed: the caller closes it after the channel is gone.
  explicit ByteChannel(int fd) : fd_(fd) {}
  virtual ~ByteChannel() = default;
  ByteChannel(const ByteChannel&) = delete;
  ByteChannel& operator=(const ByteChannel&) = delete;

  // Runs the channel's opening exchange as far as the peer allows: 0 when
  // the channel carries data (at once for plain TCP), kWantRead/kWantWrite
  // to be called again, kBroken when the peer failed it.
  virtual ssize_t Open() { return 0; }
  // Whether Open() has work to do (a TLS handshake).
  virtual bool HasOpening() const { return false; }
  // Up to `size` bytes (> 0), kEnded, kBroken or kWant*.
  virtual ssize_t Receive(char* data, size_t size) = 0;
  // How many of `size` bytes went out (> 0), kBroken or kWant*. After a
  // kWant*, call again with the same bytes (TLS keeps a record half sent).
  virtual ssize_t Send(const char* data, size_t size) = 0;
  // Whether received bytes wait inside the channel, where poll() on fd()
  // cannot see them.
  virtual bool HasHiddenInput() const = 0;
  // Tells the peer, without waiting, that nothing more will come (TLS:
  // close_notify, once, after a completed Open); plain TCP says it with
  // its FIN alone. Best effort: called before a close or a half-close.
  virtual void SayGoodbye() {}
  // SayGoodbye, then shuts the socket's sending side.
  void ShutdownWrite();

  int fd() const { return fd_; }

 private:
  const int fd_;
};

// The socket's bytes as they come.
class PlainChannel final : public ByteChannel {
 public:
  explicit PlainChannel(int fd) : ByteChannel(fd) {}
  ssize_t Receive(char* data, size_t size) override;
  ssize_t Send(const char* data, size_t size) override;
  bool HasHiddenInput() const override { return false; }
};

}  // namespace http
}  // namespace telemed

#endif  // TELEMED_HTTP_BYTE_CHANNEL_H_
