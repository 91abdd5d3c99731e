// Backoff for transient Zoom faults: exponential from one second, capped at
// five minutes, with jitter so that a clinic's backlog does not retry in
// lockstep after an outage.
#ifndef TELEMED_SYNC_BACKOFF_H_
#define TELEMED_SYNC_BACKOFF_H_

#include <cstdint>

namespace telemed {

class RandomSource;

constexpr int64_t kBackoffCapSeconds = 300;

// Seconds to wait after the `attempts`-th failure in a row (1, 2, ...):
// a uniform draw from [d/2, d] where d = min(2^(attempts-1), cap).
// Falls back to d when `random` fails.
int64_t BackoffSeconds(int attempts, RandomSource* random);

}  // namespace telemed

#endif  // TELEMED_SYNC_BACKOFF_H_
