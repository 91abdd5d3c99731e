// sync_bench: the Zoom sync benchmarks behind bench/run_sync.sh.
// It serves the fake Zoom over HTTPS in-process and drives the real
// telemed-bridge binary it was built with as a separate `serve` process.
//
//   sync_bench latency [--samples 200] [--warmup 3] [--zoom-latency-ms 50]
//   sync_bench backlog [--backlog 2000] [--doctors 40] [--history 8000]
//                      [--rss-settle-s 5] [--zoom-latency-ms 50]
//   sync_bench all     (both, with any of the flags above)
//
// Rows of a Markdown table go to stdout. Everything talks to 127.0.0.1
// only, uses temp dirs and stops by itself.
#include <cstdio>
#include <string>

#include "flags.h"
#include "sync_phases.h"

namespace telemed {
namespace bench {
namespace {

constexpr int kExitUsage = 2;

SyncBenchOptions ReadOptions(const std::string& command, Flags* flags) {
  SyncBenchOptions options;
  options.zoom_latency_ms =
      flags->GetInt("zoom-latency-ms", options.zoom_latency_ms);
  if (command != "backlog") {
    options.samples = flags->GetInt("samples", options.samples);
    options.warmup = flags->GetInt("warmup", options.warmup);
  }
  if (command != "latency") {
    options.backlog = flags->GetInt("backlog", options.backlog);
    options.doctors = flags->GetInt("doctors", options.doctors);
    options.history = flags->GetInt("history", options.history);
    options.rss_settle_s = flags->GetInt("rss-settle-s", options.rss_settle_s);
  }
  return options;
}

int Dispatch(const std::string& command, Flags* flags) {
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
                                    "latency|backlog|all",
                                    telemed::bench::Dispatch);
}
