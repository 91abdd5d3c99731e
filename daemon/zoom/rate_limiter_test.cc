#include "zoom/rate_limiter.h"

#include <CppUTest/TestHarness.h>

#include <vector>

#include "base/fake_clock.h"

namespace telemed {

TEST_GROUP(RateLimiter) {
  FakeClock clock;

  // The slots of `count` calls of `category` made one after another, each
  // waiting (on the fake clock) for its slot as ZoomApi does.
  std::vector<int64_t> Sends(RateLimiter * limiter, ZoomCategory category,
                             int count) {
    std::vector<int64_t> sends;
    for (int i = 0; i < count; ++i) {
      limiter->WaitForSlot(category);
      sends.push_back(clock.NowMicros());
    }
    return sends;
  }

  // The most sends in any window of `window_micros`.
  static size_t MostInAnyWindow(const std::vector<int64_t>& sends,
                                int64_t window_micros) {
    size_t most = 0;
    for (size_t i = 0; i < sends.size(); ++i) {
      size_t j = i;
      while (j < sends.size() && sends[j] < sends[i] + window_micros) ++j;
      most = std::max(most, j - i);
    }
    return most;
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

TEST(RateLimiter, NoSecondHoldsMoreThanTheBudgetYetTheRateIsNearIt) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  const int64_t start = clock.NowMicros();
  std::vector<int64_t> sends = Sends(&limiter, ZoomCategory::kMedium, 200);
  CHECK(MostInAnyWindow(sends, 1000000) <= 20);
  double seconds = static_cast<double>(sends.back() - start) / 1e6;
  double rate = 199 / seconds;
  CHECK(rate >= 19.0);  // >= 95% of Zoom's 20/s
  CHECK(rate <= 20.0);
}

TEST(RateLimiter, SlotsAreEvenlySpaced) {
  RateLimiter limiter(ZoomPlan{4, 2}, &clock);
  std::vector<int64_t> sends = Sends(&limiter, ZoomCategory::kLight, 10);
  for (size_t i = 1; i < sends.size(); ++i) {
    CHECK(sends[i] - sends[i - 1] >= 250000);
  }
}

TEST(RateLimiter, CategoriesAreIndependent) {
  RateLimiter limiter(ZoomPlan{4, 2}, &clock);
  Sends(&limiter, ZoomCategory::kMedium, 2);
  const int64_t before = clock.NowMicros();
  // A Light slot is free at once even though Medium's next is later.
  LONGS_EQUAL(before, limiter.ReserveSlot(ZoomCategory::kLight));
}

TEST(RateLimiter, PausedCategoryWaitsForRetryAfter) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  int64_t until = clock.NowMicros() + 2000000;
  limiter.PauseCategory(ZoomCategory::kLight, until);
  CHECK(limiter.ReserveSlot(ZoomCategory::kLight) >= until);
  CHECK(limiter.ReserveSlot(ZoomCategory::kMedium) < until);
}

TEST(RateLimiter, PausedHostIsReportedUntilItsTime) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  int64_t midnight = clock.NowMicros() + 3600LL * 1000000;
  limiter.PauseHost("busy@clinic", midnight);
  LONGS_EQUAL(midnight, limiter.HostPausedUntil("busy@clinic"));
  LONGS_EQUAL(0, limiter.HostPausedUntil("other@clinic"));
  clock.SetMicros(midnight);
  LONGS_EQUAL(0, limiter.HostPausedUntil("busy@clinic"));
}

TEST(RateLimiter, ConcurrentReservationsGetDistinctSlots) {
  RateLimiter limiter(ZoomPlan{30, 20}, &clock);
  std::vector<int64_t> slots;
  for (int i = 0; i < 8; ++i) {
    slots.push_back(limiter.ReserveSlot(ZoomCategory::kMedium));
  }
  for (size_t i = 1; i < slots.size(); ++i) CHECK(slots[i] > slots[i - 1]);
  CHECK(MostInAnyWindow(slots, 1000000) <= 20);
}

}  // namespace telemed
