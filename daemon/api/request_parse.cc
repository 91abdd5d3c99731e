#include "api/request_parse.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <utility>

#include "base/cjson.h"
#include "base/time_format.h"

namespace telemed {

namespace {

constexpr size_t kMaxIdLength = 128;
constexpr size_t kMaxNameCodePoints = 200;
constexpr size_t kMaxTopicCodePoints = 200;
constexpr size_t kMaxZoomUserCodePoints = 128;
constexpr size_t kMaxTimezoneLength = 64;
constexpr double kMinDuration = 1;
constexpr double kMaxDuration = 1440;
constexpr uint64_t kMaxLimit = 500;
constexpr uint64_t kMaxWaitSeconds = 60;
// Hex digits of the database id a feed cursor carries: enough to tell two
// databases apart, short enough to keep the cursor short.
constexpr size_t kCursorTagLength = 8;

// ---- UTF-8 ----

// Reads the lead byte of a UTF-8 sequence: its length, its payload bits and
// the smallest code point that length may carry (to refuse overlong forms).
bool ReadLeadByte(unsigned char lead, size_t* length, char32_t* bits,
                  char32_t* min) {
  if (lead < 0x80) {
    *length = 1, *bits = lead, *min = 0;
  } else if ((lead & 0xE0) == 0xC0) {
    *length = 2, *bits = lead & 0x1F, *min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    *length = 3, *bits = lead & 0x0F, *min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    *length = 4, *bits = lead & 0x07, *min = 0x10000;
  } else {
    return false;  // a continuation byte or 0xF8..0xFF
  }
  return true;
}

// Decodes the code point at *pos and advances past it. False for truncated
// sequences, overlong forms, UTF-16 surrogates and values past U+10FFFF.
bool DecodeCodePoint(const std::string& text, size_t* pos, char32_t* out) {
  size_t length = 0;
  char32_t code_point = 0;
  char32_t min = 0;
  if (!ReadLeadByte(static_cast<unsigned char>(text[*pos]), &length,
                    &code_point, &min) ||
      text.size() - *pos < length) {
    return false;
  }
  for (size_t i = 1; i < length; ++i) {
    const unsigned char next = static_cast<unsigned char>(text[*pos + i]);
    if ((next & 0xC0) != 0x80) return false;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return false;
  }
  *pos += length;
  *out = code_point;
  return true;
}

// Control characters (C0, DEL, C1) and Unicode White_Space, plus the BOM:
// none belongs in a Zoom user id or e-mail, and all are invisible in logs.
bool IsSpaceOrControl(char32_t c) {
  return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// C0 (tab and newline included), DEL and C1: a terminal acts on them
// (ESC starts a sequence that moves the cursor or rewrites the screen, and
// U+009B is CSI), so stored text that an admin's CLI or a clinic screen
// prints must not carry them.
bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Whether `text` holds a code point for which `test` is true.
// REQUIRES: IsCleanUtf8(text).
bool HasCodePoint(const std::string& text, bool (*test)(char32_t)) {
  size_t pos = 0;
  char32_t c = 0;
  while (pos < text.size() && DecodeCodePoint(text, &pos, &c)) {
    if (test(c)) return true;
  }
  return false;
}

// REQUIRES: IsCleanUtf8(text).
bool HasSpaceOrControl(const std::string& text) {
  return HasCodePoint(text, IsSpaceOrControl);
}

// ---- Errors ----

Status MissingField(const char* name) {
  return Status::Validation("missing_field", std::string(name) + " is required",
                            name);
}

Status WrongType(const char* name, const char* expected) {
  return Status::InvalidArgument(
      "invalid_type", std::string(name) + " must be " + expected, name);
}

Status InvalidValue(const char* name, const std::string& rule) {
  return Status::Validation("invalid_value",
                            std::string(name) + " must be " + rule, name);
}

// ---- JSON ----

// cJSON decodes "\u0000" to a NUL and silently cuts the string there (a
// key "doctor_id\u0000x" would even match "doctor_id"), so the escape is
// looked for in the raw text. In valid JSON every backslash starts a
// two-character escape, so stepping over pairs meets each escape once and
// does not mistake "\\u0000" (a backslash, then "u0000") for one.
bool HasNulEscape(const std::string& body) {
  for (size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] != '\\') continue;
    if (body.compare(i + 1, 5, "u0000") == 0) return true;
    ++i;
  }
  return false;
}

// cJSON keeps every member of an object, repeats included, and its look-ups
// return the first: {"cancelled":false,"cancelled":true} would silently
// mean false. Whoever sent both meant something, so neither is guessed.
// Recursion is bounded by cJSON's nesting limit (1000).
Status CheckDuplicateKeys(const cJSON* item) {
  std::set<std::string> keys;
  for (const cJSON* child = item->child; child != nullptr;
       child = child->next) {
    if (cJSON_IsObject(item) && !keys.insert(child->string).second) {
      size_t unused = 0;
      // An invalid key is refused later as invalid_string; it is not put
      // into the answer.
      if (!IsCleanUtf8(child->string, &unused)) {
        return Status::InvalidArgument("invalid_json",
                                       "a key appears twice in one object");
      }
      return Status::InvalidArgument("invalid_json",
                                     "key \"" + std::string(child->string) +
                                         "\" appears twice in one object",
                                     child->string);
    }
    Status s = CheckDuplicateKeys(child);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status ParseObject(const std::string& body, CjsonPtr* out) {
  if (HasNulEscape(body)) {
    return Status::InvalidArgument("invalid_string",
                                   "strings must not contain NUL (\\u0000)");
  }
  const char* end = nullptr;
  CjsonPtr root(cJSON_ParseWithOpts(body.c_str(), &end,
                                    /*require_null_terminated=*/1));
  // cJSON reads up to the first NUL byte: a raw NUL ends the parse early,
  // and whatever follows it was never checked.
  if (root == nullptr || end != body.c_str() + body.size()) {
    return Status::InvalidArgument("invalid_json", "body is not valid JSON");
  }
  if (!cJSON_IsObject(root.get())) {
    return Status::InvalidArgument("invalid_json",
                                   "body must be a JSON object");
  }
  Status s = CheckDuplicateKeys(root.get());
  if (!s.ok()) return s;
  *out = std::move(root);
  return Status::OK();
}

// A member of the body; JSON null counts as absent, so a client may send
// null for any optional field.
const cJSON* Member(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsNull(item) ? nullptr : item;
}

struct StringField {
  bool present = false;  // false when missing or null
  std::string value;
  size_t code_points = 0;
};

Status ReadString(const cJSON* object, const char* name, StringField* out) {
  const cJSON* item = Member(object, name);
  if (item == nullptr) return Status::OK();
  if (!cJSON_IsString(item)) return WrongType(name, "a string");
  out->present = true;
  out->value = item->valuestring;
  if (!IsCleanUtf8(out->value, &out->code_points)) {
    return Status::InvalidArgument(
        "invalid_string", std::string(name) + " is not valid UTF-8", name);
  }
  if (HasCodePoint(out->value, IsControl)) {
    return Status::InvalidArgument(
        "invalid_string",
        std::string(name) +
            " must not contain control characters (tab, newline, escape...)",
        name);
  }
  return Status::OK();
}

// Numbers are read from valuedouble only: valueint saturates at 2^31-1.
Status ReadNumber(const cJSON* object, const char* name, bool* present,
                  double* out) {
  const cJSON* item = Member(object, name);
  *present = item != nullptr;
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

// ---- Appointments ----

bool IsZoneNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-';
}

// Segments of [A-Za-z0-9_+-] joined by single '/', each starting with an
// upper-case letter. That shuts out "..", absolute paths, and the tz
// directory's non-zone entries ("posix/", "right/", "localtime",
// "zone.tab"), which all start in lower case or contain a '.'.
bool IsZoneNameSyntax(const std::string& name) {
  if (name.empty() || name.size() > kMaxTimezoneLength) return false;
  bool segment_start = true;
  for (char c : name) {
    if (c == '/') {
      if (segment_start) return false;
      segment_start = true;
      continue;
    }
    if (segment_start ? !(c >= 'A' && c <= 'Z') : !IsZoneNameChar(c)) {
      return false;
    }
    segment_start = false;
  }
  return !segment_start;
}

// A regular file (symlinks followed: "UTC" links to "Etc/UTC" on Debian)
// that starts with the TZif magic of tzfile(5).
bool IsZoneFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  std::ifstream file(path, std::ios::binary);
  char magic[4];
  return file.read(magic, sizeof(magic)) &&
         std::memcmp(magic, "TZif", sizeof(magic)) == 0;
}

Status CheckTimezone(const std::string& name, const std::string& zoneinfo_dir) {
  if (IsZoneNameSyntax(name) && IsZoneFile(zoneinfo_dir + "/" + name)) {
    return Status::OK();
  }
  return Status::Validation(
      "invalid_timezone",
      "timezone must be an IANA zone name such as Europe/Berlin", "timezone");
}

struct RawAppointment {
  StringField doctor_id;
  StringField start_time;
  bool has_duration = false;
  double duration = 0;
  StringField timezone;
  StringField topic;
  bool cancelled = false;  // missing or null: not cancelled
};

// The type checks (400) of every known field, before any value check (422).
Status ReadAppointment(const cJSON* root, RawAppointment* raw) {
  Status s = ReadString(root, "doctor_id", &raw->doctor_id);
  if (s.ok()) s = ReadString(root, "start_time", &raw->start_time);
  if (s.ok()) {
    s = ReadNumber(root, "duration_minutes", &raw->has_duration,
                   &raw->duration);
  }
  if (s.ok()) s = ReadString(root, "timezone", &raw->timezone);
  if (s.ok()) s = ReadString(root, "topic", &raw->topic);
  if (s.ok()) s = ReadBool(root, "cancelled", &raw->cancelled);
  return s;
}

Status CheckDuration(bool present, double value, int* minutes) {
  if (!present) return MissingField("duration_minutes");
  // The range test comes first and also refuses NaN and infinities, so the
  // cast below is exact.
  if (!(value >= kMinDuration && value <= kMaxDuration) ||
      std::floor(value) != value) {
    return Status::Validation(
        "invalid_duration",
        "duration_minutes must be a whole number from 1 to 1440",
        "duration_minutes");
  }
  *minutes = static_cast<int>(value);
  return Status::OK();
}

Status CheckStartTime(const StringField& field, int64_t* unix_seconds) {
  if (!field.present) return MissingField("start_time");
  Status s = ParseRfc3339(field.value, unix_seconds);
  if (s.ok()) return s;
  return Status::Validation(s.reason(), s.message(), "start_time");
}

Status ValidateAppointment(const RawAppointment& raw,
                           const std::string& zoneinfo_dir,
                           AppointmentRequest* request) {
  if (!raw.doctor_id.present) return MissingField("doctor_id");
  if (!IsValidId(raw.doctor_id.value)) {
    return InvalidValue("doctor_id", "a doctor id ([A-Za-z0-9._:-]{1,128})");
  }
  request->doctor_id = raw.doctor_id.value;
  Status s = CheckStartTime(raw.start_time, &request->start_time);
  if (s.ok())
    s = CheckDuration(raw.has_duration, raw.duration,
                      &request->duration_minutes);
  if (!s.ok()) return s;
  if (raw.timezone.present) {
    s = CheckTimezone(raw.timezone.value, zoneinfo_dir);
    if (!s.ok()) return s;
    request->timezone = raw.timezone.value;
  }
  if (raw.topic.code_points > kMaxTopicCodePoints) {
    return Status::Validation(
        "topic_too_long", "topic must have at most 200 characters", "topic");
  }
  request->topic = raw.topic.value;
  request->cancelled = raw.cancelled;
  return Status::OK();
}

// ---- Doctors ----

struct RawDoctor {
  StringField name;
  StringField zoom_user;
  StringField auth;
};

Status ReadDoctor(const cJSON* root, RawDoctor* raw) {
  Status s = ReadString(root, "name", &raw->name);
  if (s.ok()) s = ReadString(root, "zoom_user", &raw->zoom_user);
  if (s.ok()) s = ReadString(root, "auth", &raw->auth);
  return s;
}

// Compared here rather than with ParseAuthMode so the API's words stay
// pinned to the API, whatever names the store uses.
Status CheckAuth(const StringField& field, AuthMode* out) {
  if (!field.present || field.value == "s2s") {
    *out = AuthMode::kS2s;
  } else if (field.value == "oauth") {
    *out = AuthMode::kOauth;
  } else {
    return InvalidValue("auth", "\"s2s\" or \"oauth\"");
  }
  return Status::OK();
}

// Missing, null and "" all mean no zoom_user, which only oauth doctors may
// lack (a GET of such a doctor shows "", and PUT-ing it back must work).
Status CheckZoomUser(const StringField& field, AuthMode auth) {
  if (field.value.empty()) {
    return auth == AuthMode::kS2s ? MissingField("zoom_user") : Status::OK();
  }
  if (field.code_points > kMaxZoomUserCodePoints ||
      HasSpaceOrControl(field.value)) {
    return InvalidValue("zoom_user",
                        "a Zoom user id or e-mail (1 to 128 characters, no "
                        "spaces or control characters)");
  }
  return Status::OK();
}

Status ValidateDoctor(const RawDoctor& raw, Doctor* doctor) {
  if (!raw.name.present) return MissingField("name");
  if (raw.name.code_points < 1 || raw.name.code_points > kMaxNameCodePoints) {
    return InvalidValue("name", "1 to 200 characters");
  }
  Status s = CheckAuth(raw.auth, &doctor->auth);
  if (s.ok()) s = CheckZoomUser(raw.zoom_user, doctor->auth);
  if (!s.ok()) return s;
  doctor->name = raw.name.value;
  doctor->zoom_user = raw.zoom_user.value;
  return Status::OK();
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

bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdLength || id == "." || id == "..") {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CheckId(const std::string& id) {
  if (IsValidId(id)) return Status::OK();
  return Status::InvalidArgument(
      "invalid_id", "ids are 1 to 128 of [A-Za-z0-9._:-], not . or ..", "id");
}

bool IsCleanUtf8(const std::string& text, size_t* code_points) {
  size_t count = 0;
  size_t pos = 0;
  char32_t c = 0;
  while (pos < text.size()) {
    if (!DecodeCodePoint(text, &pos, &c) || c == 0) return false;
    ++count;
  }
  *code_points = count;
  return true;
}

Status ParseDoctorBody(const std::string& id, const std::string& body,
                       Doctor* out) {
  Status s = CheckId(id);
  CjsonPtr root;
  if (s.ok()) s = ParseObject(body, &root);
  RawDoctor raw;
  if (s.ok()) s = ReadDoctor(root.get(), &raw);
  if (s.ok()) s = CheckWholeBodyUtf8(body);
  Doctor doctor;
  if (s.ok()) s = ValidateDoctor(raw, &doctor);
  if (!s.ok()) return s;
  doctor.id = id;
  *out = std::move(doctor);
  return Status::OK();
}

Status ParseAppointmentBody(const std::string& id, const std::string& body,
                            AppointmentRequest* out,
                            const std::string& zoneinfo_dir) {
  Status s = CheckId(id);
  CjsonPtr root;
  if (s.ok()) s = ParseObject(body, &root);
  RawAppointment raw;
  if (s.ok()) s = ReadAppointment(root.get(), &raw);
  if (s.ok()) s = CheckWholeBodyUtf8(body);
  AppointmentRequest request;
  if (s.ok()) s = ValidateAppointment(raw, zoneinfo_dir, &request);
  if (!s.ok()) return s;
  request.id = id;
  *out = std::move(request);
  return Status::OK();
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
