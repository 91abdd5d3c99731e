// CheckHead: where a request head ends and whether its framing is one the
// API serves, decided on raw bytes before cpp-httplib parses anything.
//
// cpp-httplib reads a head of any size and a body of any framing before a
// handler can refuse it (docs/api.md "Limits and behaviour"). The connection
// loop (http/loop_server.h) therefore waits for the blank line that ends the
// head, bounding line length, header count and head size, and looks at the
// few headers that decide framing. It parses nothing else: the request line
// and every header are left to httplib. Lines end at '\n'; the head ends at
// the first line that is exactly "\r\n", as in httplib.
#ifndef TELEMED_HTTP_HEAD_SCAN_H_
#define TELEMED_HTTP_HEAD_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace telemed {
namespace http {

struct HeadLimits {
  size_t max_request_line = 8 * 1024;
  size_t max_header_line = 8 * 1024;
  size_t max_header_count = 100;
  // The whole head, request line and blank line included.
  size_t max_head_bytes = 32 * 1024;
  // Content-Length above this is refused (413) before any body byte is read.
  uint64_t max_body_bytes = 64 * 1024;
};

struct HeadCheck {
  enum class Verdict {
    kIncomplete,  // no end of head yet, within the limits
    kReady,       // complete; serve it (see `head` and the fields below)
    kRefuse,      // answer `status` with `code` and `message`, then close
  };
  Verdict verdict = Verdict::kIncomplete;
  int status = 0;
  std::string code;
  std::string message;

  // kReady only. How many bytes of the input the head took, and the head to
  // hand to httplib instead ("" when it needs no change): Range headers
  // dropped (the API sends whole
  // bodies), and "Content-Length: 0" added to a POST, PUT or PATCH that has
  // neither Content-Length nor Transfer-Encoding (RFC 9112 6.3: no framing
  // means no body; httplib would read until the peer closes).
  size_t head_bytes = 0;
  std::string head;
  bool chunked = false;
  uint64_t content_length = 0;
  bool expects_continue = false;
  // The Authorization header's value ("" when absent).
  std::string authorization;
};

// Examines the bytes a connection has received so far.
HeadCheck CheckHead(const char* data, size_t size, const HeadLimits& limits);

}  // namespace http
}  // namespace telemed

#endif  // TELEMED_HTTP_HEAD_SCAN_H_
