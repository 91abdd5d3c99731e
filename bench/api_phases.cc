#include "api_phases.h"

#include <algorithm>
#include <cstdio>

#include "load_runner.h"

namespace telemed {
namespace bench {

namespace {

enum Kind { kPut = 0, kGet = 1, kKinds = 2 };

// 5 ms: the API's p99 target at 1,000 requests/s.
constexpr double kLatencyTargetMs = 5.0;
// GET throughput as a share of the bare server's (the target).
constexpr double kGetShareTarget = 0.5;

// SplitMix64: a cheap, well-mixed hash, so request i's choices depend only
// on (seed, i) and a run can be repeated exactly.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A topic number no earlier PUT used, so every PUT really writes: each run
// counts its serials from the wall clock in microseconds times 1,000.
uint64_t FreshTopicBase() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<uint64_t>(
             std::chrono::duration_cast<std::chrono::microseconds>(now)
                 .count()) *
         1000;
}

std::string AppointmentPath(uint64_t index) {
  return "/api/v1/appointments/" + AppointmentId(index);
}

bool IsSuccess(int status) { return status >= 200 && status < 300; }

void PrintRow(const std::string& measure, const std::string& result,
              const std::string& target, const std::string& verdict) {
  std::printf("| %s | %s | %s | %s |\n", measure.c_str(), result.c_str(),
              target.c_str(), verdict.c_str());
  std::fflush(stdout);
}

std::string Format(const char* format, double a, double b = 0) {
  char text[64];
  std::snprintf(text, sizeof(text), format, a, b);
  return text;
}

std::string Verdict(bool met) { return met ? "met" : "**missed**"; }

// "p50 / p99 ms, N ok"
std::string DescribeLatency(const LatencyStats& stats) {
  return Format("%.2f / %.2f ms", stats.PercentileMs(50),
                stats.PercentileMs(99)) +
         ", " + std::to_string(stats.count()) + " ok";
}

// "p50 / p99 ms, N ok, E errors"
std::string Describe(const LatencyStats& stats, uint64_t errors) {
  return DescribeLatency(stats) + ", " + std::to_string(errors) + " errors";
}

RequestFn MixedRequest(const PhaseOptions& options, double put_share) {
  const uint64_t base = FreshTopicBase();
  const uint64_t put_threshold = static_cast<uint64_t>(put_share * 1'000'000);
  return [&options, base, put_threshold](BenchClient* client, uint64_t serial) {
    uint64_t hash = Mix(options.seed ^ Mix(serial));
    uint64_t index = (hash >> 20) % kRecords;
    if (hash % 1'000'000 < put_threshold) {
      int status = client->PutAppointment(AppointmentId(index),
                                          options.doctor_id, base + serial);
      return Sent{kPut, IsSuccess(status)};
    }
    return Sent{kGet, IsSuccess(client->Get(AppointmentPath(index)))};
  };
}

LoadPlan MakePlan(const PhaseOptions& options, const Endpoint& endpoint,
                  int connections) {
  LoadPlan plan;
  plan.endpoint = endpoint;
  plan.connections = connections;
  plan.warmup = options.warmup;
  plan.measure = options.measure;
  plan.kinds = kKinds;
  return plan;
}

// The start of a latency row's name: the load and `label`.
std::string LatencyLoad(const LatencyPlan& latency) {
  return Format("%.0f req/s, %.0f%% PUT", latency.rate,
                latency.put_share * 100) +
         ", " + std::to_string(latency.connections) + " connections" +
         (latency.label.empty() ? "" : ", " + latency.label);
}

// "p50 / p99 ms, N ok, E errors, max M ms, achieved R/s[, U unsent]"
std::string DescribeRun(const LoadResult& r) {
  return Describe(r.all, r.errors) +
         Format(", max %.2f ms, achieved %.0f/s", r.all.MaxMs(),
                r.Throughput()) +
         (r.unsent > 0 ? ", " + std::to_string(r.unsent) + " unsent" : "");
}

// The p99 of a run that lost nothing; a huge value otherwise.
double CleanP99(const LoadResult& r) {
  return r.errors == 0 && r.unsent == 0 ? r.all.PercentileMs(99) : 1e9;
}

// One open-loop latency run of the daemon; prints its rows and returns
// CleanP99.
double RunLatencyOnce(const PhaseOptions& options, const LatencyPlan& latency,
                      int run) {
  LoadPlan plan = MakePlan(options, options.daemon, latency.connections);
  plan.rate_per_s = latency.rate;
  LoadResult r = RunOpenLoop(plan, MixedRequest(options, latency.put_share));
  std::string name = "Latency at " + LatencyLoad(latency) + ", run " +
                     std::to_string(run) + ": p50 / p99";
  double p99 = CleanP99(r);
  PrintRow(name + " (all)", DescribeRun(r), latency.judged ? "p99 < 5 ms" : "",
           latency.judged ? Verdict(p99 < kLatencyTargetMs) : "");
  PrintRow(name + " (PUT only)", DescribeLatency(r.by_kind[kPut]), "", "");
  PrintRow(name + " (GET only)", DescribeLatency(r.by_kind[kGet]), "", "");
  return p99;
}

// The same open loop against the bare server (GET / only), right after a
// daemon run: what the machine alone does to the tail at that moment.
double RunBareLatencyOnce(const PhaseOptions& options,
                          const LatencyPlan& latency, int run) {
  LoadPlan plan =
      MakePlan(options, Endpoint{latency.bare_port, ""}, latency.connections);
  plan.rate_per_s = latency.rate;
  LoadResult r = RunOpenLoop(plan, [](BenchClient* client, uint64_t) {
    return Sent{kGet, IsSuccess(client->Get("/"))};
  });
  PrintRow("Same load on the bare cpp-httplib server (GET / only, " +
               Format("%.0f req/s, ", latency.rate) +
               std::to_string(latency.connections) +
               " connections), right after run " + std::to_string(run) +
               ": p50 / p99",
           DescribeRun(r), "", "");
  return CleanP99(r);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];  // the upper one of an even count
}

struct Throughput {
  double per_s = 0;
  uint64_t errors = 0;
};

// Successful GETs/s of one closed-loop run on `endpoint`: random benchmark
// appointments from the daemon, GET / from the bare server.
Throughput ClosedLoopGets(const PhaseOptions& options, const Endpoint& endpoint,
                          int connections, bool bare) {
  LoadPlan plan = MakePlan(options, endpoint, connections);
  const uint64_t seed = options.seed;
  LoadResult r =
      RunClosedLoop(plan, [bare, seed](BenchClient* client, uint64_t serial) {
        std::string path =
            bare ? "/" : AppointmentPath(Mix(seed ^ serial) % kRecords);
        return Sent{kGet, IsSuccess(client->Get(path))};
      });
  return Throughput{r.Throughput(), r.errors};
}

}  // namespace

bool Populate(const PhaseOptions& options) {
  BenchClient client(options.daemon);
  const uint64_t base = FreshTopicBase();
  for (uint64_t i = 0; i < kRecords; ++i) {
    int status =
        client.PutAppointment(AppointmentId(i), options.doctor_id, base + i);
    if (!IsSuccess(status)) {
      std::fprintf(stderr, "api_bench: PUT %s answered %d\n",
                   AppointmentId(i).c_str(), status);
      return false;
    }
  }
  // Measure the steady state: the sync engine first settles what these
  // PUTs set off (without a Zoom app: one "failed" write each).
  if (!client.WaitForQuietFeed(120)) {
    std::fprintf(stderr, "api_bench: the feed did not go quiet\n");
    return false;
  }
  return true;
}

bool MeasureLatency(const PhaseOptions& options, const LatencyPlan& latency) {
  if (latency.runs < 1) {
    std::fprintf(stderr, "api_bench: --runs must be at least 1\n");
    return false;
  }
  std::vector<double> p99s, bare_p99s;
  for (int run = 1; run <= latency.runs; ++run) {
    p99s.push_back(RunLatencyOnce(options, latency, run));
    if (latency.bare_port > 0) {
      bare_p99s.push_back(RunBareLatencyOnce(options, latency, run));
    }
  }
  const double median = Median(p99s);
  size_t met = 0;
  for (double p99 : p99s) met += p99 < kLatencyTargetMs ? 1 : 0;
  std::string result =
      median >= 1e9
          ? "errors or unsent requests"
          : Format("%.2f ms", median) + " (" + std::to_string(met) + " of " +
                std::to_string(p99s.size()) + " runs under 5 ms)";
  if (!bare_p99s.empty()) {
    result += Format("; bare server in between: median p99 %.2f ms",
                     Median(bare_p99s));
  }
  PrintRow("**Latency p99**, " + LatencyLoad(latency) + " (median of " +
               std::to_string(p99s.size()) + " runs)",
           result, latency.judged ? "< 5 ms" : "",
           latency.judged ? Verdict(median < kLatencyTargetMs) : "");
  return true;
}

void MeasureMaxPuts(const PhaseOptions& options,
                    const std::vector<int>& connection_counts) {
  double best = 0;
  for (int connections : connection_counts) {
    LoadPlan plan = MakePlan(options, options.daemon, connections);
    LoadResult r = RunClosedLoop(plan, MixedRequest(options, 1.0));
    best = std::max(best, r.errors == 0 ? r.Throughput() : 0.0);
    PrintRow("PUT/s, closed loop, " + std::to_string(connections) +
                 " connections: rate, p50 / p99",
             Format("%.0f/s, ", r.Throughput()) + Describe(r.all, r.errors), "",
             "");
  }
  PrintRow("**Maximum sustained PUT/s**", Format("%.0f/s", best),
           "none (WAL+FULL: ~1,900 commits/s here; group commit shares them)",
           "");
}

void CompareGets(const PhaseOptions& options, int bare_port, int connections,
                 int rounds) {
  const Endpoint bare{bare_port, ""};
  Throughput daemon_total, bare_total;
  for (int round = 0; round < rounds; ++round) {
    Throughput d = ClosedLoopGets(options, options.daemon, connections, false);
    Throughput b = ClosedLoopGets(options, bare, connections, true);
    daemon_total.per_s += d.per_s / rounds;
    daemon_total.errors += d.errors;
    bare_total.per_s += b.per_s / rounds;
    bare_total.errors += b.errors;
  }
  std::string conns = std::to_string(connections) + " connections, mean of " +
                      std::to_string(rounds) + " alternating runs";
  PrintRow("GET/s daemon (GET /api/v1/appointments/{id}), " + conns,
           Format("%.0f/s, ", daemon_total.per_s) +
               std::to_string(daemon_total.errors) + " errors",
           "", "");
  PrintRow("GET/s bare cpp-httplib server (fixed 300-byte JSON), " + conns,
           Format("%.0f/s, ", bare_total.per_s) +
               std::to_string(bare_total.errors) + " errors",
           "", "");
  double share =
      bare_total.per_s > 0 ? daemon_total.per_s / bare_total.per_s : 0;
  PrintRow("**GET throughput, daemon / bare**", Format("%.2f", share), ">= 0.5",
           Verdict(share >= kGetShareTarget && daemon_total.errors == 0));
}

}  // namespace bench
}  // namespace telemed
