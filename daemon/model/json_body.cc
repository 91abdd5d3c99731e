#include "model/json_body.h"

#include <optional>
#include <set>
#include <utility>

#include "base/cjson.h"
#include "base/text.h"

namespace telemed {

namespace {

// ---- Errors ----

Status WrongType(const char* name, const char* expected) {
  return Status::InvalidArgument(
      "invalid_type", std::string(name) + " must be " + expected, name);
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

}  // namespace

Status ParseDoctorBody(const std::string& id, const std::string& body,
                       Doctor* out) {
  Status s = CheckId(id);
  CjsonPtr root;
  if (s.ok()) s = ParseObject(body, &root);
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
  if (s.ok()) s = ParseObject(body, &root);
  AppointmentFields fields;
  if (s.ok()) s = ReadAppointment(root.get(), &fields);
  if (s.ok()) s = CheckWholeBodyUtf8(body);
  if (s.ok()) s = BuildAppointment(id, fields, zoneinfo_dir, out);
  return s;
}

Status ParseJsonObject(const std::string& body, CjsonPtr* out) {
  Status s = ParseObject(body, out);
  if (s.ok()) s = CheckWholeBodyUtf8(body);
  return s;
}

Status ReadJsonString(const cJSON* object, const char* name,
                      std::optional<std::string>* out) {
  return ReadString(object, name, out);
}

Status ParseDisconnectBody(const std::string& body, bool* delete_meetings) {
  *delete_meetings = false;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::OK();
  }
  CjsonPtr root;
  Status s = ParseJsonObject(body, &root);
  bool value = false;
  if (s.ok()) s = ReadBool(root.get(), "delete_meetings", &value);
  if (s.ok()) *delete_meetings = value;
  return s;
}

}  // namespace telemed
