// Clock: the seam between the bridge's logic and the time of day.
//
// Everything that depends on "now" (updated_at, retention, last-use times,
// later token expiry and Retry-After) asks an injected Clock, so tests move
// time explicitly with FakeClock and never sleep. Only base/real_clock.cc
// reads the operating system's clock.
#ifndef TELEMED_BASE_CLOCK_H_
#define TELEMED_BASE_CLOCK_H_

#include <cstdint>

namespace telemed {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in microseconds since the Unix epoch (UTC).
  // Thread-safe.
  virtual int64_t NowMicros() const = 0;
  // Convenience: whole seconds since the epoch.
  int64_t NowSeconds() const { return NowMicros() / 1000000; }
  // Returns once NowMicros() >= when_micros (at once if it already is).
  // The real clock sleeps; a fake one moves itself forward, so tests that
  // pace requests stay instant and deterministic.
  virtual void SleepUntilMicros(int64_t when_micros) const = 0;
};

// The operating system's clock (CLOCK_REALTIME).
class RealClock final : public Clock {
 public:
  int64_t NowMicros() const override;
  void SleepUntilMicros(int64_t when_micros) const override;
};

}  // namespace telemed

#endif  // TELEMED_BASE_CLOCK_H_
