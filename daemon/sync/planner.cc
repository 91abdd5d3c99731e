#include "sync/planner.h"

#include <algorithm>

namespace telemed {

namespace {

// What marks an OAuth doctor's host key: a space, which no zoom_user holds.
constexpr char kOauthHostPrefix[] = "oauth ";

bool WantsMeeting(const SyncTask& task) {
  return !task.appointment.request.cancelled &&
         !DoctorHost(task.doctor).empty();
}

int64_t EndTime(const AppointmentRequest& request) {
  return request.start_time + int64_t{request.duration_minutes} * 60;
}

MeetingPatch Differences(const SyncTask& task, const SyncSettings& settings) {
  const AppointmentRequest& request = task.appointment.request;
  const ZoomState& zoom = task.zoom;
  MeetingPatch patch;
  if (request.start_time != zoom.synced_start_time) {
    patch.start_time = request.start_time;
  }
  if (request.duration_minutes != zoom.synced_duration) {
    patch.duration_minutes = request.duration_minutes;
  }
  std::string topic = DesiredTopic(task, settings);
  if (topic != zoom.synced_topic) patch.topic = topic;
  std::string timezone = DesiredTimezone(task);
  if (!timezone.empty() && timezone != zoom.synced_timezone) {
    patch.timezone = timezone;
  }
  return patch;
}

// When a synced meeting should next be read back: daily, and once in the
// hour before it starts; never once it has started.
int64_t NextCheckAt(const SyncTask& task, const SyncSettings& settings,
                    int64_t now) {
  const int64_t start = task.appointment.request.start_time;
  if (now >= start) return 0;
  int64_t daily = task.zoom.checked_at + settings.drift_check_interval_seconds;
  int64_t pre_start = start - settings.pre_start_check_seconds;
  if (task.zoom.checked_at < pre_start) return std::min(daily, pre_start);
  return daily < start ? daily : 0;
}

Plan PlanWithMeeting(const SyncTask& task, const SyncSettings& settings,
                     int64_t now) {
  Plan plan;
  if (!WantsMeeting(task) ||
      task.zoom.meeting_host != DoctorHost(task.doctor)) {
    plan.kind = StepKind::kDetach;
    return plan;
  }
  // After a PATCH with an unknown outcome, read the meeting first: the
  // next PATCH then carries only what Zoom still lacks.
  if (task.zoom.patch_in_doubt) {
    plan.kind = StepKind::kCheck;
    return plan;
  }
  plan.patch = Differences(task, settings);
  if (!plan.patch.empty()) {
    plan.kind = StepKind::kPatch;
    return plan;
  }
  int64_t check_at = NextCheckAt(task, settings, now);
  if (check_at != 0 && check_at <= now) {
    plan.kind = StepKind::kCheck;
    return plan;
  }
  plan.next_check_at = check_at;
  return plan;
}

}  // namespace

std::string DoctorHost(const Doctor& doctor) {
  if (doctor.auth == AuthMode::kOauth) return kOauthHostPrefix + doctor.id;
  return doctor.zoom_user;
}

bool OauthDoctorOf(const std::string& host, std::string* doctor_id) {
  const size_t n = sizeof(kOauthHostPrefix) - 1;
  if (host.compare(0, n, kOauthHostPrefix) != 0) return false;
  *doctor_id = host.substr(n);
  return true;
}

std::string DesiredTopic(const SyncTask& task, const SyncSettings& settings) {
  const std::string& topic = task.appointment.request.topic;
  return topic.empty() ? settings.default_topic : topic;
}

std::string TimezoneRefusedWarning(const std::string& zone) {
  return "timezone_refused:" + zone;
}

std::string DesiredTimezone(const SyncTask& task) {
  const std::string& zone = task.appointment.request.timezone;
  // Zoom refused this very zone before; the meeting runs on UTC times anyway.
  if (task.zoom.warning == TimezoneRefusedWarning(zone)) return "";
  return zone;
}

Plan PlanStep(const SyncTask& task, const SyncSettings& settings, int64_t now) {
  Plan plan = PlanStepIgnoringSweeps(task, settings, now);
  const ZoomState& zoom = task.zoom;
  // Detach needs no call and a lookup must run before anything else; after
  // them a late meeting is better found sooner than a patch or create.
  if (zoom.sweep_at == 0 || now < zoom.sweep_at ||
      plan.kind == StepKind::kDetach || plan.kind == StepKind::kLookup) {
    return plan;
  }
  Plan sweep;
  sweep.kind = StepKind::kSweep;
  sweep.host = zoom.sweep_host;
  return sweep;
}

Plan PlanStepIgnoringSweeps(const SyncTask& task, const SyncSettings& settings,
                            int64_t now) {
  if (task.appointment.has_meeting) return PlanWithMeeting(task, settings, now);
  Plan plan;
  // A create whose answer was lost may have made a meeting, wanted or not
  // (the appointment may have been cancelled since): find it first, on the
  // host it was sent to.
  if (task.zoom.create_in_doubt) {
    plan.kind = StepKind::kLookup;
    plan.host = task.zoom.meeting_host;
    return plan;
  }
  if (!WantsMeeting(task)) return plan;
  // An appointment that is already over gets no meeting: nobody can join
  // it, and creates count against the host's daily quota.
  if (EndTime(task.appointment.request) <= now) return plan;
  plan.kind = StepKind::kCreate;
  plan.host = DoctorHost(task.doctor);
  return plan;
}

}  // namespace telemed
