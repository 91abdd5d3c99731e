#include "conn_load.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_client.h"
#include "load_runner.h"
#include "support/process_stats.h"

namespace telemed {
namespace bench {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr double kP99TargetMs = 1000;
constexpr long kRssTargetKib = 64 * 1024;
constexpr char kSlowStart[] = "GET /api/v1/health HTTP/1.1\r\nX-Slow: ";

// One plain TCP connection to 127.0.0.1 that sends raw bytes.
class RawSocket {
 public:
  explicit RawSocket(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&address),
                            sizeof(address)) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawSocket() {
    if (fd_ >= 0) close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool Send(const std::string& bytes) {
    return fd_ >= 0 && send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
                           static_cast<ssize_t>(bytes.size());
  }
  // Whether the daemon answered or closed (without waiting).
  bool Answered() const {
    pollfd pfd{fd_, POLLIN, 0};
    return fd_ < 0 || poll(&pfd, 1, 0) != 0;
  }
  // The status of the answer, read until its head ends; 0 when none came
  // by `deadline`.
  int ReadStatus(Clock::time_point deadline) {
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
      int left = static_cast<int>(
          std::chrono::duration_cast<milliseconds>(deadline - Clock::now())
              .count());
      pollfd pfd{fd_, POLLIN, 0};
      if (fd_ < 0 || left <= 0 || poll(&pfd, 1, left) <= 0) return 0;
      char chunk[4096];
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return 0;
      head.append(chunk, static_cast<size_t>(n));
    }
    return head.size() > 12 ? std::atoi(head.c_str() + 9) : 0;
  }

 private:
  int fd_ = -1;
};

using Sockets = std::vector<std::unique_ptr<RawSocket>>;

// The feed's end, so long-polls from it wait for what comes next.
std::string FeedEnd(const PhaseOptions& options) {
  BenchClient client(options.daemon);
  std::string cursor = "0";
  for (int page = 0; page < 100; ++page) {
    std::string body;
    client.Get("/api/v1/appointments?limit=500&since=" + cursor, &body);
    std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(body.c_str()),
                                                  cJSON_Delete);
    const cJSON* items = cJSON_GetObjectItemCaseSensitive(root.get(), "items");
    const cJSON* next =
        cJSON_GetObjectItemCaseSensitive(root.get(), "next_cursor");
    if (!cJSON_IsString(next)) break;
    cursor = next->valuestring;
    if (cJSON_GetArraySize(items) == 0) break;
  }
  return cursor;
}

// Keeps the idle and slow connections waiting: a byte a second on each
// slow one, and a fresh connection for each the daemon answered or closed.
void KeepWaiting(int port, Sockets* idle, Sockets* slow,
                 const std::atomic<bool>* done, std::atomic<int>* reopened) {
  while (!*done) {
    for (auto& conn : *idle) {
      if (!conn->Answered()) continue;
      conn = std::make_unique<RawSocket>(port);
      ++*reopened;
    }
    for (auto& conn : *slow) {
      if (conn->Answered() || !conn->Send("a")) {
        conn = std::make_unique<RawSocket>(port);
        conn->Send(kSlowStart);
        ++*reopened;
      }
    }
    for (int i = 0; i < 10 && !*done; ++i) {
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
}

void PrintRow(const std::string& measure, const std::string& result,
              const std::string& target, const std::string& verdict) {
  std::printf("| %s | %s | %s | %s |\n", measure.c_str(), result.c_str(),
              target.c_str(), verdict.c_str());
  std::fflush(stdout);
}

std::string Fixed(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

void MeasureBurst(const PhaseOptions& options, int count) {
  Sockets conns;
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    conns.push_back(std::make_unique<RawSocket>(options.daemon.port));
    conns.back()->Send("GET /api/v1/health HTTP/1.1\r\nHost: b\r\n\r\n");
  }
  const auto deadline = start + std::chrono::seconds(30);
  int ok = 0, busy = 0, none = 0;
  for (auto& conn : conns) {
    int status = conn->ReadStatus(deadline);
    ok += status == 200;
    busy += status == 503;
    none += status != 200 && status != 503;
  }
  double ms =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  PrintRow(std::to_string(count) +
               " connections opened at once, each GET /api/v1/health: all "
               "answered after",
           Fixed("%.0f ms", ms) + " (" + std::to_string(ok) + " 200, " +
               std::to_string(busy) + " 503 + Retry-After, " +
               std::to_string(none) + " unanswered)",
           "each answered or 503 within a few s",
           none == 0 && ms < 5000 ? "met" : "**missed**");
}

}  // namespace

void MeasureConnectionLoad(const PhaseOptions& options,
                           const ConnLoadPlan& plan) {
  test::RaiseOpenFileLimit();
  const int port = options.daemon.port;
  const std::string cursor = FeedEnd(options);
  Sockets idle, slow, parked;
  for (int i = 0; i < plan.idle; ++i) {
    idle.push_back(std::make_unique<RawSocket>(port));
  }
  for (int i = 0; i < plan.slow; ++i) {
    slow.push_back(std::make_unique<RawSocket>(port));
    slow.back()->Send(kSlowStart);
  }
  const std::string poll = "GET /api/v1/appointments?wait=60&since=" + cursor +
                           " HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer " +
                           options.daemon.api_key + "\r\n\r\n";
  for (int i = 0; i < plan.parked; ++i) {
    parked.push_back(std::make_unique<RawSocket>(port));
    parked.back()->Send(poll);
  }
  std::atomic<bool> done{false};
  std::atomic<int> reopened{0};
  std::thread keeper(KeepWaiting, port, &idle, &slow, &done, &reopened);

  LoadPlan load;
  load.endpoint = options.daemon;
  load.connections = 4;
  load.warmup = options.warmup;
  load.measure = options.measure;
  load.kinds = 1;
  load.rate_per_s = plan.rate;
  LoadResult r = RunOpenLoop(load, [](BenchClient* client, uint64_t serial) {
    std::string path = serial % 2 == 0 ? "/api/v1/health"
                                       : "/api/v1/appointments/" +
                                             AppointmentId(serial % kRecords);
    int status = client->Get(path);
    return Sent{0, status == 200};
  });
  long rss = plan.daemon_pid > 0 ? test::VmRssKib(plan.daemon_pid) : 0;
  int still_parked = 0;
  for (auto& conn : parked) still_parked += conn->Answered() ? 0 : 1;
  done = true;
  keeper.join();

  const double p99 =
      r.errors == 0 && r.unsent == 0 ? r.all.PercentileMs(99) : 1e9;
  const std::string load_text =
      std::to_string(plan.idle) + " idle, " + std::to_string(plan.slow) +
      " slow-header connections and " + std::to_string(plan.parked) +
      " parked long-polls held; " + Fixed("%.0f", plan.rate) +
      " short GETs/s on 4 connections";
  PrintRow("**Short requests among waiting connections** (" + load_text +
               "): p50 / p99",
           Fixed("%.2f", r.all.PercentileMs(50)) + " / " +
               Fixed("%.2f ms", r.all.PercentileMs(99)) + ", max " +
               Fixed("%.1f ms", r.all.MaxMs()) + ", " +
               std::to_string(r.all.count()) + " ok, " +
               std::to_string(r.errors) + " errors; " +
               std::to_string(still_parked) + " long-polls still parked, " +
               std::to_string(reopened.load()) +
               " waiting connections re-opened",
           "p99 < 1 s", p99 < kP99TargetMs ? "met" : "**missed**");
  if (plan.daemon_pid > 0) {
    PrintRow("**VmRSS under that load**",
             Fixed("%.1f MiB", static_cast<double>(rss) / 1024), "< 64 MiB",
             rss < kRssTargetKib ? "met" : "**missed**");
  }
  idle.clear();
  slow.clear();
  parked.clear();
  if (plan.burst > 0) MeasureBurst(options, plan.burst);
}

}  // namespace bench
}  // namespace telemed
