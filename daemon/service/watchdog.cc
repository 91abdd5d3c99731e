#include "service/watchdog.h"

#include "base/clock.h"
#include "base/log.h"
#include "service/notifier.h"

namespace telemed {

Watchdog::Watchdog(const Options& options)
    : options_(options),
      last_turns_(options.runner_turns()),
      last_turn_micros_(options.clock->NowMicros()) {}

bool Watchdog::Tick() {
  std::string problem = options_.stopping() ? "" : FindProblem();
  if (problem != problem_) {
    if (!problem.empty()) {
      options_.logger->Error(
          "watchdog: %s; not telling systemd that the bridge is alive (it "
          "restarts the bridge when this lasts for WatchdogSec)",
          problem.c_str());
    } else {
      options_.logger->Info("watchdog: alive again (%s before)",
                            problem_.c_str());
    }
    problem_ = problem;
  }
  if (!problem.empty()) return false;
  options_.notifier->Notify("WATCHDOG=1");
  return true;
}

// The runner first: its check is free, the API's costs a request.
std::string Watchdog::FindProblem() {
  if (!RunnerTurned()) {
    return "the sync runner has not turned for more than " +
           std::to_string(kRunnerStale.count()) + " s";
  }
  if (!options_.api_answers()) return "the API did not answer its health check";
  return "";
}

// A clock set back makes the gap negative: that reads as turned, and the
// next turn sets the time again.
bool Watchdog::RunnerTurned() {
  const int64_t now = options_.clock->NowMicros();
  const uint64_t turns = options_.runner_turns();
  if (turns != last_turns_) {
    last_turns_ = turns;
    last_turn_micros_ = now;
  }
  return now - last_turn_micros_ <=
         std::chrono::microseconds(kRunnerStale).count();
}

}  // namespace telemed
