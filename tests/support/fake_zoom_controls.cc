// FakeZoom's public controls (what an admin or host does on Zoom's side)
// and inspection (what the tests assert on).
#include "base/clock.h"
#include "base/time_format.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

bool Selects(const LoggedRequest& entry, const std::string& method,
             const std::string& path_prefix) {
  return (method.empty() || entry.method == method) &&
         entry.path.compare(0, path_prefix.size(), path_prefix) == 0;
}

}  // namespace

void FakeZoom::AddUser(const std::string& id, const std::string& email,
                       bool can_host) {
  MutexLock lock(&impl_->mu_);
  FakeUser& user = impl_->users_[id];
  user.id = id;
  user.email = email;
  user.can_host = can_host;
}

bool FakeZoom::SetPasscodePolicy(const std::string& user_id,
                                 const PasscodePolicy& policy) {
  MutexLock lock(&impl_->mu_);
  auto it = impl_->users_.find(user_id);
  if (it == impl_->users_.end()) return false;
  it->second.policy = policy;
  return true;
}

bool FakeZoom::SetMeetingStatus(int64_t id, MeetingStatus status) {
  MutexLock lock(&impl_->mu_);
  auto it = impl_->meetings_.find(id);
  if (it == impl_->meetings_.end()) return false;
  it->second.status = status;
  return true;
}

bool FakeZoom::DeleteMeetingBehindTheBridgesBack(int64_t id) {
  MutexLock lock(&impl_->mu_);
  return impl_->meetings_.erase(id) == 1;
}

bool FakeZoom::ChangeMeetingOnZoom(int64_t id,
                                   const std::string& start_time_utc,
                                   int duration_minutes) {
  int64_t start = 0;
  if (!ParseRfc3339(start_time_utc, &start).ok()) return false;
  MutexLock lock(&impl_->mu_);
  auto it = impl_->meetings_.find(id);
  if (it == impl_->meetings_.end()) return false;
  it->second.start_seconds = start;
  it->second.start_time = FormatRfc3339Utc(start);
  it->second.duration = duration_minutes;
  return true;
}

void FakeZoom::ExpireAllTokens() {
  MutexLock lock(&impl_->mu_);
  const int64_t now = impl_->options_.clock->NowMicros();
  for (auto& token : impl_->tokens_) token.second.expires_micros = now;
}

void FakeZoom::SetGrantedScopes(const std::vector<std::string>& scopes) {
  MutexLock lock(&impl_->mu_);
  impl_->granted_scopes_ = scopes;
}

void FakeZoom::RotateCredentials(const std::string& client_id,
                                 const std::string& client_secret) {
  MutexLock lock(&impl_->mu_);
  impl_->client_id_ = client_id;
  impl_->client_secret_ = client_secret;
}

std::vector<FakeMeeting> FakeZoom::Meetings() const {
  MutexLock lock(&impl_->mu_);
  std::vector<FakeMeeting> meetings;
  for (const auto& entry : impl_->meetings_) meetings.push_back(entry.second);
  return meetings;
}

bool FakeZoom::FindMeeting(int64_t id, FakeMeeting* out) const {
  MutexLock lock(&impl_->mu_);
  auto it = impl_->meetings_.find(id);
  if (it == impl_->meetings_.end()) return false;
  *out = it->second;
  return true;
}

std::vector<LoggedRequest> FakeZoom::Requests() const {
  MutexLock lock(&impl_->mu_);
  return impl_->log_;
}

int FakeZoom::CountRequests(const std::string& method,
                            const std::string& path_prefix) const {
  return static_cast<int>(RequestTimesMicros(method, path_prefix).size());
}

std::vector<int64_t> FakeZoom::RequestTimesMicros(
    const std::string& method, const std::string& path_prefix) const {
  MutexLock lock(&impl_->mu_);
  std::vector<int64_t> times;
  for (const LoggedRequest& entry : impl_->log_) {
    if (Selects(entry, method, path_prefix)) times.push_back(entry.time_micros);
  }
  return times;
}

int FakeZoom::CountNoOpPatches() const {
  MutexLock lock(&impl_->mu_);
  int count = 0;
  for (const LoggedRequest& entry : impl_->log_) count += entry.noop_patch;
  return count;
}

int FakeZoom::DailyCount(const std::string& host_id) const {
  MutexLock lock(&impl_->mu_);
  return impl_->DailyCountLocked(host_id);
}

}  // namespace test
}  // namespace telemed
