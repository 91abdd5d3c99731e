// The JSON bodies every front end reads for a doctor and an appointment
// (PUT /api/v1/doctors/{id} and /appointments/{id} of the local API, PUT
// /admin/api/doctors/{id} of the admin page). The JSON is read here (types,
// duplicate keys, NUL escapes); the values are checked by
// model/validation.h. Pure functions of their input, so the fuzz target
// (tests/fuzz/) drives them directly.
//
// Every refusal is a Status whose reason is the API's error code and whose
// field names the culprit:
//   InvalidArgument (400): "invalid_json" (not JSON, not an object, or a key
//     given twice in one object at any depth: field = that key),
//     "invalid_type" (a field of the wrong JSON type), "invalid_string" (NUL,
//     invalid UTF-8, or in a known field a control character: C0 including
//     tab and newline, DEL, C1 U+0080..U+009F), "invalid_id".
//   Validation (422): "missing_field", "invalid_value", "invalid_start_time",
//     "invalid_timezone", "invalid_duration", "topic_too_long".
// Field names are matched case-sensitively; unknown and read-only fields are
// ignored, so a client may PUT back what it read. JSON null means the same
// as a missing field. Types are checked (400) before values (422). A "\u0000"
// escape or invalid UTF-8 outside the known fields is refused with an empty
// field, as cJSON cannot say where it was.
#ifndef TELEMED_MODEL_JSON_BODY_H_
#define TELEMED_MODEL_JSON_BODY_H_

#include <optional>
#include <string>

#include "base/cjson.h"
#include "base/status.h"
#include "model/records.h"
#include "model/validation.h"

namespace telemed {

// Body of PUT /doctors/{id}: {"name", "zoom_user", "auth"}; auth defaults to
// "s2s". name: 1..200 code points. zoom_user: required for s2s, optional for
// oauth (missing, null and "" all mean none); an e-mail or a Zoom user id
// (1..128 chars, no spaces or control characters). On success *out holds id
// and the parsed fields; on failure *out is unchanged.
Status ParseDoctorBody(const std::string& id, const std::string& body,
                       Doctor* out);

// Body of PUT /appointments/{id} (see docs/api.md): doctor_id, start_time and
// duration_minutes required; timezone defaults to "UTC" and must name a zone
// of the system's tz database (strict characters, no ".."); topic <= 200 code
// points, missing/null/"" all mean none; cancelled defaults to false.
// duration_minutes is a whole JSON number (30 or 30.0) in 1..1440. On
// failure *out is unchanged.
// `zoneinfo_dir` is where zone files live (tests may point elsewhere).
Status ParseAppointmentBody(
    const std::string& id, const std::string& body, AppointmentRequest* out,
    const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

// For a front end's other bodies, under the same rules: `body` as one
// JSON object (no NUL escape, no key twice, valid UTF-8 throughout).
Status ParseJsonObject(const std::string& body, CjsonPtr* out);
// The string member `name` of `object` (null counts as absent: *out stays
// nullopt), its text checked by CheckTextField; "invalid_type" when not a
// string.
Status ReadJsonString(const cJSON* object, const char* name,
                      std::optional<std::string>* out);

// Body of a doctor's disconnect (POST /api/v1/doctors/{id}/disconnect and
// the admin page's): optional; {"delete_meetings": true|false} (missing or
// null: false). An empty or all-white-space body means the defaults.
Status ParseDisconnectBody(const std::string& body, bool* delete_meetings);

}  // namespace telemed

#endif  // TELEMED_MODEL_JSON_BODY_H_
