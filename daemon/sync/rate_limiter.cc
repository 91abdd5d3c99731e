#include "sync/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "base/clock.h"

namespace telemed {

namespace {
// Zoom counts each budget over a sliding second. Our window is longer, so
// that request n + budget leaves at least 30 ms after request n has left a
// second: one of them may arrive late without tipping Zoom's window (a 429
// costs a pause of at least a second). Pro's creates go at 19.4/s.
constexpr int64_t kWindowMicros = 1030000;
// Sends due at the pace may go this many intervals early, so a runner that
// wakes late catches up instead of losing the slot; the window still
// bounds the total.
constexpr int64_t kCatchUpSends = 2;
}  // namespace

Status ParseZoomPlan(const std::string& name, ZoomPlan* out) {
  if (name == "free") {
    *out = ZoomPlan{4, 2};
  } else if (name == "pro") {
    *out = ZoomPlan{30, 20};
  } else if (name == "business") {
    *out = ZoomPlan{80, 60};
  } else {
    return Status::Validation(
        "invalid_zoom_plan",
        "zoom plan must be free, pro or business, not '" + name + "'",
        "zoom-plan");
  }
  return Status::OK();
}

RateLimiter::RateLimiter(const ZoomPlan& plan, const Clock* clock)
    : clock_(clock) {
  MutexLock lock(&mu_);
  const double rates[2] = {plan.light_per_second, plan.medium_per_second};
  for (int i = 0; i < 2; ++i) {
    paces_[i].limit = static_cast<size_t>(std::max(1.0, std::floor(rates[i])));
    paces_[i].interval_micros =
        kWindowMicros / static_cast<int64_t>(paces_[i].limit);
  }
}

int64_t RateLimiter::ReadyAt(Pace* pace, int64_t now) {
  const int64_t early = kCatchUpSends * pace->interval_micros;
  // A clock set back must not hold the category until it catches up.
  if (!pace->sent.empty() && pace->sent.back() > now) pace->sent.clear();
  if (pace->next_micros - now > early + pace->interval_micros) {
    pace->next_micros = now;
  }
  while (!pace->sent.empty() && pace->sent.front() <= now - kWindowMicros) {
    pace->sent.pop_front();
  }
  int64_t ready = pace->next_micros - early;
  if (pace->sent.size() >= pace->limit) {
    ready = std::max(ready, pace->sent.front() + kWindowMicros);
  }
  return ready;
}

bool RateLimiter::TryAcquire(ZoomCategory category, const std::string& host,
                             int64_t* ready_at_micros) {
  MutexLock lock(&mu_);
  const int64_t now = clock_->NowMicros();
  auto paused = host_paused_until_.find(host);
  if (paused != host_paused_until_.end()) {
    if (paused->second > now) {
      *ready_at_micros = paused->second;
      return false;
    }
    host_paused_until_.erase(paused);
  }
  Pace& pace = paces_[static_cast<int>(category)];
  if (pace.paused_until > now) {
    *ready_at_micros = pace.paused_until;
    return false;
  }
  const int64_t ready = ReadyAt(&pace, now);
  if (ready > now) {
    *ready_at_micros = ready;
    return false;
  }
  pace.sent.push_back(now);
  pace.next_micros = std::max(pace.next_micros, now) + pace.interval_micros;
  return true;
}

void RateLimiter::PauseCategory(ZoomCategory category, int64_t until_micros) {
  MutexLock lock(&mu_);
  // After a 429 Zoom's window is spent: the pace restarts when the pause
  // ends, not counting the paused time as slots to catch up on.
  Pace& pace = paces_[static_cast<int>(category)];
  pace.paused_until = std::max(pace.paused_until, until_micros);
  pace.next_micros = std::max(pace.next_micros, until_micros);
}

void RateLimiter::PauseHost(const std::string& host, int64_t until_micros) {
  MutexLock lock(&mu_);
  int64_t& until = host_paused_until_[host];
  until = std::max(until, until_micros);
}

int64_t RateLimiter::HostPausedUntil(const std::string& host) {
  MutexLock lock(&mu_);
  auto it = host_paused_until_.find(host);
  if (it == host_paused_until_.end() || it->second <= clock_->NowMicros()) {
    return 0;
  }
  return it->second;
}

}  // namespace telemed
