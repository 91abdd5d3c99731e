#include "sync/start_url.h"

#include "base/log.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "sync/outcome.h"
#include "sync/task_updates.h"
#include "zoom/zoom_api.h"

namespace telemed {

namespace {

Status NoMeeting(const std::string& message) {
  return Status::Conflict("no_meeting", message);
}

}  // namespace

Status FetchStartUrl(Store* store, ZoomApi* zoom, Logger* logger,
                     const std::string& id, std::string* start_url) {
  Appointment appointment;
  Status s = store->GetAppointment(id, &appointment);
  if (!s.ok()) return s;
  if (!appointment.has_meeting) {
    return NoMeeting(
        "the appointment has no Zoom meeting yet; see its sync_status and "
        "error");
  }
  ZoomMeeting meeting;
  ZoomError error;
  s = zoom == nullptr
          ? Status::Unavailable("zoom_no_answer", "no Zoom client")
          : zoom->GetMeeting(appointment.meeting.id, &meeting, &error);
  if (s.ok() && !meeting.start_url.empty()) {
    *start_url = meeting.start_url;
    return Status::OK();
  }
  if (!s.ok() && ClassifyZoomFailure(ZoomCall::kCheck, s, error, 0).kind ==
                     Outcome::Kind::kGone) {
    const std::string gone_id = appointment.meeting.id;
    s = ChangeSyncTask(
        store, id,
        [&gone_id](SyncTask* task, bool) { ForgetGoneMeeting(gone_id, task); },
        nullptr);
    if (!s.ok()) return s;
    logger->Warning(
        "sync: appointment %s: Zoom meeting %s was deleted on Zoom; creating "
        "a new one",
        id.c_str(), gone_id.c_str());
    return NoMeeting(
        "the meeting was deleted on Zoom; the bridge is creating a new one");
  }
  logger->Warning("start URL for appointment %s: Zoom did not answer (%s)",
                  id.c_str(), s.ok() ? "no start_url" : s.reason().c_str());
  return Status::Unavailable("zoom_unavailable",
                             "Zoom cannot be reached right now; try again");
}

}  // namespace telemed
