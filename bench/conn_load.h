// The connection-load measurement: short requests while many connections
// wait, as a LAN peer without a key can make them (docs/api.md "Limits and
// behaviour").
#ifndef TELEMED_BENCH_CONN_LOAD_H_
#define TELEMED_BENCH_CONN_LOAD_H_

#include <sys/types.h>

#include "api_phases.h"

namespace telemed {
namespace bench {

struct ConnLoadPlan {
  // Connections that send nothing; re-opened when the daemon closes them
  // (its keep-alive timeout), so this many wait throughout.
  int idle = 200;
  // Connections that send a request head one byte a second per connection
  // and never finish it; re-opened when the daemon cuts them (408).
  int slow = 200;
  // Long-polls (GET /appointments?wait=60 from the feed's end) parked
  // throughout: the short requests are GETs only, so nothing wakes them.
  int parked = 100;
  // Short requests per second in all (open loop, 4 connections):
  // GET /api/v1/health and GET /api/v1/appointments/{id} alternately.
  double rate = 200;
  // Then this many connections at once, each sending GET /api/v1/health.
  int burst = 1000;
  // The daemon's pid, for VmRSS; 0 leaves that row out.
  pid_t daemon_pid = 0;
};

// Prints rows: short-request p50/p99 among the waiting connections, the
// daemon's VmRSS then, and the burst's slowest answer and 503 count.
void MeasureConnectionLoad(const PhaseOptions& options,
                           const ConnLoadPlan& plan);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_CONN_LOAD_H_
