#include "machine_probes.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "latency_stats.h"

namespace telemed {
namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

// The latency row's target: samples above it each stall a request.
constexpr double kSlowMs = 5.0;

// Blocks reused round-robin, as SQLite reuses its WAL after a checkpoint.
constexpr int kBlocks = 1000;
constexpr size_t kBlockBytes = 4096;

size_t CountAbove(const std::vector<double>& ms, double limit) {
  size_t count = 0;
  for (double value : ms) count += value > limit ? 1 : 0;
  return count;
}

void PrintProbeRow(const char* measure, const LatencyStats& stats,
                   const std::vector<double>& ms) {
  std::printf(
      "| %s | p50 %.2f / p99 %.2f / p99.9 %.2f / max %.2f ms; %zu of %zu "
      "over 5 ms, %zu over 20 ms |  |  |\n",
      measure, stats.PercentileMs(50), stats.PercentileMs(99),
      stats.PercentileMs(99.9), stats.MaxMs(), CountAbove(ms, kSlowMs),
      ms.size(), CountAbove(ms, 20.0));
  std::fflush(stdout);
}

}  // namespace

bool DiskSyncProbe(const std::string& dir, int count, double rate_per_s) {
  const std::string path = dir + "/disk-probe.tmp";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::fprintf(stderr, "api_bench: %s: %s\n", path.c_str(),
                 std::strerror(errno));
    return false;
  }
  std::vector<char> block(kBlockBytes, 'x');
  LatencyStats stats;
  std::vector<double> ms;
  const auto interval =
      std::chrono::nanoseconds(static_cast<int64_t>(1e9 / rate_per_s));
  auto due = Clock::now();
  bool ok = true;
  for (int i = 0; i < count && ok; ++i) {
    std::this_thread::sleep_until(due);
    due += interval;
    auto begin = Clock::now();
    off_t offset = static_cast<off_t>(i % kBlocks) * kBlockBytes;
    ok = pwrite(fd, block.data(), block.size(), offset) ==
             static_cast<ssize_t>(block.size()) &&
         fdatasync(fd) == 0;
    auto took = Clock::now() - begin;
    stats.Add(took);
    ms.push_back(std::chrono::duration<double, std::milli>(took).count());
  }
  close(fd);
  unlink(path.c_str());
  if (!ok) {
    std::fprintf(stderr, "api_bench: writing %s failed\n", path.c_str());
    return false;
  }
  char measure[160];
  std::snprintf(measure, sizeof(measure),
                "Disk probe: 4 KiB write + fdatasync on the data dir's "
                "filesystem, %d at %.0f/s",
                count, rate_per_s);
  PrintProbeRow(measure, stats, ms);
  return true;
}

void SchedulerProbe(int seconds) {
  const auto sleep = std::chrono::milliseconds(1);
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  LatencyStats stats;
  std::vector<double> ms;
  while (Clock::now() < end) {
    auto begin = Clock::now();
    std::this_thread::sleep_for(sleep);
    auto late = Clock::now() - begin - sleep;
    stats.Add(late);
    ms.push_back(std::chrono::duration<double, std::milli>(late).count());
  }
  char measure[160];
  std::snprintf(measure, sizeof(measure),
                "Scheduler probe: lateness of 1 ms sleeps on the idle machine, "
                "%d s",
                seconds);
  PrintProbeRow(measure, stats, ms);
}

}  // namespace bench
}  // namespace telemed
