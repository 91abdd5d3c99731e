// The Zoom calls of the sync engine, each run on the executor through one
// frame (RunTask): the intent recorded before the call, the call, its
// result or failure recorded after it with ChangeSyncTask, computed on the
// task as read and again on a fresh one if the appointment changed during
// the call (docs/sync.md).
#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "store/sync_queue.h"
#include "store/sync_task_change.h"
#include "sync/backoff.h"
#include "sync/call_results.h"
#include "sync/marker.h"
#include "sync/outcome.h"
#include "sync/passcode.h"
#include "sync/sync_engine.h"
#include "sync/task_updates.h"
#include "zoom/rate_limiter.h"
#include "zoom/zoom_api.h"

namespace telemed {

namespace {

// What patients read after the marker in a meeting's agenda.
constexpr char kAgendaText[] = "Telemedicine appointment";
// A meeting in progress is deleted after this long (it cannot end sooner).
constexpr int64_t kInProgressRetrySeconds = 15 * 60;

bool Names(const ZoomError& error, const char* field) {
  return std::find(error.error_fields.begin(), error.error_fields.end(),
                   field) != error.error_fields.end();
}

// A 400 code 300 that may be the account's passcode policy (or that names
// the password field).
bool IsPasscodeRefusal(const ZoomError& error) {
  return error.zoom_code == 300 &&
         (error.error_fields.empty() || Names(error, "password"));
}

ZoomCategory CategoryOfCall(ZoomCall call) {
  return call == ZoomCall::kCreate || call == ZoomCall::kLookup
             ? ZoomCategory::kMedium
             : ZoomCategory::kLight;
}

bool IsTimezoneRefusal(const ZoomError& error) {
  return error.zoom_code == 300 &&
         (error.error_fields.empty() || Names(error, "timezone"));
}

// The ids of the listed meetings whose agenda carries the marker of a
// create generation first..last of appointment `id`.
std::vector<std::string> MarkedMeetings(const MarkerMaker& markers,
                                        const std::vector<ZoomMeeting>& listed,
                                        const std::string& id, int64_t first,
                                        int64_t last) {
  std::vector<std::string> marks;
  for (int64_t g = first; g <= last; ++g)
    marks.push_back(markers.Marker(id, g));
  std::vector<std::string> out;
  for (const ZoomMeeting& meeting : listed) {
    for (const std::string& mark : marks) {
      if (MarkerMaker::AgendaCarries(meeting.agenda, mark)) {
        out.push_back(meeting.id);
        break;
      }
    }
  }
  return out;
}

// What the store failure of recording a `kind` step's result was about.
const char* RecordingWhat(StepKind kind) {
  if (kind == StepKind::kCreate) return "recording a created meeting";
  if (kind == StepKind::kLookup) return "recording a look-up";
  if (kind == StepKind::kSweep) return "recording a sweep";
  if (kind == StepKind::kPatch) return "recording an update";
  return "recording a drift check";
}

// `queued`: the meetings the result queued for deletion.
void LogRecorded(Logger* logger, const std::string& id, StepKind kind,
                 const CallResult& result, size_t queued) {
  if (kind == StepKind::kCreate) {
    logger->Info("sync: appointment %s: created Zoom meeting %s", id.c_str(),
                 result.meeting.id.c_str());
  } else if (kind == StepKind::kLookup) {
    logger->Info(
        "sync: appointment %s: looked for a lost create, found %zu "
        "meeting(s)",
        id.c_str(), result.found.size());
  } else if (kind == StepKind::kSweep) {
    logger->Info(
        "sync: appointment %s: swept for late creates, found %zu stray "
        "meeting(s)",
        id.c_str(), queued);
  }
}

// The meeting a create sends for `task` (its passcode is made apart).
MeetingSpec CreateSpec(const SyncTask& task, const SyncSettings& settings,
                       const MarkerMaker& markers) {
  const AppointmentRequest& request = task.appointment.request;
  MeetingSpec spec;
  spec.topic = DesiredTopic(task, settings);
  spec.start_time = request.start_time;
  spec.duration_minutes = request.duration_minutes;
  spec.timezone = DesiredTimezone(task);
  spec.agenda = markers.Marker(request.id, task.zoom.create_generation) + " " +
                kAgendaText;
  return spec;
}

// Why a call of an OAuth doctor's could not go: this engine has no
// doctors' client (OK when `zoom` is there).
Status NoApi(const ZoomApi* zoom, ZoomError* error) {
  if (zoom != nullptr) return Status::OK();
  error->failure = ZoomFailure::kNotConnected;
  error->not_sent = true;
  return Status::Validation("doctor_not_connected",
                            "this bridge cannot act for OAuth doctors");
}

}  // namespace

// The one frame of every appointment's Zoom call (docs/sync.md).
void SyncEngine::RunTask(SyncTask task, Plan plan) {
  const int64_t now = options_.clock->NowSeconds();
  if (RecordIntent(&task, plan, now)) {
    const CallResult result = Call(task, plan, now);
    if (result.status.ok()) {
      RecordResult(task, plan, result, now);
    } else {
      RecordFailure(task, result);
    }
  }
  Finish(kTaskKey + task.appointment.request.id);
}

// Durable before the call: after a crash or a lost answer a create is
// looked up and a PATCHed meeting read back before anything is sent again
// (docs/sync.md, "Exactly once"). The intent and the write's daily count
// share one commit: each commit on the way from the clinic's PUT to
// `synced` waits for the disk.
bool SyncEngine::RecordIntent(SyncTask* task, const Plan& plan, int64_t now) {
  if (plan.kind != StepKind::kCreate && plan.kind != StepKind::kPatch) {
    return true;
  }
  const bool create = plan.kind == StepKind::kCreate;
  const std::string host = task->zoom.meeting_host;
  bool wanted = true;
  auto intent = [&](SyncTask* fresh, bool changed) {
    // Planned at Step on the task as read: only a changed one is planned
    // again.
    if (!create) return RecordPatchIntent(host, now, fresh);
    wanted = RecordCreateIntent(plan, options_.settings, now, changed, fresh);
  };
  Status s = ChangeSyncTask(options_.store, *task, intent, task);
  if (!s.ok()) {
    LogStoreFailure(
        create ? "recording a create intent" : "recording a PATCH intent", s);
  }
  return s.ok() && wanted;
}

CallResult SyncEngine::Call(const SyncTask& task, const Plan& plan,
                            int64_t now) {
  switch (plan.kind) {
    case StepKind::kCreate:
      return CallCreate(task, plan, now);
    case StepKind::kLookup:
      return CallLookup(task, plan);
    case StepKind::kSweep:
      // Every generation: a create Zoom held until after the look-up found
      // nothing makes its meeting with an older generation's marker.
      return ListMarked(task, plan, 1);
    case StepKind::kPatch:
      return CallPatch(task, plan, now);
    default:
      return CallCheck(task);
  }
}

// POST, then once more with Zoom's own passcode if the account's policy
// refused ours, then once more without the timezone if Zoom refused that
// (the start time is UTC either way; a warning is kept).
CallResult SyncEngine::CallCreate(const SyncTask& task, const Plan& plan,
                                  int64_t now) {
  CallResult result;
  result.call = ZoomCall::kCreate;
  result.host = plan.host;
  MeetingSpec spec = CreateSpec(task, options_.settings, *options_.markers);
  result.status = MakePasscode(options_.random, &spec.password);
  if (!result.status.ok()) return result;
  std::string user;
  ZoomApi* zoom = ApiOf(plan.host, &user);
  auto send = [&] {
    result.error = ZoomError();
    result.status = NoApi(zoom, &result.error);
    if (zoom != nullptr) {
      result.status =
          zoom->CreateMeeting(user, spec, &result.meeting, &result.error);
    }
  };
  // Each send is counted before it goes, so a crash cannot lose a write
  // Zoom counted: the first with the intent, the retries here. A create
  // the gate holds at send time (the host's daily 429 came back meanwhile)
  // stays counted: the host is paused until Zoom resets its count anyway.
  send();
  if (!result.status.ok() && IsPasscodeRefusal(result.error)) {
    spec.default_password = true;
    CountWrite(plan.host, now);
    send();
  }
  if (!result.status.ok() && !spec.timezone.empty() &&
      IsTimezoneRefusal(result.error)) {
    result.warning = TimezoneRefusedWarning(spec.timezone);
    LogTimezoneRefused(task.appointment.request.id, spec.timezone);
    spec.timezone.clear();
    CountWrite(plan.host, now);
    send();
  }
  return result;
}

// After a lost create answer: the meetings that carry the create's marker.
CallResult SyncEngine::CallLookup(const SyncTask& task, const Plan& plan) {
  CallResult result = ListMarked(task, plan, task.zoom.create_generation);
  if (!result.status.ok() || result.found.empty()) return result;
  // Listings carry no passcode: read the one to adopt in full.
  ZoomError get_error;
  std::string user;
  ZoomApi* zoom = ApiOf(plan.host, &user);
  result.have_meeting =
      zoom != nullptr &&
      zoom->GetMeeting(result.found[0], &result.meeting, &get_error).ok();
  return result;
}

CallResult SyncEngine::ListMarked(const SyncTask& task, const Plan& plan,
                                  int64_t first_generation) {
  CallResult result;
  result.call = ZoomCall::kLookup;
  result.host = plan.host;
  std::vector<ZoomMeeting> listed;
  std::string user;
  ZoomApi* zoom = ApiOf(plan.host, &user);
  result.status = NoApi(zoom, &result.error);
  if (zoom != nullptr) {
    result.status = zoom->ListMeetings(user, &listed, &result.error);
  }
  if (!result.status.ok()) return result;
  result.found =
      MarkedMeetings(*options_.markers, listed, task.appointment.request.id,
                     first_generation, task.zoom.create_generation);
  return result;
}

// PATCH, then once more without the timezone if Zoom refused that.
CallResult SyncEngine::CallPatch(const SyncTask& task, const Plan& plan,
                                 int64_t now) {
  CallResult result;
  result.call = ZoomCall::kPatch;
  result.host = task.zoom.meeting_host;
  result.meeting_id = task.appointment.meeting.id;
  result.sent = plan.patch;
  result.warning = task.zoom.warning;
  // The host key is the daily limit's: an OAuth doctor's is its own.
  std::string user;
  ZoomApi* zoom = ApiOf(result.host, &user);
  auto send = [&] {
    result.error = ZoomError();
    result.status = NoApi(zoom, &result.error);
    if (zoom != nullptr) {
      result.status = zoom->UpdateMeeting(result.meeting_id, result.sent,
                                          result.host, &result.error);
    }
  };
  send();
  if (result.status.ok() || !result.sent.timezone ||
      !IsTimezoneRefusal(result.error)) {
    return result;
  }
  result.warning = TimezoneRefusedWarning(*result.sent.timezone);
  LogTimezoneRefused(task.appointment.request.id, *result.sent.timezone);
  result.sent.timezone.reset();
  result.error = ZoomError();
  result.status = Status::OK();
  if (result.sent.empty()) return result;
  CountWrite(result.host, now);
  send();
  return result;
}

// Drift repair: read the meeting back; a meeting gone on Zoom is a result
// too (forget it), not a failure.
CallResult SyncEngine::CallCheck(const SyncTask& task) {
  CallResult result;
  result.call = ZoomCall::kCheck;
  result.host = task.zoom.meeting_host;
  result.meeting_id = task.appointment.meeting.id;
  std::string user;
  ZoomApi* zoom = ApiOf(result.host, &user);
  result.status = NoApi(zoom, &result.error);
  if (zoom != nullptr) {
    result.status =
        zoom->GetMeeting(result.meeting_id, &result.meeting, &result.error);
  }
  result.gone =
      !result.status.ok() &&
      ClassifyZoomFailure(ZoomCall::kCheck, result.status, result.error, 0)
              .kind == Outcome::Kind::kGone;
  if (result.gone) result.status = Status::OK();
  return result;
}

void SyncEngine::RecordResult(const SyncTask& task, const Plan& plan,
                              const CallResult& result, int64_t now) {
  size_t queued = 0;
  auto record = [&](SyncTask* fresh, bool) {
    RecordCallResult(plan, result, options_.settings, now, fresh);
    queued = fresh->queue_deletions.size();
  };
  Status s = ChangeSyncTask(options_.store, task, record, nullptr);
  if (!s.ok()) LogStoreFailure(RecordingWhat(plan.kind), s);
  LogRecorded(options_.logger, task.appointment.request.id, plan.kind, result,
              queued);
  std::string doctor_id;
  const bool made =
      plan.kind == StepKind::kCreate || plan.kind == StepKind::kLookup;
  if (s.ok() && made && options_.after_oauth_create &&
      OauthDoctorOf(plan.host, &doctor_id)) {
    s = options_.after_oauth_create(doctor_id);
    if (!s.ok()) LogStoreFailure("deleting a disconnected doctor's meeting", s);
  }
}

void SyncEngine::RunDelete(PendingDeletion deletion) {
  DeleteMeeting(&deletion);
  Finish(kDeletionKey + deletion.meeting_id);
}

void SyncEngine::DeleteMeeting(PendingDeletion* deletion) {
  ZoomError error;
  std::string user;
  ZoomApi* zoom = DeletionApiOf(deletion->host, &user);
  Status s = NoApi(zoom, &error);
  if (zoom != nullptr) s = zoom->DeleteMeeting(deletion->meeting_id, &error);
  Outcome outcome;
  if (!s.ok()) outcome = ClassifyZoomFailure(ZoomCall::kDelete, s, error, 0);
  // The OAuth doctor's grant cannot be used: retried (slowly) until the
  // doctor connects again, under the doctor's error rather than the app's.
  if (!s.ok() && IsDoctorGrantFailure(error.failure)) {
    outcome = Outcome{Outcome::Kind::kPermanent, DoctorWaitCode(error.failure),
                      s.message()};
  }
  if (!s.ok() && outcome.kind != Outcome::Kind::kDone) {
    return RetryDeletion(deletion, outcome, error);
  }
  options_.logger->Info("sync: deleted Zoom meeting %s (appointment %s)",
                        deletion->meeting_id.c_str(),
                        deletion->appointment_id.c_str());
  s = options_.store->CompleteDeletion(deletion->meeting_id);
  if (!s.ok()) LogStoreFailure("completing a deletion", s);
}

void SyncEngine::RetryDeletion(PendingDeletion* deletion,
                               const Outcome& outcome, const ZoomError& error) {
  const int64_t now = options_.clock->NowSeconds();
  deletion->attempts += 1;
  // Every outcome of a DELETE but kDone carries a code.
  deletion->last_error = outcome.code;
  if (outcome.kind == Outcome::Kind::kInProgress) {
    deletion->next_attempt_at = now + kInProgressRetrySeconds;
  } else if (outcome.kind == Outcome::Kind::kRenewing) {
    deletion->next_attempt_at = now + kTokenRenewingRetrySeconds;
  } else if (outcome.kind == Outcome::Kind::kPerSecond ||
             outcome.kind == Outcome::Kind::kDaily) {
    deletion->next_attempt_at =
        ResumeAt(ZoomCall::kDelete, outcome, error, deletion->host, now);
  } else {
    // Deletes are retried until done, slowly when refused for good (for
    // instance credentials): the admin's fix lets them through.
    deletion->next_attempt_at =
        now + BackoffSeconds(deletion->attempts, options_.random);
  }
  if (failure_log_.First("deleting meetings: " + deletion->last_error + " (" +
                             outcome.message + ")",
                         options_.clock->NowMicros())) {
    options_.logger->Warning("sync: deleting Zoom meeting %s failed (%s): %s",
                             deletion->meeting_id.c_str(),
                             deletion->last_error.c_str(),
                             outcome.message.c_str());
  }
  Status s = options_.store->RescheduleDeletion(*deletion);
  if (!s.ok()) LogStoreFailure("rescheduling a deletion", s);
}

void SyncEngine::LogTimezoneRefused(const std::string& id,
                                    const std::string& zone) {
  options_.logger->Warning(
      "sync: appointment %s: Zoom refused timezone %s; the meeting goes "
      "without it (its time is UTC either way)",
      id.c_str(), zone.c_str());
}

int64_t SyncEngine::ResumeAt(ZoomCall call, const Outcome& outcome,
                             const ZoomError& error, const std::string& host,
                             int64_t now) {
  // The limits are the host's Zoom account's (an OAuth doctor's own).
  std::string held_host;
  RateLimiter* limiter = LimiterOf(host, &held_host);
  if (outcome.kind == Outcome::Kind::kDaily) {
    int64_t until =
        error.retry_at > now ? error.retry_at : NextUtcMidnight(now);
    limiter->PauseHost(held_host, until * 1000000);
    return until;
  }
  // Per-second: at least one second, or as long as Retry-After says.
  int64_t until = std::max(now + 1, error.retry_at);
  limiter->PauseCategory(CategoryOfCall(call), until * 1000000);
  return until;
}

SyncEngine::PlannedFailure SyncEngine::PlanFailure(ZoomCall call,
                                                   const Status& status,
                                                   const ZoomError& error,
                                                   const std::string& host) {
  PlannedFailure planned;
  planned.call = call;
  planned.error = error;
  planned.now = options_.clock->NowSeconds();
  const int64_t now = planned.now;
  planned.outcome =
      ClassifyZoomFailure(call, status, error, HostWritesToday(host, now));
  const Outcome& outcome = planned.outcome;
  if (outcome.kind == Outcome::Kind::kPerSecond ||
      outcome.kind == Outcome::Kind::kDaily) {
    planned.resume_at = ResumeAt(call, outcome, error, host, now);
  } else if (outcome.kind == Outcome::Kind::kRenewing) {
    planned.resume_at = now + kTokenRenewingRetrySeconds;
  }
  // Refused, or never sent (the host was held at send time): Zoom made or
  // changed nothing.
  const bool refused = error.failure == ZoomFailure::kRefused || error.not_sent;
  planned.refused = refused;
  return planned;
}

void SyncEngine::ApplyPlannedFailure(const PlannedFailure& failure,
                                     SyncTask* task) {
  // A meeting gone needs no backoff (and no draw of the random source).
  const int64_t backoff =
      failure.outcome.kind == Outcome::Kind::kGone
          ? 0
          : BackoffSeconds(task->zoom.attempts + 1, options_.random);
  RecordCallFailure(failure.call, failure.outcome, failure.error,
                    failure.refused, failure.resume_at, backoff,
                    options_.settings, failure.now, task);
}

void SyncEngine::RecordFailure(const SyncTask& task, const CallResult& result) {
  if (IsDoctorGrantFailure(result.error.failure)) {
    return RecordDoctorWait(task, result);
  }
  const PlannedFailure failure =
      PlanFailure(result.call, result.status, result.error, result.host);
  Status s = ChangeSyncTask(
      options_.store, task,
      [&](SyncTask* fresh, bool) { ApplyPlannedFailure(failure, fresh); },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a failure", s);
  const Outcome& outcome = failure.outcome;
  const ZoomError& error = result.error;
  // A Zoom outage fails every appointment alike: one line, then a count.
  if (!failure_log_.First(outcome.code + " (" + outcome.message + ")",
                          options_.clock->NowMicros())) {
    return;
  }
  options_.logger->Warning("sync: appointment %s: %s (%s)%s%s",
                           task.appointment.request.id.c_str(),
                           outcome.code.c_str(), outcome.message.c_str(),
                           error.tracking_id.empty() ? "" : " tracking id ",
                           error.tracking_id.c_str());
}

void SyncEngine::RecordDoctorWait(const SyncTask& task,
                                  const CallResult& result) {
  const int64_t now = options_.clock->NowSeconds();
  Status s = ChangeSyncTask(
      options_.store, task,
      [&](SyncTask* fresh, bool) {
        // Nothing was sent: a create made nothing on Zoom.
        if (result.call == ZoomCall::kCreate) {
          fresh->zoom.create_in_doubt = false;
        }
        WaitForDoctor(result.error.failure, result.status.message(), now,
                      fresh);
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a wait for the doctor", s);
  if (failure_log_.First(result.status.ToString(),
                         options_.clock->NowMicros())) {
    options_.logger->Warning("sync: appointment %s: %s",
                             task.appointment.request.id.c_str(),
                             result.status.ToString().c_str());
  }
}

}  // namespace telemed
