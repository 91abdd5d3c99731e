// Load runners: drive a request function from several threads, each with
// its own keep-alive connection, and collect latencies.
//
// Open loop (RunOpenLoop) sends at a fixed rate whatever the server does:
// request i is due at start + i / rate and its latency runs from that due
// time, not from when it was actually sent. A stalled server therefore shows
// up in the percentiles instead of silently slowing the generator down
// (no coordinated omission; the same idea as wrk2).
// Closed loop (RunClosedLoop) sends the next request as soon as the last one
// answered: it measures the most a server sustains with that many clients.
//
// Both start with a warm-up whose requests are sent but not recorded, and
// both stop by themselves.
#ifndef TELEMED_BENCH_LOAD_RUNNER_H_
#define TELEMED_BENCH_LOAD_RUNNER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "bench_client.h"
#include "latency_stats.h"

namespace telemed {
namespace bench {

// What one request was (an index the caller defines, below `kinds`) and
// whether it succeeded.
struct Sent {
  int kind = 0;
  bool ok = false;
};

// Sends request number `serial` (unique within a run) on `client`.
using RequestFn = std::function<Sent(BenchClient* client, uint64_t serial)>;

struct LoadPlan {
  Endpoint endpoint;
  int connections = 8;  // threads, one connection each
  std::chrono::milliseconds warmup{2000};
  std::chrono::milliseconds measure{10000};
  int kinds = 1;             // distinct Sent::kind values
  double rate_per_s = 1000;  // open loop only: requests per second in all
};

struct LoadResult {
  LatencyStats all;                   // successful requests
  std::vector<LatencyStats> by_kind;  // successful requests per kind
  uint64_t errors = 0;                // failed requests in the measured window
  uint64_t unsent = 0;  // open loop: requests dropped at the hard stop
  double measured_seconds = 0;

  // Successful requests per second in the measured window.
  double Throughput() const;
};

LoadResult RunOpenLoop(const LoadPlan& plan, const RequestFn& request);
LoadResult RunClosedLoop(const LoadPlan& plan, const RequestFn& request);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_LOAD_RUNNER_H_
