#include "sync/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "base/clock.h"

namespace telemed {

namespace {
constexpr int64_t kMicrosPerSecond = 1000000;
}  // namespace

Status ParseZoomPlan(const std::string& name, ZoomPlan* out) {
  if (name == "free") {
    *out = ZoomPlan{4, 2};
  } else if (name == "pro") {
    *out = ZoomPlan{30, 20};
  } else if (name == "business") {
    *out = ZoomPlan{80, 60};
  } else {
    return Status::Validation("invalid_zoom_plan",
                              "zoom plan must be free, pro or business, not '" +
                                  name + "'",
                              "zoom-plan");
  }
  return Status::OK();
}

RateLimiter::RateLimiter(const ZoomPlan& plan, const Clock* clock)
    : clock_(clock) {
  MutexLock lock(&mu_);
  const double rates[2] = {plan.light_per_second, plan.medium_per_second};
  const int64_t now = clock_->NowMicros();
  for (int i = 0; i < 2; ++i) {
    // A burst of a quarter second's budget: Zoom counts per second, so a
    // whole second's worth sent at once can tip into the next window.
    buckets_[i].rate = rates[i];
    buckets_[i].burst = std::max(1.0, std::floor(rates[i] / 4));
    buckets_[i].tokens = buckets_[i].burst;
    buckets_[i].updated_micros = now;
  }
}

void RateLimiter::Refill(Bucket* bucket, int64_t now) {
  if (now <= bucket->updated_micros) return;
  double elapsed = static_cast<double>(now - bucket->updated_micros) /
                   kMicrosPerSecond;
  bucket->tokens = std::min(bucket->burst, bucket->tokens + elapsed * bucket->rate);
  bucket->updated_micros = now;
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
  Bucket& bucket = buckets_[static_cast<int>(category)];
  if (bucket.paused_until > now) {
    *ready_at_micros = bucket.paused_until;
    return false;
  }
  Refill(&bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return true;
  }
  double wait_seconds = (1 - bucket.tokens) / bucket.rate;
  *ready_at_micros =
      now + static_cast<int64_t>(std::ceil(wait_seconds * kMicrosPerSecond));
  return false;
}

void RateLimiter::PauseCategory(ZoomCategory category, int64_t until_micros) {
  MutexLock lock(&mu_);
  Bucket& bucket = buckets_[static_cast<int>(category)];
  bucket.paused_until = std::max(bucket.paused_until, until_micros);
  // After a 429 the window is spent: resume with an empty bucket.
  bucket.tokens = 0;
  bucket.updated_micros = std::max(bucket.updated_micros, until_micros);
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
