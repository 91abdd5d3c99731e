// What admin_bench reads about the daemon from /proc, beside VmRSS
// (tests/support/process_stats.h): its CPU time and its open descriptors.
#ifndef TELEMED_BENCH_PROC_STAT_H_
#define TELEMED_BENCH_PROC_STAT_H_

#include <sys/types.h>

namespace telemed {
namespace bench {

// User plus system CPU time of process `pid` so far, in ms (at the
// kernel's clock-tick resolution, 10 ms); -1 when it cannot be read.
double CpuMs(pid_t pid);

// The descriptors process `pid` has open; -1 when they cannot be listed.
int OpenDescriptors(pid_t pid);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_PROC_STAT_H_
