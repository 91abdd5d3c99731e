#include <errno.h>
#include <time.h>

#include "base/clock.h"

namespace telemed {

int64_t RealClock::NowMicros() const {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void RealClock::SleepUntilMicros(int64_t when_micros) const {
  struct timespec until;
  until.tv_sec = static_cast<time_t>(when_micros / 1000000);
  until.tv_nsec = static_cast<long>(when_micros % 1000000) * 1000;
  // Absolute, so a signal's interruption resumes toward the same instant.
  while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, nullptr) ==
         EINTR) {
  }
}

}  // namespace telemed
