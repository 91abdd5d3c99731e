#include "http/head_scan.h"

#include <cctype>
#include <cstring>

namespace telemed {
namespace http {

namespace {

using Verdict = HeadCheck::Verdict;

HeadCheck Refuse(int status, const char* code, const std::string& message) {
  HeadCheck check;
  check.verdict = Verdict::kRefuse;
  check.status = status;
  check.code = code;
  check.message = message;
  return check;
}

HeadCheck HeadersTooLarge(const HeadLimits& limits) {
  return Refuse(431, "headers_too_large",
                "the request head is over its limits (" +
                    std::to_string(limits.max_header_line) + " bytes a line, " +
                    std::to_string(limits.max_header_count) + " headers, " +
                    std::to_string(limits.max_head_bytes) + " bytes in all)");
}

std::string Lower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The text between `begin` and `end` without surrounding blanks and the
// line's CRLF.
std::string Trimmed(const char* begin, const char* end) {
  while (begin < end && (*begin == ' ' || *begin == '\t')) ++begin;
  while (end > begin && std::memchr(" \t\r\n", end[-1], 4) != nullptr) --end;
  return std::string(begin, end);
}

bool IsDigits(const std::string& text) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Finds the end of the head: the offset just past its blank line, 0 while
// incomplete, or a refusal in *refusal.
size_t FindHeadEnd(const char* data, size_t size, const HeadLimits& limits,
                   HeadCheck* refusal) {
  size_t pos = 0;
  size_t headers = 0;
  for (bool request_line = true;; request_line = false) {
    const void* newline = std::memchr(data + pos, '\n', size - pos);
    size_t length = newline == nullptr
                        ? size - pos
                        : static_cast<const char*>(newline) - (data + pos);
    if (request_line && length > limits.max_request_line) {
      *refusal = Refuse(414, "uri_too_long",
                        "the request line is over " +
                            std::to_string(limits.max_request_line) + " bytes");
      return 0;
    }
    if ((!request_line && length > limits.max_header_line) ||
        pos + length + 1 > limits.max_head_bytes) {
      *refusal = HeadersTooLarge(limits);
      return 0;
    }
    if (newline == nullptr) return 0;
    size_t next = pos + length + 1;
    if (!request_line && length == 1 && data[pos] == '\r') return next;
    if (!request_line && ++headers > limits.max_header_count) {
      *refusal = HeadersTooLarge(limits);
      return 0;
    }
    pos = next;
  }
}

// Reads the framing headers of a complete head and builds the head httplib
// gets when it must change. Returns false with a refusal in *check.
bool ReadFraming(const char* data, size_t head_end, const HeadLimits& limits,
                 HeadCheck* check) {
  const char* end = data + head_end - 2;  // before the blank line
  const char* line =
      static_cast<const char*>(std::memchr(data, '\n', head_end)) + 1;
  const size_t request_line_bytes = line - data;
  // The head without its Range lines, built only once one is seen.
  std::string kept;
  bool dropped = false;
  bool has_length = false;
  bool has_transfer_encoding = false;
  for (; line < end;
       line =
           static_cast<const char*>(std::memchr(line, '\n', end - line)) + 1) {
    const char* eol =
        static_cast<const char*>(std::memchr(line, '\n', end - line)) + 1;
    const char* colon =
        static_cast<const char*>(std::memchr(line, ':', eol - line));
    // A line without a colon stays for httplib to refuse.
    std::string name = colon == nullptr ? "" : Lower(std::string(line, colon));
    if (name == "range") {
      if (!dropped) kept.assign(data, line);
      dropped = true;
      continue;
    }
    if (dropped) kept.append(line, eol);
    if (name == "content-length") {
      std::string value = Trimmed(colon + 1, eol);
      if (!IsDigits(value) ||
          (has_length && std::stoull(value) != check->content_length)) {
        *check = Refuse(400, "bad_request", "invalid Content-Length");
        return false;
      }
      has_length = true;
      check->content_length = std::stoull(value);
    } else if (name == "transfer-encoding") {
      if (Lower(Trimmed(colon + 1, eol)) != "chunked" ||
          has_transfer_encoding) {
        *check = Refuse(501, "not_implemented",
                        "the only transfer coding accepted is 'chunked'");
        return false;
      }
      has_transfer_encoding = true;
      check->chunked = true;
    } else if (name == "content-encoding") {
      std::string coding = Lower(Trimmed(colon + 1, eol));
      if (!coding.empty() && coding != "identity") {
        *check = Refuse(415, "unsupported_encoding",
                        "send the body without Content-Encoding");
        return false;
      }
    } else if (name == "expect") {
      check->expects_continue =
          Lower(Trimmed(colon + 1, eol)) == "100-continue";
    } else if (name == "authorization" && check->authorization.empty()) {
      check->authorization = Trimmed(colon + 1, eol);
    }
  }
  if (has_length && has_transfer_encoding) {
    *check = Refuse(400, "bad_request",
                    "send Content-Length or Transfer-Encoding, not both");
    return false;
  }
  if (check->content_length > limits.max_body_bytes) {
    *check = Refuse(413, "body_too_large",
                    "the request body is over " +
                        std::to_string(limits.max_body_bytes / 1024) + " KiB");
    return false;
  }
  const char* space =
      static_cast<const char*>(std::memchr(data, ' ', request_line_bytes));
  std::string method(data, space == nullptr ? data : space);
  const bool unframed_write =
      !has_length && !has_transfer_encoding &&
      (method == "POST" || method == "PUT" || method == "PATCH");
  if (!dropped && !unframed_write) return true;
  if (!dropped) kept.assign(data, end);
  if (unframed_write) kept += "Content-Length: 0\r\n";
  check->head = kept + "\r\n";
  return true;
}

}  // namespace

HeadCheck CheckHead(const char* data, size_t size, const HeadLimits& limits) {
  HeadCheck check;
  size_t head_end = FindHeadEnd(data, size, limits, &check);
  if (head_end == 0) return check;
  if (!ReadFraming(data, head_end, limits, &check)) return check;
  check.verdict = Verdict::kReady;
  check.head_bytes = head_end;
  return check;
}

}  // namespace http
}  // namespace telemed
