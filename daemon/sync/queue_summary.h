// What the front ends report about the sync queue and the daily write
// quota (GET /api/v1/status, the admin page's Overview), read from the
// store alone: a report never calls Zoom.
#ifndef TELEMED_SYNC_QUEUE_SUMMARY_H_
#define TELEMED_SYNC_QUEUE_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/records.h"

struct cJSON;

namespace telemed {

class ClinicRecords;
class DoctorGrants;
class SyncQueue;

struct QueueSummary {
  int pending = 0;
  int failed = 0;
  int deletions_pending = 0;
  bool has_next = false;
  // Unix seconds; work already due (a fresh PUT is due at 0) reads as now.
  int64_t next_attempt_at = 0;
};

// The queue's counts and its next deadline, at `now` (unix seconds).
Status SummarizeQueue(SyncQueue* queue, int64_t now, QueueSummary* out);

// Adds the summary at `now` to `object` as "queue": {"pending","failed",
// "deletions_pending","next_attempt_at"}, the time as RFC 3339 UTC or null
// when nothing waits (GET /api/v1/status and the admin page's Overview).
Status AddQueueJson(SyncQueue* queue, int64_t now, cJSON* object);

// One S2S doctor's creates and updates on Zoom today (the UTC day), which
// Zoom limits per host (kZoomDailyWriteLimit, zoom/rate_limiter.h).
struct DoctorWrites {
  Doctor doctor;
  int writes_today = 0;
  int limit = 0;
};

// For every S2S doctor, ordered by id (OAuth doctors: CountOAuthDoctors).
Status CountWritesToday(ClinicRecords* records, SyncQueue* queue, int64_t now,
                        std::vector<DoctorWrites>* out);

// One OAuth doctor: its connection and its creates and updates on Zoom
// today, counted under its own host key (DoctorHost, sync/planner.h): each
// such doctor is a Zoom account of its own, with its own daily limit.
struct OAuthDoctorWrites {
  Doctor doctor;
  // "not_connected", or the grant's state (GrantStateName).
  std::string state;
  std::string zoom_email;  // "" when never connected
  int writes_today = 0;
  int limit = 0;
};

// For every OAuth doctor, connected or not, ordered by id.
Status CountOAuthDoctors(ClinicRecords* records, DoctorGrants* grants,
                         SyncQueue* queue, int64_t now,
                         std::vector<OAuthDoctorWrites>* out);

}  // namespace telemed

#endif  // TELEMED_SYNC_QUEUE_SUMMARY_H_
