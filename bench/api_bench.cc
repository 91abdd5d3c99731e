// api_bench: the load generator and helpers behind bench/run.sh.
//
//   api_bench populate    --port P --key K --doctor D
//   api_bench latency     --port P --key K --doctor D [--rate 1000]
//                         [--connections 8] [--put-share 0.5] [--runs 5]
//                         [--label TEXT] [--judged 1] [--bare-port B]
//   api_bench put-max     --port P --key K --doctor D [--connections-list
//   4,16,64] api_bench get-compare --port P --key K --doctor D --bare-port B
//                         [--connections 16] [--rounds 2]
//   api_bench conn-load   --port P --key K [--pid PID] [--idle 200]
//                         [--slow 200] [--parked 100] [--rate 200]
//                         [--burst 1000]
//   api_bench bare-server [--threads 64] [--seconds 300]
//   api_bench startup     --binary PATH --work-dir DIR [--runs 5]
//   api_bench free-port
//   api_bench disk-probe  --dir DIR [--count 20000] [--rate 1000]
//   api_bench scheduler-probe [--seconds 10]
//
// Load phases also take --warmup-ms, --measure-ms and --seed. Everything
// talks to 127.0.0.1 only and stops by itself.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "api_phases.h"
#include "bare_server.h"
#include "conn_load.h"
#include "flags.h"
#include "machine_probes.h"
#include "startup_probe.h"

namespace telemed {
namespace bench {
namespace {

constexpr int kExitUsage = 2;

PhaseOptions ReadPhaseOptions(Flags* flags) {
  PhaseOptions options;
  options.daemon.port = flags->GetInt("port", 0);
  options.daemon.api_key = flags->GetString("key", "");
  options.doctor_id = flags->GetString("doctor", "d1");
  options.warmup = std::chrono::milliseconds(flags->GetInt("warmup-ms", 2000));
  options.measure =
      std::chrono::milliseconds(flags->GetInt("measure-ms", 10000));
  options.seed = static_cast<uint64_t>(flags->GetInt("seed", 1));
  return options;
}

int RunStartup(Flags* flags) {
  std::string binary = flags->GetString("binary", "");
  std::string work_dir = flags->GetString("work-dir", "");
  int runs = flags->GetInt("runs", 5);
  std::vector<double> ms;
  if (!MeasureStartup(binary, work_dir, runs, &ms)) return 1;
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  std::string all;
  for (double value : ms) {
    char text[32];
    std::snprintf(text, sizeof(text), "%s%.1f", all.empty() ? "" : ", ", value);
    all += text;
  }
  std::printf(
      "| **Start-up to first 200 on /api/v1/health** (empty data dir, median "
      "of %d) | %.1f ms (runs: %s ms) | well under 100 ms | %s |\n",
      runs, sorted[sorted.size() / 2], all.c_str(),
      sorted[sorted.size() / 2] < 100 ? "met" : "**missed**");
  return 0;
}

// Runs one load phase; false for an unknown command.
bool RunPhase(const std::string& command, Flags* flags, int* exit_code) {
  PhaseOptions options = ReadPhaseOptions(flags);
  *exit_code = 0;
  if (command == "populate") {
    *exit_code = Populate(options) ? 0 : 1;
  } else if (command == "latency") {
    LatencyPlan latency;
    latency.rate = flags->GetDouble("rate", 1000);
    latency.connections = flags->GetInt("connections", 8);
    latency.put_share = flags->GetDouble("put-share", 0.5);
    latency.runs = flags->GetInt("runs", 5);
    latency.label = flags->GetString("label", "");
    latency.judged = flags->GetInt("judged", 1) != 0;
    latency.bare_port = flags->GetInt("bare-port", 0);
    *exit_code = MeasureLatency(options, latency) ? 0 : kExitUsage;
  } else if (command == "put-max") {
    MeasureMaxPuts(options, flags->GetIntList("connections-list", "4,16,64"));
  } else if (command == "conn-load") {
    ConnLoadPlan plan;
    plan.idle = flags->GetInt("idle", plan.idle);
    plan.slow = flags->GetInt("slow", plan.slow);
    plan.parked = flags->GetInt("parked", plan.parked);
    plan.rate = flags->GetDouble("rate", plan.rate);
    plan.burst = flags->GetInt("burst", plan.burst);
    plan.daemon_pid = flags->GetInt("pid", 0);
    MeasureConnectionLoad(options, plan);
  } else if (command == "get-compare") {
    CompareGets(options, flags->GetInt("bare-port", 0),
                flags->GetInt("connections", 16), flags->GetInt("rounds", 2));
  } else {
    return false;
  }
  return true;
}

int Dispatch(const std::string& command, Flags* flags) {
  if (command == "bare-server") {
    return RunBareServer(flags->GetInt("threads", 64),
                         flags->GetInt("seconds", 300));
  }
  if (command == "startup") return RunStartup(flags);
  if (command == "disk-probe") {
    return DiskSyncProbe(flags->GetString("dir", "."),
                         flags->GetInt("count", 20000),
                         flags->GetDouble("rate", 1000))
               ? 0
               : 1;
  }
  if (command == "scheduler-probe") {
    SchedulerProbe(flags->GetInt("seconds", 10));
    return 0;
  }
  if (command == "free-port") {
    std::printf("%d\n", FindFreePort());
    return 0;
  }
  int exit_code = 0;
  if (RunPhase(command, flags, &exit_code)) return exit_code;
  std::fprintf(stderr, "api_bench: unknown command '%s'\n", command.c_str());
  return kExitUsage;
}

}  // namespace
}  // namespace bench
}  // namespace telemed

int main(int argc, char** argv) {
  return telemed::bench::RunCommand(
      argc, argv, "api_bench",
      "populate|latency|put-max|get-compare|bare-server|startup|free-port|"
      "disk-probe|scheduler-probe",
      telemed::bench::Dispatch);
}
