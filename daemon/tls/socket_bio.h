// SocketBio: the byte pipe under one mbedTLS session, over a TCP socket.
//
// mbedTLS asks its "BIO" callbacks for raw bytes. We do not use
// mbedtls_net_recv: cpp-httplib sets SO_RCVTIMEO on its sockets, a timeout
// then comes back as WANT_READ and a retry loop never ends
// (docs/library-notes.md). Instead every send and receive is non-blocking
// (MSG_DONTWAIT) and waits with poll() until a deadline the caller sets per
// operation; or, set non-blocking, it waits not at all and answers
// WANT_READ/WANT_WRITE for the caller to wait (a server's event loop).
// MSG_NOSIGNAL keeps a peer's reset from raising SIGPIPE, which
// httplib's client does not ignore.
#ifndef TELEMED_TLS_SOCKET_BIO_H_
#define TELEMED_TLS_SOCKET_BIO_H_

#include <mbedtls/ssl.h>

#include <chrono>
#include <string>

namespace telemed {
namespace tls {

using SteadyTime = std::chrono::steady_clock::time_point;

// Now plus `timeout`, on the steady clock.
SteadyTime DeadlineIn(std::chrono::microseconds timeout);

// Waits up to `timeout` for `events` (POLLIN/POLLOUT) on `fd`. Returns >0
// when ready (hang-ups and errors count as ready, so the next read reports
// them), 0 on timeout, <0 on a poll() failure. Retries EINTR.
int PollFd(int fd, short events, std::chrono::milliseconds timeout);

// Turns Nagle's algorithm off: mbedTLS writes every record separately and
// httplib writes headers and body separately, so delayed ACKs would add
// ~44 ms to every request (docs/library-notes.md).
void SetNoDelay(int fd);

// The address and port of the peer (`peer`) or our own end of `fd`;
// "" and 0 when unknown.
void SocketAddress(int fd, bool peer, std::string* ip, int* port);

class SocketBio final {
 public:
  // `fd` is borrowed: the caller closes it after the session is gone.
  explicit SocketBio(int fd) : fd_(fd) {}
  SocketBio(const SocketBio&) = delete;
  SocketBio& operator=(const SocketBio&) = delete;

  // Makes `ssl` read and write through this object, which must outlive
  // the session's use of it.
  void Attach(mbedtls_ssl_context* ssl);
  // Sends and receives after this give up at `deadline` with
  // MBEDTLS_ERR_SSL_TIMEOUT.
  void set_deadline(SteadyTime deadline) { deadline_ = deadline; }
  // Non-blocking: a send or receive that would wait returns
  // MBEDTLS_ERR_SSL_WANT_WRITE / WANT_READ instead (the deadline is unused).
  void set_non_blocking(bool non_blocking) { non_blocking_ = non_blocking; }
  // Whether the last failed send or receive ran out of time.
  bool timed_out() const { return timed_out_; }
  int fd() const { return fd_; }

 private:
  static int Send(void* bio, const unsigned char* data, size_t length);
  static int Receive(void* bio, unsigned char* data, size_t length);
  // Waits for `events` until the deadline; false (and timed_out_) when it
  // passed first.
  bool WaitFor(short events);

  const int fd_;
  SteadyTime deadline_;
  bool non_blocking_ = false;
  bool timed_out_ = false;
};

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_SOCKET_BIO_H_
