// How one appointment's sync state changes after a step: pure functions on
// a SyncTask, run inside Store::UpdateSyncTask's transaction on the fresh
// task, so a clinic change made while a Zoom call was in flight is never
// lost and is compared against what Zoom now has.
#ifndef TELEMED_SYNC_TASK_UPDATES_H_
#define TELEMED_SYNC_TASK_UPDATES_H_

#include <cstdint>
#include <string>

#include "store/sync_records.h"
#include "sync/outcome.h"
#include "sync/planner.h"
#include "zoom/zoom_api.h"

namespace telemed {

// Sets the visible status and the next look from a fresh plan: converged ->
// synced (next look at the drift check, if any); waiting for an OAuth doctor
// -> pending with doctor_not_connected; anything else -> pending, due now.
// Clears the error unless the task stays pending for another reason.
void Settle(const SyncSettings& settings, int64_t now, SyncTask* task);

// Records a meeting Zoom confirmed (created, adopted or read back) with the
// values it holds, and clears the doubt about a create.
void RecordMeeting(const ZoomMeeting& meeting, const std::string& host,
                   int64_t now, SyncTask* task);

// Forgets the known meeting (it is gone on Zoom, or queued for deletion).
void ForgetMeeting(SyncTask* task);

// Queues the known meeting for deletion and forgets it.
void DetachMeeting(SyncTask* task);

// Applies a failed call's outcome. kPerSecond and kDaily need `resume_at`
// (unix seconds); kTransient waits `backoff_seconds`.
void ApplyFailure(const Outcome& outcome, const ZoomError& error,
                  int64_t now, int64_t resume_at, int64_t backoff_seconds,
                  SyncTask* task);

// Holds the task until `until` because its host reached the daily limit.
void HoldForDailyLimit(int64_t until, SyncTask* task);

// 00:00 UTC after `now` (unix seconds): when Zoom's daily counts reset.
int64_t NextUtcMidnight(int64_t now);

}  // namespace telemed

#endif  // TELEMED_SYNC_TASK_UPDATES_H_
