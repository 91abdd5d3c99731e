// Parsing of what clinic software sends to the local API: JSON bodies of
// PUT /doctors/{id} and PUT /appointments/{id}, and the change feed's query
// values. The JSON is read here (types, duplicate keys, NUL escapes); the
// values are checked by model/validation.h, shared with the other front
// ends. Pure functions of their input, so the fuzz target (tests/fuzz/)
// drives them directly.
//
// Every refusal is a Status whose reason is the API's error code and whose
// field names the culprit:
//   InvalidArgument (400): "invalid_json" (not JSON, not an object, or a key
//     given twice in one object at any depth: field = that key),
//     "invalid_type" (a field of the wrong JSON type), "invalid_string" (NUL,
//     invalid UTF-8, or in a known field a control character: C0 including
//     tab and newline, DEL, C1 U+0080..U+009F), "invalid_id",
//     "invalid_query".
//   Conflict (409): "cursor_invalid" (ResolveFeedCursor).
//   Validation (422): "missing_field", "invalid_value", "invalid_start_time",
//     "invalid_timezone", "invalid_duration", "topic_too_long".
// Field names are matched case-sensitively; unknown and read-only fields are
// ignored, so a client may PUT back what it read. JSON null means the same
// as a missing field. Types are checked (400) before values (422). A "\u0000"
// escape or invalid UTF-8 outside the known fields is refused with an empty
// field, as cJSON cannot say where it was.
#ifndef TELEMED_API_REQUEST_PARSE_H_
#define TELEMED_API_REQUEST_PARSE_H_

#include <cstdint>
#include <string>
#include <vector>

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

// A feed cursor (the `since` of GET /appointments) as the client sent it.
// The API hands out "<tag>-<seq>": tag is the first 8 hex digits of the
// database's id (Store::GetDatabaseId), seq the change_seq to list after.
// A bare decimal seq is a cursor from before cursors carried the tag (or
// "0", the start); "head" means the newest change at the time of asking.
struct FeedCursor {
  enum class Kind { kSeq, kHead };
  Kind kind = Kind::kSeq;
  std::string tag;  // "" for a bare decimal cursor (this database's)
  uint64_t seq = 0;
};

// The cursor after change `seq` of the database with id `database_id`.
// REQUIRES: database_id has at least 8 characters.
std::string FormatFeedCursor(const std::string& database_id, uint64_t seq);

// Query values of GET /appointments. Absent values take the defaults
// (since 0, limit 100, wait 0). since: a cursor FormatFeedCursor made, a
// bare decimal, or "head"; limit 1..500; wait 0..60 seconds, whole.
// InvalidArgument("invalid_query", field = the parameter) otherwise.
// `since` stays 0 here: ResolveFeedCursor sets it from `cursor`.
struct FeedQuery {
  FeedCursor cursor;
  uint64_t since = 0;  // the change_seq to list after, once resolved
  int limit = 100;
  int wait_seconds = 0;
};
Status ParseFeedQuery(const std::string* since, const std::string* limit,
                      const std::string* wait, FeedQuery* out);

// The change_seq to list after for `cursor`, given this database's id and
// its newest change_seq `head`. A cursor of another database (its tag is
// not this id's) or ahead of `head` (a database restored from an older
// copy) is Conflict("cursor_invalid", field "since"): its client must read
// the feed again from the start. "0" is the start of every database.
Status ResolveFeedCursor(const FeedCursor& cursor,
                         const std::string& database_id, uint64_t head,
                         uint64_t* after);

// InvalidArgument("invalid_query", field = the name) for the first query
// parameter in `names` that is not in `allowed` or is given more than once.
// `names` holds each occurrence (repeats included), in any order.
Status CheckQueryNames(const std::vector<std::string>& names,
                       const std::vector<std::string>& allowed);

}  // namespace telemed

#endif  // TELEMED_API_REQUEST_PARSE_H_
