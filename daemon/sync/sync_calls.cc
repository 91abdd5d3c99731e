// The Zoom calls of the sync engine, each run on the executor. Every call
// ends by recording its result with Store::UpdateSyncTask against the fresh
// appointment (docs/sync.md).
#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "store/sync_queue.h"
#include "sync/backoff.h"
#include "sync/marker.h"
#include "sync/outcome.h"
#include "sync/passcode.h"
#include "sync/sync_engine.h"
#include "sync/task_updates.h"
#include "zoom/rate_limiter.h"
#include "zoom/zoom_api.h"

namespace telemed {

namespace {

constexpr char kTaskKey[] = "a:";
constexpr char kDeletionKey[] = "d:";
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

// The ids of the listed meetings whose agenda carries the marker of any
// create generation 1..`generation` of appointment `id`.
std::vector<std::string> MarkedMeetings(const MarkerMaker& markers,
                                        const std::vector<ZoomMeeting>& listed,
                                        const std::string& id,
                                        int64_t generation) {
  std::vector<std::string> marks;
  for (int64_t g = 1; g <= generation; ++g) {
    marks.push_back(markers.Marker(id, g));
  }
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

}  // namespace

// Records the create intent durably, then creates (docs/sync.md, "Exactly
// once", steps 1-3). The intent and the write's daily count share one
// commit: each commit on the way from the clinic's PUT to `synced` waits
// for the disk.
void SyncEngine::RunCreate(SyncTask task, Plan plan) {
  const std::string id = task.appointment.request.id;
  const SyncSettings& settings = options_.settings;
  const int64_t now = options_.clock->NowSeconds();
  int64_t generation = 0;
  bool still_wanted = false;
  Status s = options_.store->UpdateSyncTask(
      id,
      [&](SyncTask* fresh) {
        Plan again = PlanStepIgnoringSweeps(*fresh, settings, now);
        still_wanted =
            again.kind == StepKind::kCreate && again.host == plan.host;
        if (!still_wanted) return Status::OK();
        fresh->zoom.create_generation += 1;
        fresh->zoom.create_in_doubt = true;
        fresh->zoom.meeting_host = plan.host;
        fresh->count_write_host = plan.host;
        fresh->count_write_day = now / 86400;
        generation = fresh->zoom.create_generation;
        return Status::OK();
      },
      &task);
  if (!s.ok()) LogStoreFailure("recording a create intent", s);
  if (!s.ok() || !still_wanted) return Finish(kTaskKey + id);

  ZoomMeeting meeting;
  std::string warning;
  ZoomError error;
  s = CallCreate(task, plan, generation, &meeting, &warning, &error);
  if (!s.ok()) {
    RecordFailure(id, ZoomCall::kCreate, s, error, plan.host);
    return Finish(kTaskKey + id);
  }
  options_.logger->Info("sync: appointment %s: created Zoom meeting %s",
                        id.c_str(), meeting.id.c_str());
  s = options_.store->UpdateSyncTask(
      id,
      [&](SyncTask* fresh) {
        RecordMeeting(meeting, plan.host, now, fresh);
        fresh->zoom.warning = warning;
        Settle(settings, now, fresh);
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a created meeting", s);
  Finish(kTaskKey + id);
}

// POST, then once more with Zoom's own passcode if the account's policy
// refused ours, then once more without the timezone if Zoom refused that
// (the start time is UTC either way; a warning is kept).
Status SyncEngine::CallCreate(const SyncTask& task, const Plan& plan,
                              int64_t generation, ZoomMeeting* meeting,
                              std::string* warning, ZoomError* error) {
  const AppointmentRequest& request = task.appointment.request;
  const int64_t now = options_.clock->NowSeconds();
  MeetingSpec spec;
  spec.topic = DesiredTopic(task, options_.settings);
  spec.start_time = request.start_time;
  spec.duration_minutes = request.duration_minutes;
  spec.timezone = DesiredTimezone(task);
  spec.agenda =
      options_.markers->Marker(request.id, generation) + " " + kAgendaText;
  Status s = MakePasscode(options_.random, &spec.password);
  if (!s.ok()) return s;
  // Each send is counted before it goes, so a crash cannot lose a write
  // Zoom counted: the first with the intent (RunCreate), the retries here.
  // A create the gate holds at send time (the host's daily 429 came back
  // meanwhile) stays counted: the host is paused until Zoom resets its
  // daily count anyway.
  s = options_.zoom->CreateMeeting(plan.host, spec, meeting, error);
  if (!s.ok() && IsPasscodeRefusal(*error)) {
    spec.default_password = true;
    *error = ZoomError();
    CountWrite(plan.host, now);
    s = options_.zoom->CreateMeeting(plan.host, spec, meeting, error);
  }
  if (!s.ok() && !spec.timezone.empty() && IsTimezoneRefusal(*error)) {
    *warning = TimezoneRefusedWarning(spec.timezone);
    LogTimezoneRefused(request.id, spec.timezone);
    spec.timezone.clear();
    *error = ZoomError();
    CountWrite(plan.host, now);
    s = options_.zoom->CreateMeeting(plan.host, spec, meeting, error);
  }
  return s;
}

// After a lost create answer: adopt the meeting that carries the marker,
// queue any copies (or an unwanted one) for deletion.
void SyncEngine::RunLookup(SyncTask task, Plan plan) {
  const std::string id = task.appointment.request.id;
  const int64_t now = options_.clock->NowSeconds();
  const std::string marker =
      options_.markers->Marker(id, task.zoom.create_generation);
  std::vector<ZoomMeeting> listed;
  if (!ListHost(id, plan.host, &listed)) return Finish(kTaskKey + id);
  std::vector<ZoomMeeting> found;
  for (const ZoomMeeting& meeting : listed) {
    if (MarkerMaker::AgendaCarries(meeting.agenda, marker)) {
      found.push_back(meeting);
    }
  }
  // Listings carry no passcode: read the one to adopt in full.
  ZoomMeeting adopted;
  bool have_adopted = false;
  if (!found.empty()) {
    ZoomError get_error;
    have_adopted =
        options_.zoom->GetMeeting(found[0].id, &adopted, &get_error).ok();
  }
  const SyncSettings& settings = options_.settings;
  Status s = options_.store->UpdateSyncTask(
      id,
      [&](SyncTask* fresh) {
        fresh->zoom.create_in_doubt = false;
        bool wanted = !fresh->appointment.has_meeting &&
                      PlanStepIgnoringSweeps(*fresh, settings, now).kind ==
                          StepKind::kCreate &&
                      fresh->doctor.zoom_user == plan.host;
        // Zoom may act on the create later still: look again (RunSweep).
        if (found.empty()) ScheduleSweeps(plan.host, now, fresh);
        for (size_t i = 0; i < found.size(); ++i) {
          if (i == 0 && wanted && have_adopted) {
            RecordMeeting(adopted, plan.host, now, fresh);
            continue;
          }
          fresh->queue_deletions.push_back(
              PendingDeletion{found[i].id, plan.host, id, 0, 0, ""});
        }
        Settle(settings, now, fresh);
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a look-up", s);
  options_.logger->Info(
      "sync: appointment %s: looked for a lost create, found %zu meeting(s)",
      id.c_str(), found.size());
  Finish(kTaskKey + id);
}

// A follow-up sweep (docs/sync.md, "Exactly once"): a create Zoom held
// until after the look-up found nothing still makes its meeting, with an
// older generation's marker. Every marked meeting but the live one goes.
void SyncEngine::RunSweep(SyncTask task, Plan plan) {
  const std::string id = task.appointment.request.id;
  const int64_t now = options_.clock->NowSeconds();
  std::vector<ZoomMeeting> listed;
  // On a failure the round stays due: a transient one retries it later.
  if (!ListHost(id, plan.host, &listed)) return Finish(kTaskKey + id);
  const std::vector<std::string> marked = MarkedMeetings(
      *options_.markers, listed, id, task.zoom.create_generation);
  size_t strays = 0;
  Status s = options_.store->UpdateSyncTask(
      id,
      [&](SyncTask* fresh) {
        strays = 0;
        const Appointment& appointment = fresh->appointment;
        for (const std::string& meeting_id : marked) {
          if (appointment.has_meeting && appointment.meeting.id == meeting_id) {
            continue;
          }
          fresh->queue_deletions.push_back(
              PendingDeletion{meeting_id, plan.host, id, 0, 0, ""});
          ++strays;
        }
        FinishSweep(options_.settings, now, fresh);
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a sweep", s);
  options_.logger->Info(
      "sync: appointment %s: swept for late creates, found %zu stray "
      "meeting(s)",
      id.c_str(), strays);
  Finish(kTaskKey + id);
}

bool SyncEngine::ListHost(const std::string& id, const std::string& host,
                          std::vector<ZoomMeeting>* listed) {
  ZoomError error;
  Status s = options_.zoom->ListMeetings(host, listed, &error);
  if (!s.ok()) RecordFailure(id, ZoomCall::kLookup, s, error, host);
  return s.ok();
}

void SyncEngine::RunPatch(SyncTask task, Plan plan) {
  const std::string id = task.appointment.request.id;
  const std::string& host = task.zoom.meeting_host;
  const int64_t now = options_.clock->NowSeconds();
  // Durable before the call: after a crash or a lost answer the meeting is
  // read back before it is patched again. The daily count goes in the same
  // commit.
  Status s = SetPatchInDoubt(id, true, host, now);
  if (!s.ok()) return Finish(kTaskKey + id);
  ZoomError error;
  s = options_.zoom->UpdateMeeting(task.appointment.meeting.id, plan.patch,
                                   host, &error);
  std::string warning = task.zoom.warning;
  if (!s.ok() && plan.patch.timezone && IsTimezoneRefusal(error)) {
    warning = TimezoneRefusedWarning(*plan.patch.timezone);
    LogTimezoneRefused(id, *plan.patch.timezone);
    plan.patch.timezone.reset();
    error = ZoomError();
    if (!plan.patch.empty()) {
      CountWrite(host, now);
      s = options_.zoom->UpdateMeeting(task.appointment.meeting.id, plan.patch,
                                       host, &error);
    } else {
      s = Status::OK();
    }
  }
  if (!s.ok()) {
    RecordFailure(id, ZoomCall::kPatch, s, error, host);
    return Finish(kTaskKey + id);
  }
  const SyncSettings& settings = options_.settings;
  s = options_.store->UpdateSyncTask(
      id,
      [&](SyncTask* fresh) {
        ZoomState& zoom = fresh->zoom;
        if (plan.patch.start_time)
          zoom.synced_start_time = *plan.patch.start_time;
        if (plan.patch.duration_minutes) {
          zoom.synced_duration = *plan.patch.duration_minutes;
        }
        if (plan.patch.topic) zoom.synced_topic = *plan.patch.topic;
        if (plan.patch.timezone) zoom.synced_timezone = *plan.patch.timezone;
        zoom.warning = warning;
        zoom.attempts = 0;
        zoom.patch_in_doubt = false;
        Settle(settings, now, fresh);
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording an update", s);
  Finish(kTaskKey + id);
}

// Drift repair: read the meeting back. Gone -> forget it (the next step
// creates a new one); changed on Zoom -> the synced values become Zoom's,
// so the next step PATCHes the clinic's version back.
void SyncEngine::RunCheck(SyncTask task) {
  const std::string id = task.appointment.request.id;
  const int64_t now = options_.clock->NowSeconds();
  ZoomMeeting meeting;
  ZoomError error;
  Status s =
      options_.zoom->GetMeeting(task.appointment.meeting.id, &meeting, &error);
  const bool gone =
      !s.ok() && ClassifyZoomFailure(ZoomCall::kCheck, s, error, 0).kind ==
                     Outcome::Kind::kGone;
  if (!s.ok() && !gone) {
    RecordFailure(id, ZoomCall::kCheck, s, error, task.zoom.meeting_host);
    return Finish(kTaskKey + id);
  }
  const SyncSettings& settings = options_.settings;
  const std::string meeting_id = task.appointment.meeting.id;
  s = options_.store->UpdateSyncTask(
      id,
      [&](SyncTask* fresh) {
        // The appointment may have moved on while we read.
        if (!fresh->appointment.has_meeting ||
            fresh->appointment.meeting.id != meeting_id) {
          return Status::OK();
        }
        fresh->zoom.patch_in_doubt = false;
        if (!gone) {
          std::string warning = fresh->zoom.warning;
          RecordMeeting(meeting, fresh->zoom.meeting_host, now, fresh);
          fresh->zoom.warning = warning;
        } else {
          ForgetMeeting(fresh);
        }
        Settle(settings, now, fresh);
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a drift check", s);
  Finish(kTaskKey + id);
}

void SyncEngine::RunDelete(PendingDeletion deletion) {
  const int64_t now = options_.clock->NowSeconds();
  ZoomError error;
  Status s = options_.zoom->DeleteMeeting(deletion.meeting_id, &error);
  Outcome outcome;
  if (!s.ok()) outcome = ClassifyZoomFailure(ZoomCall::kDelete, s, error, 0);
  if (s.ok() || outcome.kind == Outcome::Kind::kDone) {
    options_.logger->Info("sync: deleted Zoom meeting %s (appointment %s)",
                          deletion.meeting_id.c_str(),
                          deletion.appointment_id.c_str());
    s = options_.store->CompleteDeletion(deletion.meeting_id);
    if (!s.ok()) LogStoreFailure("completing a deletion", s);
    return Finish(kDeletionKey + deletion.meeting_id);
  }
  deletion.attempts += 1;
  // Every outcome of a DELETE but kDone (returned above) carries a code.
  deletion.last_error = outcome.code;
  if (outcome.kind == Outcome::Kind::kInProgress) {
    deletion.next_attempt_at = now + kInProgressRetrySeconds;
  } else if (outcome.kind == Outcome::Kind::kPerSecond ||
             outcome.kind == Outcome::Kind::kDaily) {
    deletion.next_attempt_at =
        ResumeAt(ZoomCall::kDelete, outcome, error, deletion.host, now);
  } else {
    // Deletes are retried until done, slowly when refused for good (for
    // instance credentials): the admin's fix lets them through.
    deletion.next_attempt_at =
        now + BackoffSeconds(deletion.attempts, options_.random);
  }
  if (failure_log_.First("deleting meetings: " + deletion.last_error + " (" +
                             outcome.message + ")",
                         options_.clock->NowMicros())) {
    options_.logger->Warning("sync: deleting Zoom meeting %s failed (%s): %s",
                             deletion.meeting_id.c_str(),
                             deletion.last_error.c_str(),
                             outcome.message.c_str());
  }
  s = options_.store->RescheduleDeletion(deletion);
  if (!s.ok()) LogStoreFailure("rescheduling a deletion", s);
  Finish(kDeletionKey + deletion.meeting_id);
}

Status SyncEngine::SetPatchInDoubt(const std::string& id, bool in_doubt,
                                   const std::string& host, int64_t now) {
  Status s = options_.store->UpdateSyncTask(
      id,
      [in_doubt, &host, now](SyncTask* fresh) {
        fresh->zoom.patch_in_doubt = in_doubt;
        fresh->count_write_host = host;
        fresh->count_write_day = now / 86400;
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("recording a PATCH intent", s);
  return s;
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
  if (outcome.kind == Outcome::Kind::kDaily) {
    int64_t until =
        error.retry_at > now ? error.retry_at : NextUtcMidnight(now);
    options_.limiter->PauseHost(host, until * 1000000);
    return until;
  }
  // Per-second: at least one second, or as long as Retry-After says.
  int64_t until = std::max(now + 1, error.retry_at);
  options_.limiter->PauseCategory(CategoryOfCall(call), until * 1000000);
  return until;
}

SyncEngine::PlannedFailure SyncEngine::PlanFailure(ZoomCall call,
                                                   const Status& status,
                                                   const ZoomError& error,
                                                   const std::string& host) {
  const int64_t now = options_.clock->NowSeconds();
  PlannedFailure planned;
  planned.outcome =
      ClassifyZoomFailure(call, status, error, HostWritesToday(host, now));
  const Outcome& outcome = planned.outcome;
  int64_t resume_at = 0;
  if (outcome.kind == Outcome::Kind::kPerSecond ||
      outcome.kind == Outcome::Kind::kDaily) {
    resume_at = ResumeAt(call, outcome, error, host, now);
  }
  // Refused, or never sent (the host was held at send time): Zoom made or
  // changed nothing.
  const bool refused = error.failure == ZoomFailure::kRefused || error.not_sent;
  // By value: a batch runs the update after this frame is gone.
  planned.update = [this, outcome, call, refused, error, now,
                    resume_at](SyncTask* fresh) {
    if (outcome.kind == Outcome::Kind::kGone) {
      ForgetMeeting(fresh);
      Settle(options_.settings, now, fresh);
      return Status::OK();
    }
    // A create Zoom definitely refused made nothing; after a lost answer
    // the doubt stays, so the next step looks first.
    if (call == ZoomCall::kCreate && refused) {
      fresh->zoom.create_in_doubt = false;
    }
    // Likewise a refused PATCH changed nothing on Zoom.
    if (call == ZoomCall::kPatch && refused) {
      fresh->zoom.patch_in_doubt = false;
    }
    int64_t backoff = BackoffSeconds(fresh->zoom.attempts + 1, options_.random);
    ApplyFailure(outcome, error, now, resume_at, backoff, fresh);
    return Status::OK();
  };
  return planned;
}

void SyncEngine::RecordFailure(const std::string& id, ZoomCall call,
                               const Status& status, const ZoomError& error,
                               const std::string& host) {
  PlannedFailure planned = PlanFailure(call, status, error, host);
  Status s = options_.store->UpdateSyncTask(id, planned.update, nullptr);
  if (!s.ok()) LogStoreFailure("recording a failure", s);
  const Outcome& outcome = planned.outcome;
  // A Zoom outage fails every appointment alike: one line, then a count.
  if (!failure_log_.First(outcome.code + " (" + outcome.message + ")",
                          options_.clock->NowMicros())) {
    return;
  }
  options_.logger->Warning("sync: appointment %s: %s (%s)%s%s", id.c_str(),
                           outcome.code.c_str(), outcome.message.c_str(),
                           error.tracking_id.empty() ? "" : " tracking id ",
                           error.tracking_id.c_str());
}

}  // namespace telemed
