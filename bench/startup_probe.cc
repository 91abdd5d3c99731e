#include "startup_probe.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "bench_client.h"

extern char** environ;

namespace telemed {
namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartDeadline(10);
// How often the probe asks; bounds the measurement error.
constexpr std::chrono::microseconds kPollInterval(500);

// Spawns `binary serve` with stdout and stderr to /dev/null; -1 on failure.
pid_t SpawnDaemon(const std::string& binary, const std::string& data_dir,
                  int port) {
  std::string listen = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {binary,   "serve",    "--data-dir",
                                   data_dir, "--listen", listen};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(),
                       environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Polls GET /api/v1/health until 200; false after kStartDeadline or when the
// daemon exited.
bool WaitForHealth(pid_t pid, int port) {
  Clock::time_point give_up = Clock::now() + kStartDeadline;
  while (Clock::now() < give_up) {
    // A new client each time: a refused connect must not poison the next try.
    BenchClient client(Endpoint{port, ""});
    if (client.Get("/api/v1/health") == 200) return true;
    if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

void Stop(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

bool MeasureOnce(const std::string& binary, const std::string& data_dir,
                 std::vector<double>* out_ms) {
  int port = FindFreePort();
  Clock::time_point begin = Clock::now();
  pid_t pid = SpawnDaemon(binary, data_dir, port);
  if (pid < 0) {
    std::fprintf(stderr, "api_bench: cannot start %s\n", binary.c_str());
    return false;
  }
  bool healthy = WaitForHealth(pid, port);
  Clock::time_point ready = Clock::now();
  Stop(pid);
  if (!healthy) {
    std::fprintf(stderr, "api_bench: the daemon did not answer within %llds\n",
                 static_cast<long long>(kStartDeadline.count()));
    return false;
  }
  out_ms->push_back(
      std::chrono::duration<double, std::milli>(ready - begin).count());
  return true;
}

}  // namespace

bool MeasureStartup(const std::string& binary, const std::string& work_dir,
                    int runs, std::vector<double>* out_ms) {
  for (int run = 0; run < runs; ++run) {
    std::string data_dir = work_dir + "/startup-" + std::to_string(run);
    if (!MeasureOnce(binary, data_dir, out_ms)) return false;
  }
  return true;
}

}  // namespace bench
}  // namespace telemed
