// Watchdog: feeds systemd's watchdog (WatchdogSec=) only while the bridge
// is actually alive, so that a wedged bridge gets restarted. Alive means
// both of:
//   - the API answers: a request to its own listener (GET /api/v1/health)
//     goes through the accept thread, the connection loop and a worker and
//     comes back 200 (service/api_probe.h);
//   - the sync runner turns: its loop (sync/sync_runner.h) wakes at least
//     every few seconds even when idle, so a count it moves each turn that
//     stood still for kRunnerStale means a runner stuck in a step.
// Once the daemon is stopping the checks no longer apply (the API and the
// runner are being stopped on purpose; the shutdown deadline bounds the
// rest), and every tick pings.
//
// Tick() runs on a PeriodicTask (service/housekeeping.h) a few times per
// watchdog interval, so that one late or withheld ping alone never gets
// the bridge killed; only a problem that lasts does.
#ifndef TELEMED_SERVICE_WATCHDOG_H_
#define TELEMED_SERVICE_WATCHDOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace telemed {

class Clock;
class Logger;
class Notifier;

class Watchdog final {
 public:
  // How long the runner's count may stand still: four of its idle polls
  // (SyncRunner::kForeignWritePoll, 5 s), so a slow step on an SD card is
  // not taken for a wedged runner.
  static constexpr std::chrono::seconds kRunnerStale{20};

  struct Options {
    // Borrowed; each must outlive the Watchdog.
    Notifier* notifier = nullptr;
    const Clock* clock = nullptr;
    Logger* logger = nullptr;
    // Whether the API answered a request just now (may block for the
    // probe's timeout).
    std::function<bool()> api_answers;
    // A count the sync runner moves at each turn of its loop.
    std::function<uint64_t()> runner_turns;
    // True once the daemon has been asked to stop.
    std::function<bool()> stopping;
  };

  explicit Watchdog(const Options& options);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Sends WATCHDOG=1 when the bridge is alive (or stopping) and returns
  // whether it did. A withheld ping is logged as an error when the problem
  // starts, and the recovery when it ends, not at every tick. Call from one
  // thread at a time.
  bool Tick();

 private:
  // "" when alive, else what is wrong, for the log.
  std::string FindProblem();
  bool RunnerTurned();

  const Options options_;
  uint64_t last_turns_;
  int64_t last_turn_micros_;
  std::string problem_;  // the one last logged; "" while alive
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_WATCHDOG_H_
