// What tests and benchmarks read or set about a process: the resident
// memory of the daemon they drive, and their own open-file limit (a test
// that holds a thousand connections needs a descriptor for each). Plain
// libc and /proc, so benchmarks that link nothing else may use it.
#ifndef TELEMED_TESTS_SUPPORT_PROCESS_STATS_H_
#define TELEMED_TESTS_SUPPORT_PROCESS_STATS_H_

#include <sys/types.h>

namespace telemed {
namespace test {

// VmRSS of process `pid` in KiB, from /proc; 0 when it cannot be read.
long VmRssKib(pid_t pid);

// Raises this process's soft RLIMIT_NOFILE to its hard limit.
void RaiseOpenFileLimit();

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_PROCESS_STATS_H_
