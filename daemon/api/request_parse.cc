#include "api/request_parse.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "base/cjson.h"
#include "base/json_object.h"
#include "base/text.h"

namespace telemed {

namespace {

constexpr uint64_t kMaxLimit = 500;
constexpr uint64_t kMaxWaitSeconds = 60;
// Hex digits of the database id a feed cursor carries: enough to tell two
// databases apart, short enough to keep the cursor short.
constexpr size_t kCursorTagLength = 8;

// ---- Errors ----

Status WrongType(const char* name, const char* expected) {
  return Status::InvalidArgument(
      "invalid_type", std::string(name) + " must be " + expected, name);
}

// ---- JSON ----

// A member of the body; JSON null counts as absent, so a client may send
// null for any optional field.
const cJSON* Member(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsNull(item) ? nullptr : item;
}

// A string member, its text rules checked at once (so they come before
// any later member's type check); *out stays nullopt when missing or null.
Status ReadString(const cJSON* object, const char* name,
                  std::optional<std::string>* out) {
  const cJSON* item = Member(object, name);
  if (item == nullptr) return Status::OK();
  if (!cJSON_IsString(item)) return WrongType(name, "a string");
  Status s = CheckTextField(name, item->valuestring, nullptr);
  if (s.ok()) *out = item->valuestring;
  return s;
}

// Numbers are read from valuedouble only: valueint saturates at 2^31-1.
Status ReadNumber(const cJSON* object, const char* name,
                  std::optional<double>* out) {
  const cJSON* item = Member(object, name);
  if (item == nullptr) return Status::OK();
  if (!cJSON_IsNumber(item)) return WrongType(name, "a number");
  *out = item->valuedouble;
  return Status::OK();
}

// Leaves *out alone when the member is missing or null (the default).
Status ReadBool(const cJSON* object, const char* name, bool* out) {
  const cJSON* item = Member(object, name);
  if (item == nullptr) return Status::OK();
  if (!cJSON_IsBool(item)) return WrongType(name, "true or false");
  *out = cJSON_IsTrue(item);
  return Status::OK();
}

// Known fields were checked one by one, with their name; this catches
// invalid UTF-8 in the fields we ignore. JSON outside strings is ASCII, so
// any bad byte sits in some key or string value.
Status CheckWholeBodyUtf8(const std::string& body) {
  size_t unused = 0;
  if (IsCleanUtf8(body, &unused)) return Status::OK();
  return Status::InvalidArgument("invalid_string", "body is not valid UTF-8");
}

// ---- Bodies ----

// The type checks (400) of every known field, before any value check (422).
Status ReadAppointment(const cJSON* root, AppointmentFields* fields) {
  Status s = ReadString(root, "doctor_id", &fields->doctor_id);
  if (s.ok()) s = ReadString(root, "start_time", &fields->start_time);
  if (s.ok())
    s = ReadNumber(root, "duration_minutes", &fields->duration_minutes);
  if (s.ok()) s = ReadString(root, "timezone", &fields->timezone);
  if (s.ok()) s = ReadString(root, "topic", &fields->topic);
  if (s.ok()) s = ReadBool(root, "cancelled", &fields->cancelled);
  return s;
}

Status ReadDoctor(const cJSON* root, DoctorFields* fields) {
  Status s = ReadString(root, "name", &fields->name);
  if (s.ok()) s = ReadString(root, "zoom_user", &fields->zoom_user);
  if (s.ok()) s = ReadString(root, "auth", &fields->auth);
  return s;
}

// ---- Feed query ----

// Plain decimal digits (no sign, no spaces), at most `max`.
// REQUIRES: max >= 9, so `max - digit` cannot wrap.
bool ParseDecimal(const std::string& text, uint64_t max, uint64_t* out) {
  if (text.empty()) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// "head", a bare decimal, or "<8 lower-case hex>-<decimal>".
bool ParseCursor(const std::string& text, FeedCursor* out) {
  if (text == "head") {
    out->kind = FeedCursor::Kind::kHead;
    return true;
  }
  const size_t dash = text.find('-');
  if (dash == std::string::npos)
    return ParseDecimal(text, UINT64_MAX, &out->seq);
  if (dash != kCursorTagLength ||
      !std::all_of(text.begin(), text.begin() + dash, IsLowerHex)) {
    return false;
  }
  out->tag = text.substr(0, dash);
  return ParseDecimal(text.substr(dash + 1), UINT64_MAX, &out->seq);
}

Status InvalidQuery(const char* name, const char* rule) {
  return Status::InvalidArgument("invalid_query",
                                 std::string(name) + " must be " + rule, name);
}

}  // namespace

Status ParseDoctorBody(const std::string& id, const std::string& body,
                       Doctor* out) {
  Status s = CheckId(id);
  CjsonPtr root;
  if (s.ok()) s = ParseJsonObject(body, &root);
  DoctorFields fields;
  if (s.ok()) s = ReadDoctor(root.get(), &fields);
  if (s.ok()) s = CheckWholeBodyUtf8(body);
  if (s.ok()) s = BuildDoctor(id, fields, out);
  return s;
}

Status ParseAppointmentBody(const std::string& id, const std::string& body,
                            AppointmentRequest* out,
                            const std::string& zoneinfo_dir) {
  Status s = CheckId(id);
  CjsonPtr root;
  if (s.ok()) s = ParseJsonObject(body, &root);
  AppointmentFields fields;
  if (s.ok()) s = ReadAppointment(root.get(), &fields);
  if (s.ok()) s = CheckWholeBodyUtf8(body);
  if (s.ok()) s = BuildAppointment(id, fields, zoneinfo_dir, out);
  return s;
}

std::string FormatFeedCursor(const std::string& database_id, uint64_t seq) {
  return database_id.substr(0, kCursorTagLength) + "-" + std::to_string(seq);
}

Status ParseFeedQuery(const std::string* since, const std::string* limit,
                      const std::string* wait, FeedQuery* out) {
  FeedQuery query;
  uint64_t value = 0;
  if (since != nullptr && !ParseCursor(*since, &query.cursor)) {
    return InvalidQuery("since", "a next_cursor the feed returned, 0, or head");
  }
  if (limit != nullptr) {
    if (!ParseDecimal(*limit, kMaxLimit, &value) || value < 1) {
      return InvalidQuery("limit", "a whole number from 1 to 500");
    }
    query.limit = static_cast<int>(value);
  }
  if (wait != nullptr) {
    if (!ParseDecimal(*wait, kMaxWaitSeconds, &value)) {
      return InvalidQuery("wait", "a whole number of seconds from 0 to 60");
    }
    query.wait_seconds = static_cast<int>(value);
  }
  *out = query;
  return Status::OK();
}

Status ResolveFeedCursor(const FeedCursor& cursor,
                         const std::string& database_id, uint64_t head,
                         uint64_t* after) {
  if (cursor.kind == FeedCursor::Kind::kHead) {
    *after = head;
    return Status::OK();
  }
  const bool other_database =
      !cursor.tag.empty() &&
      cursor.tag != database_id.substr(0, kCursorTagLength);
  // "0" is the start of any database, so a client may always begin again.
  if (cursor.seq == 0 && cursor.tag.empty()) {
    *after = 0;
    return Status::OK();
  }
  if (other_database || cursor.seq > head) {
    return Status::Conflict(
        "cursor_invalid",
        std::string(other_database ? "the cursor is from another database"
                                   : "the cursor is ahead of this database") +
            " (the bridge's database was replaced or restored): read the "
            "feed again from the start, without since",
        "since");
  }
  *after = cursor.seq;
  return Status::OK();
}

Status CheckQueryNames(const std::vector<std::string>& names,
                       const std::vector<std::string>& allowed) {
  std::set<std::string> seen;
  for (const std::string& name : names) {
    const bool known =
        std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    if (known && seen.insert(name).second) continue;
    size_t unused = 0;
    const std::string shown = IsCleanUtf8(name, &unused) ? name : "";
    std::string rule = "allowed here: none";
    if (!allowed.empty()) {
      rule = "allowed here: ";
      for (size_t i = 0; i < allowed.size(); ++i) {
        rule += (i > 0 ? ", " : "") + allowed[i];
      }
    }
    return Status::InvalidArgument(
        "invalid_query",
        "query parameter '" + shown + "' is " +
            (known ? "given more than once" : "unknown (" + rule + ")"),
        shown);
  }
  return Status::OK();
}

}  // namespace telemed
