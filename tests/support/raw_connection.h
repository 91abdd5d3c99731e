// RawConnection: a plain TCP connection to a local server that sends exactly
// the bytes a test gives it, for clients no HTTP library would be: slow,
// pipelining, oversized, or never finishing.
//
// ReadResponse reads one answer by its Content-Length (every answer of the
// API has one); it is a test's view of the wire, not an HTTP client.
#ifndef TELEMED_TESTS_SUPPORT_RAW_CONNECTION_H_
#define TELEMED_TESTS_SUPPORT_RAW_CONNECTION_H_

#include <chrono>
#include <string>

namespace telemed {
namespace test {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  // The first value of header `name` (any case); "" when absent.
  std::string Header(const std::string& name) const;
};

class RawConnection final {
 public:
  // Connects to 127.0.0.1:`port`; see ok().
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  // Sends all of `bytes`; false when the connection is broken.
  bool Send(const std::string& bytes);
  // Sends what the socket takes now without waiting; the bytes taken.
  size_t SendNow(const char* bytes, size_t size);
  // Reads what has arrived (without waiting) and discards it; true when
  // the peer has closed.
  bool DiscardAndSeeClosed();
  void ShutdownWrite();
  // Reads the next answer; false on EOF, error or `timeout` (ms).
  bool ReadResponse(RawResponse* out, std::chrono::milliseconds timeout =
                                          std::chrono::seconds(30));
  // Whether the peer closes (EOF or reset) within `timeout`; bytes that
  // arrive meanwhile are discarded.
  bool AwaitClosed(
      std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Whether bytes (or EOF) arrive within `timeout`.
  bool Readable(std::chrono::milliseconds timeout);
  // What arrived so far and was not consumed by ReadResponse.
  const std::string& pending() const { return buffer_; }

 private:
  // Reads more into buffer_ before `deadline`; false on EOF, error, timeout.
  bool ReadMore(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// "Authorization: Bearer <key>\r\n".
std::string BearerHeader(const std::string& key);

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_RAW_CONNECTION_H_
