// The measurements api_bench makes against a running daemon. Each prints
// rows of a Markdown table ("| measure | result | target | verdict |") on
// stdout, ready to be pasted into RESULTS.md by run.sh.
//
// Every phase expects the records made by Populate: appointments
// bench-0 .. bench-(kRecords-1) of one doctor.
#ifndef TELEMED_BENCH_API_PHASES_H_
#define TELEMED_BENCH_API_PHASES_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bench_client.h"

namespace telemed {
namespace bench {

// Appointments the load reads and rewrites.
constexpr uint64_t kRecords = 1000;

// Settings shared by the phases.
struct PhaseOptions {
  Endpoint daemon;
  std::string doctor_id;
  std::chrono::milliseconds warmup{2000};
  std::chrono::milliseconds measure{10000};
  uint64_t seed = 1;  // chooses PUT or GET and the appointment per request
};

// PUTs every benchmark appointment once. False (message on stderr) when one
// is refused.
bool Populate(const PhaseOptions& options);

// One open-loop latency measurement: `rate` requests/s on `connections`
// connections, a share `put_share` of them PUTs, the rest GETs of one
// appointment, `runs` times; the verdict uses the median run's p99.
// `label` names the setting in each row (e.g. the data dir's filesystem);
// a control that is not the product's setting is not `judged`.
struct LatencyPlan {
  double rate = 1000;
  int connections = 8;
  double put_share = 0.5;
  int runs = 5;
  std::string label;
  bool judged = true;
  // When set, each run is followed by the same open loop against the bare
  // server on this port (GET / only): the machine's own tail at that time.
  int bare_port = 0;
};
// False (message on stderr) when the plan is unusable.
bool MeasureLatency(const PhaseOptions& options, const LatencyPlan& latency);

// Closed-loop PUTs at each connection count; reports the best throughput.
void MeasureMaxPuts(const PhaseOptions& options,
                    const std::vector<int>& connection_counts);

// Closed-loop GETs of one appointment from the daemon and of GET / from the
// bare server on `bare_port`, alternating `rounds` times with the same
// connection count; reports the daemon's share of the bare throughput.
void CompareGets(const PhaseOptions& options, int bare_port, int connections,
                 int rounds);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_API_PHASES_H_
