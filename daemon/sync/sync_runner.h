// SyncRunner: the daemon's thread that drives SyncEngine::Step.
//
// It steps, then sleeps until the engine's next deadline, a Wake() (a store
// write in this process, a finished Zoom call) or Stop(). Writes by other
// processes (the CLI changing a doctor or the Zoom app) are noticed within
// kForeignWritePoll, the only polling it does: the PUT-to-Zoom path of this
// process never waits for it.
#ifndef TELEMED_SYNC_SYNC_RUNNER_H_
#define TELEMED_SYNC_SYNC_RUNNER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "base/mutex.h"

namespace telemed {

class Clock;
class Logger;
class SyncEngine;

class SyncRunner {
 public:
  static constexpr std::chrono::seconds kForeignWritePoll{5};

  // All borrowed; each must outlive the runner.
  SyncRunner(SyncEngine* engine, const Clock* clock, Logger* logger)
      : engine_(engine), clock_(clock), logger_(logger) {}
  // Stops and joins.
  ~SyncRunner();
  SyncRunner(const SyncRunner&) = delete;
  SyncRunner& operator=(const SyncRunner&) = delete;

  void Start();
  // Thread-safe; cheap; may be called from any thread, also before Start.
  void Wake() EXCLUDES(mu_);
  // Returns once the thread has left its loop (Zoom calls still running on
  // the engine's executor finish there).
  void Stop() EXCLUDES(mu_);
  // How many times the loop has turned (a step, then a sleep): it moves at
  // least every kForeignWritePoll while the runner is healthy, so a count
  // that stands still means a step that does not return (the daemon's
  // watchdog, service/watchdog.h). Thread-safe.
  uint64_t turns() const { return turns_.load(std::memory_order_relaxed); }

 private:
  void Loop() EXCLUDES(mu_);
  // Sleeps until `wake_micros` on the clock (0: the poll interval) or a
  // Wake(); false once stopping.
  bool Sleep(int64_t wake_micros) EXCLUDES(mu_);

  SyncEngine* const engine_;
  const Clock* const clock_;
  Logger* const logger_;
  Mutex mu_;
  CondVar cv_{&mu_};
  bool woken_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::atomic<uint64_t> turns_{0};
  std::thread thread_;
};

}  // namespace telemed

#endif  // TELEMED_SYNC_SYNC_RUNNER_H_
