#include <time.h>

#include "base/clock.h"

namespace telemed {

int64_t RealClock::NowMicros() const {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace telemed
