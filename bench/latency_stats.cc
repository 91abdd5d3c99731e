#include "latency_stats.h"

#include <algorithm>
#include <cmath>

namespace telemed {
namespace bench {

void LatencyStats::Add(std::chrono::nanoseconds latency) {
  samples_ns_.push_back(latency.count());
  sorted_ = false;
}

void LatencyStats::Merge(const LatencyStats& other) {
  samples_ns_.insert(samples_ns_.end(), other.samples_ns_.begin(),
                     other.samples_ns_.end());
  sorted_ = false;
}

double LatencyStats::PercentileMs(double p) const {
  if (samples_ns_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_ns_.begin(), samples_ns_.end());
    sorted_ = true;
  }
  // Nearest rank: the smallest sample with at least p% at or below it.
  size_t rank = static_cast<size_t>(
      std::ceil(p / 100.0 * static_cast<double>(samples_ns_.size())));
  size_t index = rank == 0 ? 0 : rank - 1;
  return static_cast<double>(samples_ns_[index]) / 1e6;
}

}  // namespace bench
}  // namespace telemed
