// FakeClock: a Clock for tests that moves only when told to.
#ifndef TELEMED_BASE_FAKE_CLOCK_H_
#define TELEMED_BASE_FAKE_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "base/clock.h"

namespace telemed {

class FakeClock final : public Clock {
 public:
  // Starts at 2026-01-01T00:00:00Z unless told otherwise.
  explicit FakeClock(int64_t start_micros = 1767225600LL * 1000000)
      : now_(start_micros) {}
  int64_t NowMicros() const override { return now_.load(); }
  // Moves the clock forward to `when_micros` (never back).
  void SleepUntilMicros(int64_t when_micros) const override {
    int64_t now = now_.load();
    while (now < when_micros && !now_.compare_exchange_weak(now, when_micros)) {
    }
  }
  void AdvanceMicros(int64_t delta) { now_ += delta; }
  void AdvanceSeconds(int64_t delta) { now_ += delta * 1000000; }
  void SetMicros(int64_t now) { now_ = now; }

 private:
  // mutable: a "sleep" on a const Clock moves the fake time.
  mutable std::atomic<int64_t> now_;
};

}  // namespace telemed

#endif  // TELEMED_BASE_FAKE_CLOCK_H_
