#include "sync/backoff.h"

#include <algorithm>

#include "base/random.h"

namespace telemed {

int64_t BackoffSeconds(int attempts, RandomSource* random) {
  int shift = std::clamp(attempts - 1, 0, 20);
  int64_t delay = std::min<int64_t>(int64_t{1} << shift, kBackoffCapSeconds);
  uint32_t draw = 0;
  if (!random->Fill(reinterpret_cast<uint8_t*>(&draw), sizeof(draw)).ok()) {
    return delay;
  }
  int64_t half = delay / 2;
  return delay - half + static_cast<int64_t>(draw % (half + 1));
}

}  // namespace telemed
