// Which doctors and appointments the bridge accepts, whoever hands them in:
// the local API (model/json_body.h reads the JSON and calls these), the
// CLI (`doctor put`) and, later, the admin page. Pure functions of their
// input (plus the tz database for zone names), so every front end stores
// exactly what the others would.
//
// Refusals are Status values whose reason is the API's error code and whose
// field names the culprit (docs/api.md):
//   InvalidArgument: "invalid_id", "invalid_string" (NUL, invalid UTF-8, or
//     a control character: C0 including tab and newline, DEL, C1).
//   Validation: "missing_field", "invalid_value", "invalid_start_time",
//     "invalid_timezone", "invalid_duration", "topic_too_long".
// Text rules are checked first for every field, then values in field order,
// so a front end that reads fields one by one reports the same first error.
#ifndef TELEMED_MODEL_VALIDATION_H_
#define TELEMED_MODEL_VALIDATION_H_

#include <cstddef>
#include <optional>
#include <string>

#include "base/status.h"
#include "model/records.h"

namespace telemed {

// [A-Za-z0-9._:-]{1,128}, and neither "." nor "..".
bool IsValidId(const std::string& id);

// Checks `id` with IsValidId: InvalidArgument("invalid_id", field "id").
Status CheckId(const std::string& id);

// InvalidArgument("invalid_string", field `field`) unless `value` is clean
// UTF-8 (base/text.h) without control characters. *code_points (may be
// null) receives its length.
Status CheckTextField(const char* field, const std::string& value,
                      size_t* code_points);

// Validation("missing_field", field `field`).
Status MissingField(const char* field);

// A doctor's fields as a client gave them; nullopt when not given.
struct DoctorFields {
  std::optional<std::string> name;
  std::optional<std::string> zoom_user;
  std::optional<std::string> auth;  // "s2s" (the default) or "oauth"
};

// The doctor `id` with `fields`: name 1..200 code points (required);
// zoom_user required for s2s, optional for oauth (not given and "" both
// mean none), an e-mail or Zoom user id of 1..128 code points without
// spaces or control characters. On failure *out is unchanged.
Status BuildDoctor(const std::string& id, const DoctorFields& fields,
                   Doctor* out);

// An appointment's fields as a client gave them; nullopt when not given.
struct AppointmentFields {
  std::optional<std::string> doctor_id;    // required, an id
  std::optional<std::string> start_time;   // required, RFC 3339
  std::optional<double> duration_minutes;  // required, whole, 1..1440
  std::optional<std::string> timezone;     // default "UTC"
  std::optional<std::string> topic;        // <= 200 code points; "" = none
  bool cancelled = false;
};

// The appointment `id` with `fields` (see docs/api.md). timezone must name
// a zone of the tz database under `zoneinfo_dir` (tests may point
// elsewhere). On failure *out is unchanged.
Status BuildAppointment(const std::string& id, const AppointmentFields& fields,
                        const std::string& zoneinfo_dir,
                        AppointmentRequest* out);

// Validation("invalid_timezone", field "timezone") unless `name` is an IANA
// zone name (strict characters, no "..") with a zone file in
// `zoneinfo_dir`.
Status CheckTimezone(const std::string& name, const std::string& zoneinfo_dir);

}  // namespace telemed

#endif  // TELEMED_MODEL_VALIDATION_H_
