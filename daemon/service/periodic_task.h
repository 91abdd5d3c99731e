// PeriodicTask: runs a function on its own thread now and then every
// `period`, and stops at once when asked: the wait between runs is a
// condition-variable wait, never a sleep, so shutdown is not delayed by an
// hourly job (retention purge) or a watchdog interval.
#ifndef TELEMED_SERVICE_PERIODIC_TASK_H_
#define TELEMED_SERVICE_PERIODIC_TASK_H_

#include <chrono>
#include <functional>
#include <thread>

#include "base/mutex.h"

namespace telemed {

class PeriodicTask final {
 public:
  // Starts the thread, which calls `task` at once and then every `period`
  // (measured from the end of one run to the start of the next) until Stop().
  // `task` runs on that thread only, one call at a time.
  PeriodicTask(std::chrono::milliseconds period, std::function<void()> task);
  // Stops and joins.
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Wakes the thread and waits for it to end (a run in progress finishes).
  // Idempotent. Call it from the thread that owns the object, never from
  // inside `task`.
  void Stop() EXCLUDES(mu_);

 private:
  void Loop() EXCLUDES(mu_);

  const std::chrono::milliseconds period_;
  const std::function<void()> task_;
  Mutex mu_;
  CondVar wake_{&mu_};
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;  // started last, once every other member exists
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_PERIODIC_TASK_H_
