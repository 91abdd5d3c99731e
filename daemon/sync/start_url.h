// The doctor's start link for an appointment's meeting, fetched fresh from
// Zoom (it expires about two hours after Zoom issues it, so it is never
// stored), with the sync rule for a meeting Zoom no longer has.
#ifndef TELEMED_SYNC_START_URL_H_
#define TELEMED_SYNC_START_URL_H_

#include <string>

#include "base/status.h"

namespace telemed {

class Logger;
class Store;
class ZoomApi;
class ZoomClient;

// Why no start link came back, for the caller to switch on.
enum class StartUrlFailure {
  kNone,             // OK, or the store's error (the Status says which)
  kNoMeeting,        // Conflict "no_meeting"
  kZoomUnavailable,  // Unavailable "zoom_unavailable"
};

// Reads appointment `id`'s meeting from Zoom (GET /meetings/{id}) into
// *start_url, as the S2S app `zoom`, or for a meeting of an OAuth doctor
// through that doctor's own grant from `doctors` (ZoomClient::ApiFor;
// refreshed as every call of the doctor's is). Errors:
//   - the store's (NotFound "appointment_not_found" for an unknown id);
//   - Conflict "no_meeting" when the appointment has no meeting yet, or
//     when Zoom answers 404 code 3001: then the meeting is forgotten and
//     its create queued at once, as after any call that finds it gone
//     (docs/sync.md);
//   - Conflict "doctor_not_connected" or "doctor_reconnect_needed" when
//     the OAuth doctor's grant cannot be used (no call was made);
//   - Unavailable "zoom_unavailable" for everything else (logged to
//     *logger without the link). `zoom` and `doctors` may be null (no Zoom
//     client).
// The kind goes to *failure when given.
Status FetchStartUrl(Store* store, ZoomApi* zoom, ZoomClient* doctors,
                     Logger* logger, const std::string& id,
                     std::string* start_url,
                     StartUrlFailure* failure = nullptr);

}  // namespace telemed

#endif  // TELEMED_SYNC_START_URL_H_
