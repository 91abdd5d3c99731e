// The rules of model/validation.h. Text rules come from base/text.h; each
// Check* here is one field's value rule, and Build* run them in the order
// the API has always reported them.
#include "model/validation.h"

#include <sys/stat.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <utility>

#include "base/text.h"
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

Status InvalidValue(const char* name, const std::string& rule) {
  return Status::Validation("invalid_value",
                            std::string(name) + " must be " + rule, name);
}

// Checks each given text field in turn; the first failure wins.
Status CheckTextFields(
    std::initializer_list<std::pair<const char*, const std::string*>> fields) {
  for (const auto& [name, value] : fields) {
    if (value == nullptr) continue;
    Status s = CheckTextField(name, *value, nullptr);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

const std::string* Given(const std::optional<std::string>& field) {
  return field ? &*field : nullptr;
}

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  return IsCleanUtf8(text, &count) ? count : 0;
}

// ---- Doctors ----

Status CheckName(const std::optional<std::string>& name) {
  if (!name) return MissingField("name");
  const size_t length = CodePoints(*name);
  if (length < 1 || length > kMaxNameCodePoints) {
    return InvalidValue("name", "1 to 200 characters");
  }
  return Status::OK();
}

// The words clients write, compared here rather than with ParseAuthMode so
// that they stay pinned to the API whatever names the store uses.
Status CheckAuth(const std::optional<std::string>& field, AuthMode* out) {
  if (!field || *field == "s2s") {
    *out = AuthMode::kS2s;
  } else if (*field == "oauth") {
    *out = AuthMode::kOauth;
  } else {
    return InvalidValue("auth", "\"s2s\" or \"oauth\"");
  }
  return Status::OK();
}

// Not given and "" both mean no zoom_user, which only oauth doctors may
// lack (a GET of such a doctor shows "", and PUT-ing it back must work).
Status CheckZoomUser(const std::string& zoom_user, AuthMode auth) {
  if (zoom_user.empty()) {
    return auth == AuthMode::kS2s ? MissingField("zoom_user") : Status::OK();
  }
  if (CodePoints(zoom_user) > kMaxZoomUserCodePoints ||
      HasSpaceOrControl(zoom_user)) {
    return InvalidValue("zoom_user",
                        "a Zoom user id or e-mail (1 to 128 characters, no "
                        "spaces or control characters)");
  }
  return Status::OK();
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

Status CheckDoctorId(const std::optional<std::string>& doctor_id) {
  if (!doctor_id) return MissingField("doctor_id");
  if (!IsValidId(*doctor_id)) {
    return InvalidValue("doctor_id", "a doctor id ([A-Za-z0-9._:-]{1,128})");
  }
  return Status::OK();
}

Status CheckStartTime(const std::optional<std::string>& field,
                      int64_t* unix_seconds) {
  if (!field) return MissingField("start_time");
  Status s = ParseRfc3339(*field, unix_seconds);
  if (s.ok()) return s;
  return Status::Validation(s.reason(), s.message(), "start_time");
}

Status CheckDuration(const std::optional<double>& value, int* minutes) {
  if (!value) return MissingField("duration_minutes");
  // The range test comes first and also refuses NaN and infinities, so the
  // cast below is exact.
  if (!(*value >= kMinDuration && *value <= kMaxDuration) ||
      std::floor(*value) != *value) {
    return Status::Validation(
        "invalid_duration",
        "duration_minutes must be a whole number from 1 to 1440",
        "duration_minutes");
  }
  *minutes = static_cast<int>(*value);
  return Status::OK();
}

Status CheckTopic(const std::optional<std::string>& topic) {
  if (topic && CodePoints(*topic) > kMaxTopicCodePoints) {
    return Status::Validation(
        "topic_too_long", "topic must have at most 200 characters", "topic");
  }
  return Status::OK();
}

// The value checks of BuildAppointment, in field order.
Status CheckAppointmentValues(const AppointmentFields& fields,
                              const std::string& zoneinfo_dir,
                              AppointmentRequest* request) {
  Status s = CheckDoctorId(fields.doctor_id);
  if (s.ok()) s = CheckStartTime(fields.start_time, &request->start_time);
  if (s.ok())
    s = CheckDuration(fields.duration_minutes, &request->duration_minutes);
  if (s.ok() && fields.timezone)
    s = CheckTimezone(*fields.timezone, zoneinfo_dir);
  if (s.ok()) s = CheckTopic(fields.topic);
  return s;
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

Status CheckTextField(const char* field, const std::string& value,
                      size_t* code_points) {
  size_t count = 0;
  if (!IsCleanUtf8(value, &count)) {
    return Status::InvalidArgument(
        "invalid_string", std::string(field) + " is not valid UTF-8", field);
  }
  if (HasControlCharacter(value)) {
    return Status::InvalidArgument(
        "invalid_string",
        std::string(field) +
            " must not contain control characters (tab, newline, escape...)",
        field);
  }
  if (code_points != nullptr) *code_points = count;
  return Status::OK();
}

Status MissingField(const char* field) {
  return Status::Validation("missing_field",
                            std::string(field) + " is required", field);
}

Status BuildDoctor(const std::string& id, const DoctorFields& fields,
                   Doctor* out) {
  Doctor doctor;
  Status s = CheckId(id);
  if (s.ok()) {
    s = CheckTextFields({{"name", Given(fields.name)},
                         {"zoom_user", Given(fields.zoom_user)},
                         {"auth", Given(fields.auth)}});
  }
  if (s.ok()) s = CheckName(fields.name);
  if (s.ok()) s = CheckAuth(fields.auth, &doctor.auth);
  doctor.zoom_user = fields.zoom_user.value_or("");
  if (s.ok()) s = CheckZoomUser(doctor.zoom_user, doctor.auth);
  if (!s.ok()) return s;
  doctor.id = id;
  doctor.name = *fields.name;
  *out = std::move(doctor);
  return Status::OK();
}

Status BuildAppointment(const std::string& id, const AppointmentFields& fields,
                        const std::string& zoneinfo_dir,
                        AppointmentRequest* out) {
  AppointmentRequest request;
  Status s = CheckId(id);
  if (s.ok()) {
    s = CheckTextFields({{"doctor_id", Given(fields.doctor_id)},
                         {"start_time", Given(fields.start_time)},
                         {"timezone", Given(fields.timezone)},
                         {"topic", Given(fields.topic)}});
  }
  if (s.ok()) s = CheckAppointmentValues(fields, zoneinfo_dir, &request);
  if (!s.ok()) return s;
  request.id = id;
  request.doctor_id = *fields.doctor_id;
  if (fields.timezone) request.timezone = *fields.timezone;
  request.topic = fields.topic.value_or("");
  request.cancelled = fields.cancelled;
  *out = std::move(request);
  return Status::OK();
}

Status CheckTimezone(const std::string& name, const std::string& zoneinfo_dir) {
  if (IsZoneNameSyntax(name) && IsZoneFile(zoneinfo_dir + "/" + name)) {
    return Status::OK();
  }
  return Status::Validation(
      "invalid_timezone",
      "timezone must be an IANA zone name such as Europe/Berlin", "timezone");
}

}  // namespace telemed
