#include "zoom/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "base/clock.h"

namespace telemed {

namespace {
// Zoom counts each budget over a sliding second. Our window is longer, so
// that request n + budget leaves at least 40 ms after request n has left a
// second: one of them may arrive late (a TLS handshake on a new connection,
// the network) without tipping Zoom's window; a 429 costs a pause of at
// least a second. Pro's creates go at 19.2/s.
constexpr int64_t kWindowMicros = 1040000;
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

int64_t RateLimiter::ReserveSlot(ZoomCategory category) {
  MutexLock lock(&mu_);
  const int64_t now = clock_->NowMicros();
  Pace& pace = paces_[static_cast<int>(category)];
  int64_t slot = std::max({now, pace.paused_until, pace.next_micros});
  // Slots only grow, so the window's oldest entries are at the front.
  while (!pace.sent.empty() && pace.sent.front() <= slot - kWindowMicros) {
    pace.sent.pop_front();
  }
  if (pace.sent.size() >= pace.limit) {
    slot = std::max(slot,
                    pace.sent[pace.sent.size() - pace.limit] + kWindowMicros);
  }
  pace.sent.push_back(slot);
  pace.next_micros = slot + pace.interval_micros;
  return slot;
}

void RateLimiter::WaitForSlot(ZoomCategory category) {
  clock_->SleepUntilMicros(ReserveSlot(category));
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
