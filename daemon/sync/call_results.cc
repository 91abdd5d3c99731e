// The intent and result records of the engine's calls (call_results.h):
// what each kind of step changes on the task, kept apart from the calls so
// that every rule is tested on plain tasks.
#include "sync/call_results.h"

#include "sync/task_updates.h"

namespace telemed {

namespace {

// A meeting to delete that appointment `id` made on `host`.
PendingDeletion Stray(const std::string& meeting_id, const std::string& host,
                      const std::string& id) {
  return PendingDeletion{meeting_id, host, id, 0, 0, ""};
}

void CountWrite(const std::string& host, int64_t now, SyncTask* task) {
  task->count_write_host = host;
  task->count_write_day = now / 86400;
}

void RecordCreated(const Plan& plan, const CallResult& result,
                   const SyncSettings& settings, int64_t now, SyncTask* task) {
  RecordMeeting(result.meeting, plan.host, now, task);
  task->zoom.warning = result.warning;
  Settle(settings, now, task);
}

// After a lost create answer: adopt the first marked meeting if a create
// is still wanted on this host, queue every other one for deletion.
void RecordLookup(const Plan& plan, const CallResult& result,
                  const SyncSettings& settings, int64_t now, SyncTask* task) {
  const std::string& id = task->appointment.request.id;
  task->zoom.create_in_doubt = false;
  const bool wanted =
      !task->appointment.has_meeting &&
      PlanStepIgnoringSweeps(*task, settings, now).kind == StepKind::kCreate &&
      task->doctor.zoom_user == plan.host;
  // Zoom may act on the create later still: look again (the sweeps).
  if (result.found.empty()) ScheduleSweeps(plan.host, now, task);
  for (size_t i = 0; i < result.found.size(); ++i) {
    if (i == 0 && wanted && result.have_meeting) {
      RecordMeeting(result.meeting, plan.host, now, task);
      continue;
    }
    task->queue_deletions.push_back(Stray(result.found[i], plan.host, id));
  }
  Settle(settings, now, task);
}

// Every marked meeting but the appointment's live one goes.
void RecordSweep(const Plan& plan, const CallResult& result,
                 const SyncSettings& settings, int64_t now, SyncTask* task) {
  const Appointment& appointment = task->appointment;
  for (const std::string& meeting_id : result.found) {
    if (appointment.has_meeting && appointment.meeting.id == meeting_id) {
      continue;
    }
    task->queue_deletions.push_back(
        Stray(meeting_id, plan.host, appointment.request.id));
  }
  FinishSweep(settings, now, task);
}

void RecordPatched(const CallResult& result, const SyncSettings& settings,
                   int64_t now, SyncTask* task) {
  ZoomState& zoom = task->zoom;
  const MeetingPatch& sent = result.sent;
  if (sent.start_time) zoom.synced_start_time = *sent.start_time;
  if (sent.duration_minutes) zoom.synced_duration = *sent.duration_minutes;
  if (sent.topic) zoom.synced_topic = *sent.topic;
  if (sent.timezone) zoom.synced_timezone = *sent.timezone;
  zoom.warning = result.warning;
  zoom.attempts = 0;
  zoom.patch_in_doubt = false;
  Settle(settings, now, task);
}

// Drift repair: gone -> forget the meeting (the next step creates a new
// one); otherwise the synced values become Zoom's, so the next step
// PATCHes the clinic's version back.
void RecordChecked(const CallResult& result, const SyncSettings& settings,
                   int64_t now, SyncTask* task) {
  // The appointment may have moved on while we read.
  if (!task->appointment.has_meeting ||
      task->appointment.meeting.id != result.meeting_id) {
    return;
  }
  task->zoom.patch_in_doubt = false;
  if (result.gone) {
    ForgetMeeting(task);
  } else {
    const std::string warning = task->zoom.warning;
    RecordMeeting(result.meeting, task->zoom.meeting_host, now, task);
    task->zoom.warning = warning;
  }
  Settle(settings, now, task);
}

}  // namespace

bool RecordCreateIntent(const Plan& plan, const SyncSettings& settings,
                        int64_t now, bool replan, SyncTask* task) {
  if (replan) {
    Plan again = PlanStepIgnoringSweeps(*task, settings, now);
    if (again.kind != StepKind::kCreate || again.host != plan.host) {
      return false;
    }
  }
  task->zoom.create_generation += 1;
  task->zoom.create_in_doubt = true;
  task->zoom.meeting_host = plan.host;
  CountWrite(plan.host, now, task);
  return true;
}

void RecordPatchIntent(const std::string& host, int64_t now, SyncTask* task) {
  task->zoom.patch_in_doubt = true;
  CountWrite(host, now, task);
}

void RecordCallResult(const Plan& plan, const CallResult& result,
                      const SyncSettings& settings, int64_t now,
                      SyncTask* task) {
  switch (plan.kind) {
    case StepKind::kCreate:
      return RecordCreated(plan, result, settings, now, task);
    case StepKind::kLookup:
      return RecordLookup(plan, result, settings, now, task);
    case StepKind::kSweep:
      return RecordSweep(plan, result, settings, now, task);
    case StepKind::kPatch:
      return RecordPatched(result, settings, now, task);
    default:
      return RecordChecked(result, settings, now, task);
  }
}

void SettleWithoutCall(StepKind planned, const SyncSettings& settings,
                       int64_t now, SyncTask* task) {
  if (planned == StepKind::kDetach) DetachMeeting(task);
  Settle(settings, now, task);
}

void RecordCallFailure(ZoomCall call, const Outcome& outcome,
                       const ZoomError& error, bool refused, int64_t resume_at,
                       int64_t backoff_seconds, const SyncSettings& settings,
                       int64_t now, SyncTask* task) {
  if (outcome.kind == Outcome::Kind::kGone) {
    ForgetMeeting(task);
    return Settle(settings, now, task);
  }
  // A create Zoom definitely refused made nothing; after a lost answer
  // the doubt stays, so the next step looks first. Likewise a refused
  // PATCH changed nothing on Zoom.
  if (call == ZoomCall::kCreate && refused) {
    task->zoom.create_in_doubt = false;
  }
  if (call == ZoomCall::kPatch && refused) task->zoom.patch_in_doubt = false;
  ApplyFailure(outcome, error, now, resume_at, backoff_seconds, task);
}

}  // namespace telemed
