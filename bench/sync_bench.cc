// sync_bench: the Zoom sync benchmarks behind bench/run_sync.sh.
// It serves the fake Zoom over HTTPS in-process and drives the real
// telemed-bridge binary it was built with as a separate `serve` process.
//
//   sync_bench latency [--samples 200] [--warmup 3] [--zoom-latency-ms 50]
//   sync_bench backlog [--backlog 2000] [--doctors 40] [--history 8000]
//                      [--rss-settle-s 5] [--zoom-latency-ms 50]
//   sync_bench scenario --scenario NAME (see sync_phases.h) [--doctors 4]
//                       [--samples 20] [--warmup 3] [--pause-ms 0]
//                       [--fsync-delay-ms 0] [--zoom-latency-ms 50]
//     --fsync-delay-ms N: the daemon's every fsync/fdatasync waits N ms
//     first (libslow_fsync.so, built beside sync_bench, is preloaded), as
//     on a box with a slow disk
//   sync_bench all     (latency and backlog, with any of the flags above)
//
// Rows of a Markdown table go to stdout. Everything talks to 127.0.0.1
// only, uses temp dirs and stops by itself.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "flags.h"
#include "sync_phases.h"

namespace telemed {
namespace bench {
namespace {

constexpr int kExitUsage = 2;

// Makes the processes this one starts (the daemon, the CLI) preload
// libslow_fsync.so from sync_bench's own directory.
bool PreloadSlowFsync(int delay_ms) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) {
    std::fprintf(stderr, "sync_bench: cannot find my own binary\n");
    return false;
  }
  std::string dir(self, static_cast<size_t>(n));
  dir.resize(dir.find_last_of('/'));
  const std::string shim = dir + "/libslow_fsync.so";
  if (access(shim.c_str(), R_OK) != 0) {
    std::fprintf(stderr, "sync_bench: %s is missing\n", shim.c_str());
    return false;
  }
  setenv("LD_PRELOAD", shim.c_str(), 1);
  setenv("SLOW_FSYNC_DELAY_US", std::to_string(delay_ms * 1000).c_str(), 1);
  return true;
}

SyncBenchOptions ReadOptions(const std::string& command, Flags* flags) {
  SyncBenchOptions options;
  options.zoom_latency_ms =
      flags->GetInt("zoom-latency-ms", options.zoom_latency_ms);
  if (command == "scenario") {
    options.samples = 20;
    options.pause_ms = flags->GetInt("pause-ms", options.pause_ms);
    options.latency_doctors = flags->GetInt("doctors", options.latency_doctors);
  }
  if (command != "backlog") {
    options.samples = flags->GetInt("samples", options.samples);
    options.warmup = flags->GetInt("warmup", options.warmup);
  }
  if (command != "latency" && command != "scenario") {
    options.backlog = flags->GetInt("backlog", options.backlog);
    options.doctors = flags->GetInt("doctors", options.doctors);
    options.history = flags->GetInt("history", options.history);
    options.rss_settle_s = flags->GetInt("rss-settle-s", options.rss_settle_s);
  }
  return options;
}

int Dispatch(const std::string& command, Flags* flags) {
  if (command == "scenario") {
    const std::string scenario = flags->GetString("scenario", "plain");
    const int fsync_delay_ms = flags->GetInt("fsync-delay-ms", 0);
    if (fsync_delay_ms > 0 && !PreloadSlowFsync(fsync_delay_ms)) return 1;
    return MeasureClientScenario(ReadOptions(command, flags), scenario) ? 0 : 1;
  }
  if (command != "latency" && command != "backlog" && command != "all") {
    std::fprintf(stderr, "sync_bench: unknown command '%s'\n", command.c_str());
    return kExitUsage;
  }
  SyncBenchOptions options = ReadOptions(command, flags);
  bool ok = true;
  if (command != "backlog") ok = MeasureJoinLatency(options);
  if (ok && command != "latency") ok = MeasureBacklogAndMemory(options);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace bench
}  // namespace telemed

int main(int argc, char** argv) {
  return telemed::bench::RunCommand(argc, argv, "sync_bench",
                                    "latency|backlog|scenario|all",
                                    telemed::bench::Dispatch);
}
