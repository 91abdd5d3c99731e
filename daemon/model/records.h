// The records the bridge keeps: doctors, appointments (with the sync fields
// the Zoom engine fills), and API keys. Plain values shared by every front
// end (API, CLI) and the store: model/validation.h says which values are
// acceptable, store/ owns their persistence and api/ their JSON form.
#ifndef TELEMED_MODEL_RECORDS_H_
#define TELEMED_MODEL_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace telemed {

// How the bridge reaches Zoom for a doctor.
enum class AuthMode {
  kS2s,    // the clinic's Server-to-Server OAuth app acts for zoom_user
  kOauth,  // the doctor's own Zoom account, connected once (not built yet)
};
// "s2s" / "oauth".
const char* AuthModeName(AuthMode mode);
// Parses "s2s" / "oauth" exactly; false otherwise.
bool ParseAuthMode(const std::string& text, AuthMode* out);

struct Doctor {
  std::string id;         // IsValidId (model/validation.h)
  std::string name;       // display name, non-empty
  std::string zoom_user;  // Zoom user id or e-mail; may be empty for kOauth
  AuthMode auth = AuthMode::kS2s;
  int64_t created_at = 0;  // unix seconds, UTC; set by the store
  int64_t updated_at = 0;  // unix seconds, UTC; set by the store
};

// The clinic's full current view of one appointment: the normalised body of
// PUT /appointments/{id}. Two requests that are equal here are the same
// appointment, so a repeated PUT changes nothing.
struct AppointmentRequest {
  std::string id;
  std::string doctor_id;
  int64_t start_time = 0;        // unix seconds, UTC, whole seconds
  int duration_minutes = 0;      // 1..1440
  std::string timezone = "UTC";  // IANA zone name, for display in Zoom
  std::string topic;             // empty means none (missing, null or "")
  bool cancelled = false;

  bool operator==(const AppointmentRequest& other) const;
  bool operator!=(const AppointmentRequest& other) const {
    return !(*this == other);
  }
};

enum class SyncStatus { kPending, kSynced, kFailed };
// "pending" / "synced" / "failed".
const char* SyncStatusName(SyncStatus status);

// The Zoom meeting that serves an appointment (filled by the sync engine).
struct Meeting {
  std::string id;        // Zoom's int64 id, as decimal text
  std::string join_url;  // the patient's link (carries the passcode)
  std::string passcode;
  // The meeting's start (unix seconds, UTC) as Zoom last confirmed it; it
  // differs from the appointment's while a reschedule has not reached Zoom.
  // Read-only: the store fills it from ZoomState::synced_start_time, which
  // is what the sync engine writes. 0 when unknown.
  int64_t start_time = 0;
};

// Why an appointment is not synced yet; code is snake_case. Only a change
// of `code` is a visible change (moves revision and the feed).
struct SyncError {
  std::string code;
  std::string message;
  int zoom_code = 0;     // Zoom's error code when Zoom refused; 0 for none
  int64_t retry_at = 0;  // unix seconds when the bridge tries again; 0 = n/a
  std::vector<std::string> missing_scopes;  // for zoom_scope_missing
};

// An appointment as stored: what the clinic asked plus what the bridge knows.
struct Appointment {
  AppointmentRequest request;
  SyncStatus sync_status = SyncStatus::kPending;
  bool has_meeting = false;
  Meeting meeting;  // valid when has_meeting
  bool has_error = false;
  SyncError error;  // valid when has_error
  // Moves by one each time something the clinic can see changes (its own
  // fields, sync_status, meeting, error.code); never on a retry's message.
  int64_t revision = 0;
  int64_t updated_at = 0;   // unix seconds, UTC, of the last visible change
  uint64_t change_seq = 0;  // position in the change feed (see Store)
};

// What a put did.
enum class WriteOutcome {
  kCreated,    // no record had this id
  kReplaced,   // the record changed
  kUnchanged,  // the request equalled what was stored; nothing was written
};

struct ApiKeyInfo {
  std::string name;
  int64_t created_at = 0;    // unix seconds, UTC
  int64_t last_used_at = 0;  // unix seconds, UTC; 0 = never
  int64_t revoked_at = 0;    // unix seconds, UTC; 0 = active
};

}  // namespace telemed

#endif  // TELEMED_MODEL_RECORDS_H_
