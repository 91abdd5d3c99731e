#include "sync/start_url.h"

#include "base/log.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "sync/outcome.h"
#include "sync/sync_engine.h"
#include "sync/task_updates.h"
#include "zoom/zoom_api.h"

namespace telemed {

namespace {

// Hands `status` back with its kind in *failure (when asked for).
Status Fail(StartUrlFailure kind, Status status, StartUrlFailure* failure) {
  if (failure != nullptr) *failure = kind;
  return status;
}

Status NoMeeting(const std::string& message, StartUrlFailure* failure) {
  return Fail(StartUrlFailure::kNoMeeting,
              Status::Conflict("no_meeting", message), failure);
}

// Zoom answered 3001 (no such meeting): forget it and queue its create at
// once, as after any call that finds the meeting gone (docs/sync.md).
Status ForgetGone(Store* store, Logger* logger, const std::string& id,
                  const std::string& gone_id, StartUrlFailure* failure) {
  Status s = ChangeSyncTask(
      store, id,
      [&gone_id](SyncTask* task, bool) { ForgetGoneMeeting(gone_id, task); },
      nullptr);
  if (!s.ok()) return Fail(StartUrlFailure::kNone, s, failure);
  logger->Warning(
      "sync: appointment %s: Zoom meeting %s was deleted on Zoom; creating "
      "a new one",
      id.c_str(), gone_id.c_str());
  return NoMeeting(
      "the meeting was deleted on Zoom; the bridge is creating a new one",
      failure);
}

Status GetMeeting(ZoomApi* zoom, const std::string& meeting_id,
                  ZoomMeeting* meeting, ZoomError* error) {
  if (zoom == nullptr) {
    error->failure = ZoomFailure::kNoAnswer;
    return Status::Unavailable("zoom_no_answer", "no Zoom client");
  }
  return zoom->GetMeeting(meeting_id, meeting, error);
}

}  // namespace

Status FetchStartUrl(Store* store, ZoomApi* zoom, ZoomClient* doctors,
                     Logger* logger, const std::string& id,
                     std::string* start_url, StartUrlFailure* failure) {
  Appointment appointment;
  Status s = store->GetAppointment(id, &appointment);
  SyncTask task;
  if (s.ok()) s = store->GetSyncTask(id, &task);
  if (!s.ok()) return Fail(StartUrlFailure::kNone, s, failure);
  if (!appointment.has_meeting) {
    return NoMeeting(
        "the appointment has no Zoom meeting yet; see its sync_status and "
        "error",
        failure);
  }
  ZoomMeeting meeting;
  ZoomError error;
  std::string user;
  s = GetMeeting(ApiForHost(zoom, doctors, task.zoom.meeting_host, &user),
                 appointment.meeting.id, &meeting, &error);
  if (!s.ok() && IsDoctorGrantFailure(error.failure)) {
    return Fail(StartUrlFailure::kNone,
                Status::Conflict(DoctorWaitCode(error.failure), s.message()),
                failure);
  }
  if (s.ok() && !meeting.start_url.empty()) {
    *start_url = meeting.start_url;
    return Fail(StartUrlFailure::kNone, s, failure);
  }
  if (!s.ok() && ClassifyZoomFailure(ZoomCall::kCheck, s, error, 0).kind ==
                     Outcome::Kind::kGone) {
    return ForgetGone(store, logger, id, appointment.meeting.id, failure);
  }
  logger->Warning("start URL for appointment %s: Zoom did not answer (%s)",
                  id.c_str(), s.ok() ? "no start_url" : s.reason().c_str());
  return Fail(
      StartUrlFailure::kZoomUnavailable,
      Status::Unavailable("zoom_unavailable",
                          "Zoom cannot be reached right now; try again"),
      failure);
}

}  // namespace telemed
