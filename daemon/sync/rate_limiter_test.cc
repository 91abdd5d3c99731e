#include "sync/rate_limiter.h"

#include <CppUTest/TestHarness.h>

#include <vector>

#include "base/fake_clock.h"

namespace telemed {

TEST_GROUP(RateLimiter) {
  FakeClock clock;
  int64_t ready_at = 0;

  // How many acquisitions succeed during `seconds` of fake time, asking
  // whenever the limiter says to.
  int CountGranted(RateLimiter * limiter, ZoomCategory category,
                   double seconds) {
    const int64_t end = clock.NowMicros() + static_cast<int64_t>(seconds * 1e6);
    int granted = 0;
    while (clock.NowMicros() < end) {
      if (limiter->TryAcquire(category, "host", &ready_at)) {
        ++granted;
      } else {
        CHECK(ready_at > clock.NowMicros());
        clock.SetMicros(ready_at);
      }
    }
    return granted;
  }
};

TEST(RateLimiter, PlansHaveZoomsBudgets) {
  ZoomPlan plan;
  CHECK_TRUE(ParseZoomPlan("free", &plan).ok());
  DOUBLES_EQUAL(2, plan.medium_per_second, 0);
  CHECK_TRUE(ParseZoomPlan("business", &plan).ok());
  DOUBLES_EQUAL(80, plan.light_per_second, 0);
  Status s = ParseZoomPlan("enterprise-plus", &plan);
  STRCMP_EQUAL("invalid_zoom_plan", s.reason().c_str());
}

TEST(RateLimiter, SustainedRateStaysWithinTheBudget) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  int granted = CountGranted(&limiter, ZoomCategory::kMedium, 10);
  // Never over 20/s, and at least 95 % of it (a backlog drains at the
  // budget's pace).
  CHECK(granted <= 20 * 10);
  CHECK(granted >= 19 * 10);
}

TEST(RateLimiter, AnySecondHoldsTheBudgetWithRoomForDelays) {
  // Zoom counts over a sliding second: the 21st create must come more than
  // a second after the 1st, with room for one of them to arrive late.
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  std::vector<int64_t> granted;
  while (granted.size() < 100) {
    if (limiter.TryAcquire(ZoomCategory::kMedium, "h", &ready_at)) {
      granted.push_back(clock.NowMicros());
    } else {
      clock.SetMicros(ready_at);
    }
  }
  for (size_t i = 0; i + 20 < granted.size(); ++i) {
    CHECK(granted[i + 20] - granted[i] >= 1020000);
  }
}

TEST(RateLimiter, ALoneCallAfterIdleGoesAtOnce) {
  // The PUT-to-join_url path must not wait on the limiter.
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  CHECK_TRUE(limiter.TryAcquire(ZoomCategory::kMedium, "h", &ready_at));
  clock.SetMicros(clock.NowMicros() + 2000000);
  CHECK_TRUE(limiter.TryAcquire(ZoomCategory::kMedium, "h", &ready_at));
}

TEST(RateLimiter, AClockSetBackDoesNotHoldTheCategory) {
  RateLimiter limiter(ZoomPlan{4, 2}, &clock);
  while (limiter.TryAcquire(ZoomCategory::kMedium, "h", &ready_at)) {
  }
  clock.SetMicros(clock.NowMicros() - 3600LL * 1000000);
  CHECK_TRUE(limiter.TryAcquire(ZoomCategory::kMedium, "h", &ready_at));
}

TEST(RateLimiter, NoSecondEverExceedsTheBudget) {
  RateLimiter limiter(ZoomPlan{4, 2}, &clock);
  int64_t window_start = clock.NowMicros();
  int in_window = 0;
  for (int i = 0; i < 40; ++i) {
    while (!limiter.TryAcquire(ZoomCategory::kLight, "h", &ready_at)) {
      clock.SetMicros(ready_at);
    }
    if (clock.NowMicros() - window_start >= 1000000) {
      window_start = clock.NowMicros();
      in_window = 0;
    }
    ++in_window;
    CHECK(in_window <= 4);
  }
}

TEST(RateLimiter, CategoriesAreIndependent) {
  RateLimiter limiter(ZoomPlan{4, 2}, &clock);
  while (limiter.TryAcquire(ZoomCategory::kMedium, "h", &ready_at)) {
  }
  CHECK_TRUE(limiter.TryAcquire(ZoomCategory::kLight, "h", &ready_at));
}

TEST(RateLimiter, PausedCategoryWaitsForRetryAfter) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  int64_t until = clock.NowMicros() + 2000000;
  limiter.PauseCategory(ZoomCategory::kLight, until);
  CHECK_FALSE(limiter.TryAcquire(ZoomCategory::kLight, "h", &ready_at));
  LONGS_EQUAL(until, ready_at);
  clock.SetMicros(until - 1);
  CHECK_FALSE(limiter.TryAcquire(ZoomCategory::kLight, "h", &ready_at));
  clock.SetMicros(until + 100000);
  CHECK_TRUE(limiter.TryAcquire(ZoomCategory::kLight, "h", &ready_at));
}

TEST(RateLimiter, PausedHostDoesNotStopOtherHosts) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  int64_t midnight = clock.NowMicros() + 3600LL * 1000000;
  limiter.PauseHost("busy@clinic", midnight);
  CHECK_FALSE(
      limiter.TryAcquire(ZoomCategory::kMedium, "busy@clinic", &ready_at));
  LONGS_EQUAL(midnight, ready_at);
  LONGS_EQUAL(midnight, limiter.HostPausedUntil("busy@clinic"));
  CHECK_TRUE(
      limiter.TryAcquire(ZoomCategory::kMedium, "other@clinic", &ready_at));
  clock.SetMicros(midnight);
  LONGS_EQUAL(0, limiter.HostPausedUntil("busy@clinic"));
  CHECK_TRUE(
      limiter.TryAcquire(ZoomCategory::kMedium, "busy@clinic", &ready_at));
}

}  // namespace telemed
