// The body of GET /api/v1/status: the last Zoom check, the sync queue and
// today's per-doctor quota use. Built from the store alone: a status poll
// never calls Zoom (the daemon's ZoomWatch refreshes the check).
#ifndef TELEMED_API_STATUS_REPORT_H_
#define TELEMED_API_STATUS_REPORT_H_

#include <string>

#include "base/status.h"

namespace telemed {

class Clock;
class Store;

// {"version","zoom":<last check or null>,"queue":{"pending","failed",
// "deletions_pending","next_attempt_at"},"quota":[{"doctor_id","zoom_user",
// "creates_and_updates_today","limit"}]} for the S2S doctors,
// "doctors_cannot_sync":[{"doctor_id","reason","message"}] and
// "oauth_doctors":[{"doctor_id","state","zoom_email","creates_and_updates_today",
// "limit"}] for the OAuth doctors (each its own Zoom account), "today" being
// the UTC day of clock->NowSeconds(). Errors are the store's.
Status RenderStatusReport(Store* store, const Clock* clock, std::string* body);

}  // namespace telemed

#endif  // TELEMED_API_STATUS_REPORT_H_
