// LatencyStats: the latencies of one benchmark phase, for percentiles.
//
// Keeps every sample (a phase records at most a few hundred thousand), so
// percentiles are exact rather than bucketed. Not thread-safe: each load
// thread fills its own and the runner merges them after joining.
#ifndef TELEMED_BENCH_LATENCY_STATS_H_
#define TELEMED_BENCH_LATENCY_STATS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace telemed {
namespace bench {

class LatencyStats {
 public:
  void Add(std::chrono::nanoseconds latency);
  void Merge(const LatencyStats& other);

  size_t count() const { return samples_ns_.size(); }
  // The p-th percentile (0 < p <= 100) in milliseconds, nearest-rank; 0 when
  // there are no samples.
  double PercentileMs(double p) const;
  double MaxMs() const { return PercentileMs(100); }

 private:
  mutable std::vector<int64_t> samples_ns_;
  mutable bool sorted_ = true;
};

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_LATENCY_STATS_H_
