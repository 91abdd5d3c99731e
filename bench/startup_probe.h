// Start-up time: from spawning `telemed-bridge serve` on a fresh, empty data
// dir to its first 200 on GET /api/v1/health. Includes creating the data dir
// and the database, the migrations and binding the port.
#ifndef TELEMED_BENCH_STARTUP_PROBE_H_
#define TELEMED_BENCH_STARTUP_PROBE_H_

#include <string>
#include <vector>

namespace telemed {
namespace bench {

// Starts `binary` `runs` times, each on a new data dir under `work_dir` (which
// must exist) and a free port, and stops each with SIGTERM. Appends each
// run's start-up time in ms to *out_ms (a run that never answered within 10 s
// adds nothing). False when a run failed; the message is on stderr.
bool MeasureStartup(const std::string& binary, const std::string& work_dir,
                    int runs, std::vector<double>* out_ms);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_STARTUP_PROBE_H_
