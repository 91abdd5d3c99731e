// How one appointment's sync state changes after a step: pure functions on
// a SyncTask, applied outside the store to the task as read and again to a
// fresh one if it changed meanwhile (ChangeSyncTask), so a clinic change
// made while a Zoom call was in flight is never lost and is compared
// against what Zoom now has.
#ifndef TELEMED_SYNC_TASK_UPDATES_H_
#define TELEMED_SYNC_TASK_UPDATES_H_

#include <cstdint>
#include <string>

#include "store/sync_records.h"
#include "sync/outcome.h"
#include "sync/planner.h"
#include "zoom/zoom_api.h"

namespace telemed {

// Sets the visible status and the next look from a fresh plan that ignores
// sweeps: converged -> synced (next look at the drift check, if any);
// anything else -> pending, due now. Clears the error unless the task stays
// pending for another reason. A scheduled sweep keeps a look due by its time.
void Settle(const SyncSettings& settings, int64_t now, SyncTask* task);

// Schedules the follow-up sweeps of `host` after a look-up there found no
// meeting from the doubtful create (Zoom may still act on it): the first
// 5 s from `now`, replacing any earlier schedule.
void ScheduleSweeps(const std::string& host, int64_t now, SyncTask* task);

// Records a finished sweep: the next round 30 s, then 300 s after `now`;
// none after the third. Then settles: a failed task stays failed and looks
// only for the next sweep (its failure waits for a person); any other is
// settled as by Settle.
void FinishSweep(const SyncSettings& settings, int64_t now, SyncTask* task);

// Records a meeting Zoom confirmed (created, adopted or read back) with the
// values it holds, and clears the doubt about a create.
void RecordMeeting(const ZoomMeeting& meeting, const std::string& host,
                   int64_t now, SyncTask* task);

// Forgets the known meeting (it is gone on Zoom, or queued for deletion).
void ForgetMeeting(SyncTask* task);
// Zoom answered 3001 (no such meeting) for `meeting_id`: if it is still the
// appointment's meeting, forget it and make the appointment due now, so
// the engine plans its create at once (no call needed to decide that).
void ForgetGoneMeeting(const std::string& meeting_id, SyncTask* task);

// Queues the known meeting for deletion and forgets it.
void DetachMeeting(SyncTask* task);

// Applies a failed call's outcome. kPerSecond and kDaily need `resume_at`
// (unix seconds); kTransient waits `backoff_seconds`. kPermanent still
// looks at a sweep scheduled after `now` (not at one due: that one failed).
void ApplyFailure(const Outcome& outcome, const ZoomError& error, int64_t now,
                  int64_t resume_at, int64_t backoff_seconds, SyncTask* task);

// The error of work for an OAuth doctor whose grant failed with `failure`:
// "doctor_reconnect_needed" for kReconnectNeeded, else
// "doctor_not_connected".
const char* DoctorWaitCode(ZoomFailure failure);
// Whether `failure` is the doctor's grant's (not connected, reconnect
// needed): nothing was sent to Zoom.
bool IsDoctorGrantFailure(ZoomFailure failure);

// An OAuth doctor's grant cannot be used (`failure`: kReconnectNeeded, or
// any other for not connected): pending with error doctor_reconnect_needed
// or doctor_not_connected and `message`, looked at again a minute after
// `now`. The look asks the store, not Zoom, so a connect or reconnect lets
// the call go then; attempts and backoff stay as they were.
void WaitForDoctor(ZoomFailure failure, const std::string& message, int64_t now,
                   SyncTask* task);

// Holds the task until `until` because its host reached the daily limit.
void HoldForDailyLimit(int64_t until, SyncTask* task);

// 00:00 UTC after `now` (unix seconds): when Zoom's daily counts reset.
int64_t NextUtcMidnight(int64_t now);

}  // namespace telemed

#endif  // TELEMED_SYNC_TASK_UPDATES_H_
