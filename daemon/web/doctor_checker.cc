#include "web/doctor_checker.h"

#include <set>
#include <vector>

#include "base/clock.h"
#include "base/log.h"
#include "store/clinic_records.h"
#include "zoom/s2s_app.h"
#include "zoom/zoom_api.h"

namespace telemed {
namespace web {

const char* DoctorStateName(DoctorState state) {
  switch (state) {
    case DoctorState::kOk:
      return "ok";
    case DoctorState::kZoomUserNotFound:
      return "zoom_user_not_found";
    case DoctorState::kNotConnected:
      return "not_connected";
    case DoctorState::kUnchecked:
      break;
  }
  return "unchecked";
}

DoctorChecker::Verdict DoctorChecker::StateOf(const Doctor& doctor) const {
  if (doctor.auth == AuthMode::kOauth) return {DoctorState::kNotConnected, 0};
  MutexLock lock(&mu_);
  auto it = entries_.find(doctor.id);
  if (it == entries_.end() || it->second.zoom_user != doctor.zoom_user) {
    return Verdict();
  }
  return it->second.verdict;
}

Status DoctorChecker::RunOnce() {
  std::string version;
  std::vector<Doctor> doctors;
  Status s = ReadZoomConfigVersion(options_.settings, &version);
  if (s.ok()) s = options_.records->ListDoctors(&doctors);
  if (!s.ok()) return s;
  std::set<std::string> ids;
  {
    MutexLock lock(&mu_);
    if (version != config_version_) entries_.clear();
    config_version_ = version;
  }
  for (const Doctor& doctor : doctors) {
    ids.insert(doctor.id);
    const int64_t now = options_.clock->NowSeconds();
    if (doctor.auth != AuthMode::kS2s || !IsDue(doctor, now)) continue;
    Entry entry = LookUp(doctor, now);
    MutexLock lock(&mu_);
    entries_[doctor.id] = std::move(entry);
  }
  // Removed doctors' verdicts go with them.
  MutexLock lock(&mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = ids.count(it->first) != 0 ? std::next(it) : entries_.erase(it);
  }
  return Status::OK();
}

bool DoctorChecker::IsDue(const Doctor& doctor, int64_t now) const {
  MutexLock lock(&mu_);
  auto it = entries_.find(doctor.id);
  return it == entries_.end() || it->second.zoom_user != doctor.zoom_user ||
         now >= it->second.next_at;
}

// Zoom's "no such user" (404, code 1001) is a verdict; any other failure
// says nothing about the doctor, so it stays unchecked until the retry.
DoctorChecker::Entry DoctorChecker::LookUp(const Doctor& doctor, int64_t now) {
  Entry entry;
  entry.zoom_user = doctor.zoom_user;
  ZoomUser user;
  ZoomError error;
  Status s = options_.api->GetUser(doctor.zoom_user, &user, &error);
  if (s.ok()) {
    entry.verdict = {DoctorState::kOk, now};
  } else if (error.http_status == 404 && error.zoom_code == 1001) {
    entry.verdict = {DoctorState::kZoomUserNotFound, now};
  } else {
    options_.logger->Log(Severity::kDebug,
                         "doctor %s: Zoom user not looked up yet: %s",
                         doctor.id.c_str(), s.ToString().c_str());
    entry.next_at = now + options_.retry_seconds;
    return entry;
  }
  entry.next_at = now + options_.recheck_seconds;
  return entry;
}

}  // namespace web
}  // namespace telemed
