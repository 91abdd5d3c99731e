// How one step's Zoom call changes an appointment's sync state: the intent
// recorded before the call and the result recorded after it, as pure
// functions on a SyncTask. The engine applies them outside the store, to
// the task as read and again to a fresh one if the appointment changed
// during the call (ChangeSyncTask), so a clinic change is never lost.
#ifndef TELEMED_SYNC_CALL_RESULTS_H_
#define TELEMED_SYNC_CALL_RESULTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sync_records.h"
#include "sync/outcome.h"
#include "sync/planner.h"
#include "zoom/zoom_api.h"

namespace telemed {

// What one step's call(s) brought back (sync_calls.cc fills it).
struct CallResult {
  // The call's status: not OK when it failed (then `call`, `host` and
  // `error` say which call, on whose budget, and how).
  Status status;
  ZoomCall call = ZoomCall::kCheck;
  std::string host;
  ZoomError error;
  // kCheck, kPatch: the meeting the call was about.
  std::string meeting_id;
  // kCreate, kCheck: the meeting as Zoom holds it. kLookup: the first
  // marked meeting read in full, when have_meeting.
  ZoomMeeting meeting;
  bool have_meeting = false;
  // kLookup, kSweep: the ids of the listed meetings that carry a marker.
  std::vector<std::string> found;
  bool gone = false;    // kCheck: Zoom has no such meeting
  std::string warning;  // kCreate, kPatch: the note kept with the meeting
  MeetingPatch sent;    // kPatch: what Zoom took
};

// Before a create: counts the write, bumps the generation and marks the
// create in doubt for `plan.host` (docs/sync.md, "Exactly once"). When
// `replan` (the task changed since it was planned) the create is planned
// again first; false when it is no longer wanted (nothing changed then).
bool RecordCreateIntent(const Plan& plan, const SyncSettings& settings,
                        int64_t now, bool replan, SyncTask* task);
// Before a PATCH to `host`: counts the write and marks the PATCH in doubt.
void RecordPatchIntent(const std::string& host, int64_t now, SyncTask* task);

// Records the successful result of the step `plan` and settles the task.
void RecordCallResult(const Plan& plan, const CallResult& result,
                      const SyncSettings& settings, int64_t now,
                      SyncTask* task);

// A step that needs no call (converged, wait for a doctor, detach),
// planned on this very task.
void SettleWithoutCall(StepKind planned, const SyncSettings& settings,
                       int64_t now, SyncTask* task);

// A failed call's outcome for the task. `refused`: Zoom made or changed
// nothing (refused, or never sent), so a create's or PATCH's doubt ends.
// `resume_at` for the rate-limit kinds; `backoff_seconds` from the
// attempts the task has.
void RecordCallFailure(ZoomCall call, const Outcome& outcome,
                       const ZoomError& error, bool refused, int64_t resume_at,
                       int64_t backoff_seconds, const SyncSettings& settings,
                       int64_t now, SyncTask* task);

}  // namespace telemed

#endif  // TELEMED_SYNC_CALL_RESULTS_H_
