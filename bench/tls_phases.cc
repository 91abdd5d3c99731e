// The TLS listener's phases of admin_bench: handshakes per second and the
// memory of idle connections (declared in admin_phases.h).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "admin_phases.h"
#include "latency_stats.h"
#include "proc_stat.h"
#include "support/process_stats.h"

namespace telemed {
namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

// A small asset: the request after each handshake costs little.
constexpr char kSmallPath[] = "/icon.svg";
// Under the daemon's 5 s keep-alive timeout.
constexpr auto kTouchEvery = std::chrono::seconds(2);

struct Rate {
  long count = 0;
  LatencyStats latency;
};

// `threads` threads GET kSmallPath for `seconds`: each on a new connection
// when `reconnect`, else on one kept-alive connection per thread.
bool RunRequests(const AdminTarget& target, int threads, int seconds,
                 bool reconnect, Rate* total) {
  const Clock::time_point end = Clock::now() + std::chrono::seconds(seconds);
  std::vector<Rate> rates(threads);
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto client = std::make_unique<AdminClient>(target);
      while (Clock::now() < end) {
        if (reconnect) client = std::make_unique<AdminClient>(target);
        const Clock::time_point start = Clock::now();
        httplib::Result res = client->Get(kSmallPath);
        if (!res || res->status != 200) {
          ++errors;
          continue;
        }
        rates[t].latency.Add(Clock::now() - start);
        ++rates[t].count;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const Rate& rate : rates) {
    total->count += rate.count;
    total->latency.Merge(rate.latency);
  }
  if (errors > 0) {
    std::fprintf(stderr, "admin_bench: %d requests failed\n", errors.load());
    return false;
  }
  return true;
}

void PrintRate(const std::string& measure, const Rate& rate, int seconds) {
  std::printf("| %s | %.0f/s, p50 / p99 %.2f / %.2f ms (%ld in %d s) |\n",
              measure.c_str(), static_cast<double>(rate.count) / seconds,
              rate.latency.PercentileMs(50), rate.latency.PercentileMs(99),
              rate.count, seconds);
}

struct Held {
  std::unique_ptr<AdminClient> client;
  Clock::time_point last_request;
};

// Sends a request on every held connection idle for kTouchEvery.
bool TouchIdle(std::vector<Held>* held) {
  for (Held& connection : *held) {
    if (Clock::now() - connection.last_request < kTouchEvery) continue;
    httplib::Result res = connection.client->Get(kSmallPath);
    if (!res || res->status != 200) return false;
    connection.last_request = Clock::now();
  }
  return true;
}

// Keeps the connections open for `duration`, touching them as needed.
bool HoldFor(std::vector<Held>* held, std::chrono::milliseconds duration) {
  const Clock::time_point end = Clock::now() + duration;
  while (Clock::now() < end) {
    if (!TouchIdle(held)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

void PrintRss(const std::string& measure, pid_t pid) {
  std::printf("| %s | %.1f MiB (%d descriptors open in the daemon) |\n",
              measure.c_str(), test::VmRssKib(pid) / 1024.0,
              OpenDescriptors(pid));
}

}  // namespace

int MeasureHandshakes(const AdminTarget& target, pid_t pid, int threads,
                      int seconds) {
  Rate fresh;
  const double cpu_before = CpuMs(pid);
  if (!RunRequests(target, threads, seconds, true, &fresh)) return 1;
  const double cpu_ms = CpuMs(pid) - cpu_before;
  PrintRate("New TLS connections (ECDSA P-256 handshake + `GET " +
                std::string(kSmallPath) + "`, then close), " +
                std::to_string(threads) + " client threads",
            fresh, seconds);
  if (cpu_before >= 0 && fresh.count > 0) {
    std::printf(
        "| Daemon CPU per new connection (user + system, /proc/PID/stat, "
        "over those %ld) | %.2f ms: at most %.0f handshakes/s per core |\n",
        fresh.count, cpu_ms / fresh.count, fresh.count * 1000 / cpu_ms);
  }
  Rate kept;
  if (!RunRequests(target, threads, seconds, false, &kept)) return 1;
  PrintRate("The same GET on kept-alive TLS connections (control), " +
                std::to_string(threads) + " client threads",
            kept, seconds);
  return 0;
}

int MeasureIdleConnections(const AdminTarget& target, pid_t pid,
                           const std::vector<int>& counts) {
  test::RaiseOpenFileLimit();
  std::vector<Held> held;
  for (int count : counts) {
    while (static_cast<int>(held.size()) < count) {
      held.push_back({std::make_unique<AdminClient>(target), Clock::now()});
      httplib::Result res = held.back().client->Get(kSmallPath);
      if (!res || res->status != 200 || !TouchIdle(&held)) {
        std::fprintf(stderr, "admin_bench: connection %zu failed\n",
                     held.size());
        return 1;
      }
    }
    // Quiet for 15 s with none open, as after closing them below: the
    // daemon gives a burst's memory back after 6 s without requests.
    const auto settle = std::chrono::milliseconds(count == 0 ? 15000 : 3000);
    if (!HoldFor(&held, settle)) {
      std::fprintf(stderr, "admin_bench: a held connection broke\n");
      return 1;
    }
    PrintRss("Daemon VmRSS with " + std::to_string(count) +
                 " idle TLS connections open",
             pid);
  }
  held.clear();
  std::this_thread::sleep_for(std::chrono::seconds(15));
  PrintRss("Daemon VmRSS 15 s after they were closed", pid);
  return 0;
}

}  // namespace bench
}  // namespace telemed
