// libFuzzer target for the local API's parsing layer (api/request_parse.h,
// model/json_body.h and base/time_format.h), the code that reads everything
// clinic software sends.
//
// The first input byte picks the parser (byte % 5) and, for the feed query,
// which of its three values are present ((byte / 5) & 7); the rest is the
// parser's input. Besides not crashing, every call must keep the promises
// the headers make: refusals carry a documented reason with the right code,
// and accepted values lie in their documented ranges. A broken promise
// aborts, which libFuzzer reports as a crash with the input that caused it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "api/request_parse.h"
#include "base/text.h"
#include "base/time_format.h"
#include "http/head_scan.h"

// Not assert(): the test build defines NDEBUG (RelWithDebInfo).
#define FUZZ_CHECK(condition)                                            \
  do {                                                                   \
    if (!(condition)) {                                                  \
      std::fprintf(stderr, "invariant broken: %s (%s:%d)\n", #condition, \
                   __FILE__, __LINE__);                                  \
      std::abort();                                                      \
    }                                                                    \
  } while (0)

namespace telemed {
namespace {

constexpr int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// The reasons request_parse.h and json_body.h list, by the code each must come
// with.
void CheckRefusal(const Status& s) {
  static const std::set<std::string> kBadRequest = {
      "invalid_json", "invalid_type", "invalid_string", "invalid_id",
      "invalid_query"};
  static const std::set<std::string> kUnprocessable = {
      "missing_field",    "invalid_value",    "invalid_start_time",
      "invalid_timezone", "invalid_duration", "topic_too_long"};
  if (s.ok()) return;
  if (s.code() == Status::Code::kInvalidArgument) {
    FUZZ_CHECK(kBadRequest.count(s.reason()) == 1);
  } else {
    FUZZ_CHECK(s.code() == Status::Code::kValidation);
    FUZZ_CHECK(kUnprocessable.count(s.reason()) == 1);
  }
  FUZZ_CHECK(!s.message().empty());
}

// Clean UTF-8 of min..max code points.
bool IsCleanText(const std::string& text, size_t min, size_t max) {
  size_t code_points = 0;
  return IsCleanUtf8(text, &code_points) && code_points >= min &&
         code_points <= max;
}

// C0, DEL, or C1 (U+0080..U+009F, "\xC2\x80".."\xC2\x9F" in UTF-8).
// REQUIRES: text is valid UTF-8.
bool HasControl(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      return true;
    }
  }
  return false;
}

// The UTC text written back must parse to the same instant.
void CheckRoundTrip(int64_t unix_seconds) {
  FUZZ_CHECK(unix_seconds >= 0 && unix_seconds <= kMaxUnixSeconds);
  const std::string text = FormatRfc3339Utc(unix_seconds);
  FUZZ_CHECK(text.size() == 20);
  int64_t again = -1;
  FUZZ_CHECK(ParseRfc3339(text, &again).ok());
  FUZZ_CHECK(again == unix_seconds);
}

void FuzzAppointment(const std::string& body) {
  AppointmentRequest request;
  const Status s = ParseAppointmentBody("a1", body, &request);
  CheckRefusal(s);
  if (!s.ok()) {
    FUZZ_CHECK(request.id.empty());  // untouched on failure
    return;
  }
  FUZZ_CHECK(request.id == "a1");
  FUZZ_CHECK(IsValidId(request.doctor_id));
  FUZZ_CHECK(request.duration_minutes >= 1 && request.duration_minutes <= 1440);
  CheckRoundTrip(request.start_time);
  FUZZ_CHECK(IsCleanText(request.timezone, 1, 64));
  FUZZ_CHECK(request.timezone.find("..") == std::string::npos);
  FUZZ_CHECK(request.timezone[0] != '/');
  FUZZ_CHECK(IsCleanText(request.topic, 0, 200));
  FUZZ_CHECK(!HasControl(request.topic) && !HasControl(request.timezone));
}

void FuzzDoctor(const std::string& body) {
  Doctor doctor;
  const Status s = ParseDoctorBody("doc-1", body, &doctor);
  CheckRefusal(s);
  if (!s.ok()) return;
  FUZZ_CHECK(doctor.id == "doc-1");
  FUZZ_CHECK(IsCleanText(doctor.name, 1, 200));
  FUZZ_CHECK(!HasControl(doctor.name) && !HasControl(doctor.zoom_user));
  FUZZ_CHECK(IsCleanText(doctor.zoom_user, 0, 128));
  FUZZ_CHECK(!doctor.zoom_user.empty() || doctor.auth == AuthMode::kOauth);
  for (char c : doctor.zoom_user) {
    FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7F);
  }
}

// Splits at the first two '&' into since, limit and wait.
void FuzzFeedQuery(const std::string& text, unsigned present) {
  std::string parts[3];
  size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    const size_t end = i < 2 ? text.find('&', start) : std::string::npos;
    parts[i] = text.substr(start, end == std::string::npos ? end : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
  }
  const std::string* since = (present & 1) ? &parts[0] : nullptr;
  const std::string* limit = (present & 2) ? &parts[1] : nullptr;
  const std::string* wait = (present & 4) ? &parts[2] : nullptr;
  FeedQuery query;
  const Status s = ParseFeedQuery(since, limit, wait, &query);
  CheckRefusal(s);
  if (!s.ok()) return;
  FUZZ_CHECK(query.limit >= 1 && query.limit <= 500);
  FUZZ_CHECK(query.wait_seconds >= 0 && query.wait_seconds <= 60);
  if (since == nullptr) {
    FUZZ_CHECK(query.cursor.kind == FeedCursor::Kind::kSeq &&
               query.cursor.seq == 0 && query.cursor.tag.empty());
    return;
  }
  if (query.cursor.kind == FeedCursor::Kind::kHead) {
    FUZZ_CHECK(*since == "head");
    return;
  }
  // An accepted cursor is a bare decimal or what FormatFeedCursor makes of
  // its tag, without leading zeros in the number; it resolves against its
  // own database exactly when it is not ahead.
  const std::string tagged =
      query.cursor.tag.empty()
          ? std::to_string(query.cursor.seq)
          : FormatFeedCursor(query.cursor.tag + "0123456789abcdef",
                             query.cursor.seq);
  const size_t dash = since->find('-') + 1;  // 0 when bare
  const size_t first = since->find_first_not_of('0', dash);
  const std::string canonical =
      since->substr(0, dash) +
      (first == std::string::npos ? "0" : since->substr(first));
  FUZZ_CHECK(tagged == canonical);
  const std::string own =
      (query.cursor.tag.empty() ? std::string("01234567") : query.cursor.tag) +
      "89abcdef0123456789abcdef";
  uint64_t after = 0;
  const uint64_t head = query.cursor.seq / 2;
  const Status resolved = ResolveFeedCursor(query.cursor, own, head, &after);
  FUZZ_CHECK(resolved.ok() == (query.cursor.seq <= head));
  if (resolved.ok()) FUZZ_CHECK(after == query.cursor.seq);
  if (!resolved.ok()) FUZZ_CHECK(resolved.reason() == "cursor_invalid");
}

void FuzzId(const std::string& id) {
  const Status s = CheckId(id);
  CheckRefusal(s);
  FUZZ_CHECK(s.ok() == IsValidId(id));
  if (!s.ok()) return;
  FUZZ_CHECK(!id.empty() && id.size() <= 128);
  FUZZ_CHECK(id.find('/') == std::string::npos && id != "." && id != "..");
}

void FuzzTime(const std::string& text) {
  int64_t unix_seconds = -1;
  const Status s = ParseRfc3339(text, &unix_seconds);
  CheckRefusal(s);
  if (s.ok()) CheckRoundTrip(unix_seconds);
  // The formatter on its own, over every representable instant.
  if (text.size() >= sizeof(uint64_t)) {
    uint64_t bits = 0;
    std::memcpy(&bits, text.data(), sizeof(bits));
    CheckRoundTrip(static_cast<int64_t>(bits % (kMaxUnixSeconds + 1)));
  }
}

}  // namespace
// The head scanner must never read past `size`, and a head it accepts must
// stay within the limits it was given.
void FuzzHead(const char* data, size_t size) {
  http::HeadLimits limits;
  limits.max_request_line = 256;
  limits.max_header_line = 128;
  limits.max_header_count = 8;
  limits.max_head_bytes = 1024;
  limits.max_body_bytes = 512;
  http::HeadCheck check = http::CheckHead(data, size, limits);
  if (check.verdict != http::HeadCheck::Verdict::kReady) return;
  if (check.head_bytes > size || check.head_bytes > limits.max_head_bytes ||
      check.content_length > limits.max_body_bytes) {
    __builtin_trap();
  }
}

}  // namespace telemed

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // Every input is also a request head as a LAN peer might send it; small
  // limits put each refusal within reach of -max_len.
  telemed::FuzzHead(reinterpret_cast<const char*>(data), size);
  // A std::string keeps a NUL after the bytes, as the parsers' callers do.
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      telemed::FuzzAppointment(input);
      break;
    case 1:
      telemed::FuzzDoctor(input);
      break;
    case 2:
      telemed::FuzzFeedQuery(input, (data[0] / 5) & 7);
      break;
    case 3:
      telemed::FuzzId(input);
      break;
    default:
      telemed::FuzzTime(input);
      break;
  }
  return 0;
}
