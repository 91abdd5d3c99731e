// Machine probes: what the host itself adds to the daemon's latency tail,
// measured in the same benchmark run so that a missed p99 can be told apart
// from the daemon's own cost.
//
// DiskSyncProbe: 4 KiB writes, each followed by fdatasync, at a fixed rate
// in a scratch file on the filesystem under test: the floor under every
// acknowledged PUT (WAL + synchronous=FULL syncs once per commit).
// SchedulerProbe: 1 ms sleeps on an idle machine: how late the kernel (and a
// virtual machine's host) wakes a thread that is ready to run.
#ifndef TELEMED_BENCH_MACHINE_PROBES_H_
#define TELEMED_BENCH_MACHINE_PROBES_H_

#include <string>

namespace telemed {
namespace bench {

// Prints one table row; false when the file cannot be written.
bool DiskSyncProbe(const std::string& dir, int count, double rate_per_s);
// Prints one table row.
void SchedulerProbe(int seconds);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_MACHINE_PROBES_H_
