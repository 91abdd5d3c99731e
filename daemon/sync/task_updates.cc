#include "sync/task_updates.h"

namespace telemed {

namespace {

// How long after the look-up (round 1) or the previous sweep each round
// runs: a late Zoom create comes within seconds to minutes.
constexpr int kSweepRounds = 3;
constexpr int64_t kSweepDelaySeconds[kSweepRounds] = {5, 30, 300};
// How often a task waiting for its OAuth doctor looks at the grant again
// (in the store: no Zoom call, no visible change while it still waits).
constexpr int64_t kDoctorLookSeconds = 60;

void SetError(SyncTask* task, const std::string& code,
              const std::string& message) {
  Appointment& appointment = task->appointment;
  appointment.has_error = true;
  appointment.error = SyncError();
  appointment.error.code = code;
  appointment.error.message = message;
}

void ClearError(SyncTask* task) {
  task->appointment.has_error = false;
  task->appointment.error = SyncError();
}

// A scheduled sweep needs a look by its time, whatever else is (not) due.
void KeepSweepScheduled(ZoomState* zoom) {
  if (zoom->sweep_at == 0) return;
  if (!zoom->needs_work || zoom->next_attempt_at > zoom->sweep_at) {
    zoom->next_attempt_at = zoom->sweep_at;
  }
  zoom->needs_work = true;
}

void SettleFromPlan(const SyncSettings& settings, int64_t now, SyncTask* task) {
  Plan plan = PlanStepIgnoringSweeps(*task, settings, now);
  ZoomState& zoom = task->zoom;
  switch (plan.kind) {
    case StepKind::kConverged:
      task->appointment.sync_status = SyncStatus::kSynced;
      ClearError(task);
      zoom.attempts = 0;
      zoom.needs_work = plan.next_check_at != 0;
      zoom.next_attempt_at = plan.next_check_at;
      return;
    default:
      task->appointment.sync_status = SyncStatus::kPending;
      zoom.needs_work = true;
      zoom.next_attempt_at = 0;
      return;
  }
}

}  // namespace

const char* DoctorWaitCode(ZoomFailure failure) {
  return failure == ZoomFailure::kReconnectNeeded ? "doctor_reconnect_needed"
                                                  : "doctor_not_connected";
}

bool IsDoctorGrantFailure(ZoomFailure failure) {
  return failure == ZoomFailure::kNotConnected ||
         failure == ZoomFailure::kReconnectNeeded;
}

void WaitForDoctor(ZoomFailure failure, const std::string& message, int64_t now,
                   SyncTask* task) {
  task->appointment.sync_status = SyncStatus::kPending;
  SetError(task, DoctorWaitCode(failure), message);
  task->zoom.needs_work = true;
  task->zoom.next_attempt_at = now + kDoctorLookSeconds;
  KeepSweepScheduled(&task->zoom);
}

int64_t NextUtcMidnight(int64_t now) { return (now / 86400 + 1) * 86400; }

void Settle(const SyncSettings& settings, int64_t now, SyncTask* task) {
  SettleFromPlan(settings, now, task);
  KeepSweepScheduled(&task->zoom);
}

void ScheduleSweeps(const std::string& host, int64_t now, SyncTask* task) {
  ZoomState& zoom = task->zoom;
  zoom.sweep_round = 1;
  zoom.sweep_at = now + kSweepDelaySeconds[0];
  zoom.sweep_host = host;
}

void FinishSweep(const SyncSettings& settings, int64_t now, SyncTask* task) {
  ZoomState& zoom = task->zoom;
  if (zoom.sweep_round >= 1 && zoom.sweep_round < kSweepRounds) {
    zoom.sweep_at = now + kSweepDelaySeconds[zoom.sweep_round];
    zoom.sweep_round += 1;
  } else {
    zoom.sweep_round = 0;
    zoom.sweep_at = 0;
    zoom.sweep_host.clear();
  }
  if (task->appointment.sync_status != SyncStatus::kFailed) {
    return Settle(settings, now, task);
  }
  zoom.needs_work = false;
  zoom.next_attempt_at = 0;
  KeepSweepScheduled(&zoom);
}

void RecordMeeting(const ZoomMeeting& meeting, const std::string& host,
                   int64_t now, SyncTask* task) {
  Appointment& appointment = task->appointment;
  appointment.has_meeting = true;
  appointment.meeting.id = meeting.id;
  appointment.meeting.join_url = meeting.join_url;
  appointment.meeting.passcode = meeting.password;
  ZoomState& zoom = task->zoom;
  zoom.meeting_host = host;
  zoom.synced_start_time = meeting.start_time;
  zoom.synced_duration = meeting.duration_minutes;
  zoom.synced_topic = meeting.topic;
  zoom.synced_timezone = meeting.timezone;
  zoom.create_in_doubt = false;
  zoom.checked_at = now;
  zoom.attempts = 0;
}

void ForgetMeeting(SyncTask* task) {
  task->appointment.has_meeting = false;
  task->appointment.meeting = Meeting();
  ZoomState& zoom = task->zoom;
  zoom.meeting_host.clear();
  zoom.synced_start_time = 0;
  zoom.synced_duration = 0;
  zoom.synced_topic.clear();
  zoom.synced_timezone.clear();
  zoom.checked_at = 0;
  zoom.warning.clear();
  zoom.patch_in_doubt = false;
}

void ForgetGoneMeeting(const std::string& meeting_id, SyncTask* task) {
  Appointment& appointment = task->appointment;
  if (!appointment.has_meeting || appointment.meeting.id != meeting_id) return;
  ForgetMeeting(task);
  appointment.sync_status = SyncStatus::kPending;
  task->zoom.attempts = 0;
  task->zoom.needs_work = true;
  task->zoom.next_attempt_at = 0;
}

void DetachMeeting(SyncTask* task) {
  PendingDeletion deletion;
  deletion.meeting_id = task->appointment.meeting.id;
  deletion.host = task->zoom.meeting_host;
  deletion.appointment_id = task->appointment.request.id;
  task->queue_deletions.push_back(deletion);
  ForgetMeeting(task);
}

void HoldForDailyLimit(int64_t until, SyncTask* task) {
  task->appointment.sync_status = SyncStatus::kPending;
  SetError(task, "zoom_daily_limit",
           "the doctor's Zoom user reached Zoom's daily limit of meeting "
           "creates and updates; the bridge resumes at retry_at");
  task->appointment.error.retry_at = until;
  task->zoom.needs_work = true;
  task->zoom.next_attempt_at = until;
}

void ApplyFailure(const Outcome& outcome, const ZoomError& error, int64_t now,
                  int64_t resume_at, int64_t backoff_seconds, SyncTask* task) {
  ZoomState& zoom = task->zoom;
  switch (outcome.kind) {
    case Outcome::Kind::kPerSecond:
    case Outcome::Kind::kRenewing:
      // Not the appointment's fault: no error shown, no attempt counted.
      zoom.needs_work = true;
      zoom.next_attempt_at = resume_at;
      return;
    case Outcome::Kind::kDaily:
      HoldForDailyLimit(resume_at, task);
      return;
    case Outcome::Kind::kPermanent:
      task->appointment.sync_status = SyncStatus::kFailed;
      SetError(task, outcome.code, outcome.message);
      task->appointment.error.zoom_code = error.zoom_code;
      task->appointment.error.missing_scopes = error.missing_scopes;
      zoom.needs_work = false;
      zoom.next_attempt_at = 0;
      if (zoom.sweep_at > now) KeepSweepScheduled(&zoom);
      return;
    default:  // kTransient (kGone, kDone, kInProgress are not failures here)
      task->appointment.sync_status = SyncStatus::kPending;
      SetError(task, outcome.code, outcome.message);
      zoom.attempts += 1;
      zoom.needs_work = true;
      zoom.next_attempt_at = now + backoff_seconds;
      task->appointment.error.retry_at = zoom.next_attempt_at;
      return;
  }
}

}  // namespace telemed
