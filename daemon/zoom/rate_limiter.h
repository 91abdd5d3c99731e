// RateLimiter: keeps the bridge under Zoom's per-second budgets and honours
// Zoom's 429s (see docs/sync.md, "Rate limits and quota").
//
// Per category for the whole account (Light: get, update, delete; Medium:
// create, list): each call reserves a send slot right before it leaves
// (ZoomApi asks through RateGate), slots evenly spaced so that never more
// than the plan's budget falls in a window a little over a second (Zoom's
// own count is per sliding second); a per-second 429 pauses a category; a
// daily 429 pauses one host until a given time. The daily
// create+update count per host lives in the database (Store::AddZoomWrite);
// this class holds only what may be forgotten on restart. Time comes from
// the injected Clock. Thread-safe.
#ifndef TELEMED_ZOOM_RATE_LIMITER_H_
#define TELEMED_ZOOM_RATE_LIMITER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "base/mutex.h"
#include "base/status.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;

// Requests per second Zoom allows an account, per category.
struct ZoomPlan {
  double light_per_second = 30;
  double medium_per_second = 20;
};
// "free" (4/2), "pro" (30/20), "business" (80/60); Validation
// ("invalid_zoom_plan", field "zoom-plan") otherwise.
Status ParseZoomPlan(const std::string& name, ZoomPlan* out);

// Zoom's cap on meeting creates + updates per host and UTC day, whatever
// the plan. The count itself is in the database (it must survive restarts).
constexpr int kZoomDailyWriteLimit = 100;

class RateLimiter final : public RateGate {
 public:
  // *clock is borrowed and must outlive the limiter.
  RateLimiter(const ZoomPlan& plan, const Clock* clock);

  // Reserves the next send slot of `category` (never before a pause ends)
  // and returns its time; the caller sends then, not before.
  int64_t ReserveSlot(ZoomCategory category) EXCLUDES(mu_);
  // RateGate: reserves a slot and sleeps on the clock until it comes.
  void WaitForSlot(ZoomCategory category) override EXCLUDES(mu_);
  // A per-second 429: no request of `category` before `until_micros`.
  void PauseCategory(ZoomCategory category, int64_t until_micros);
  // A daily 429: no request for `host` before `until_micros`.
  void PauseHost(const std::string& host, int64_t until_micros);
  // RateGate: 0 when `host` is not paused.
  int64_t HostPausedUntil(const std::string& host) override EXCLUDES(mu_);

 private:
  // The pace of one category.
  struct Pace {
    size_t limit = 1;             // sends allowed in any window
    int64_t interval_micros = 0;  // between sends: the window / `limit`
    int64_t next_micros = 0;      // when the next send is due at the pace
    std::deque<int64_t> sent;     // sends still in the window, oldest first
    int64_t paused_until = 0;
  };

  const Clock* const clock_;
  Mutex mu_;
  Pace paces_[2] GUARDED_BY(mu_);
  std::map<std::string, int64_t> host_paused_until_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_RATE_LIMITER_H_
