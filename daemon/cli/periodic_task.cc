#include "cli/periodic_task.h"

#include <utility>

namespace telemed {
namespace cli {

PeriodicTask::PeriodicTask(std::chrono::milliseconds period,
                           std::function<void()> task)
    : period_(period), task_(std::move(task)), thread_([this] { Loop(); }) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  for (;;) {
    task_();
    MutexLock lock(&mu_);
    if (WaitForStop(std::chrono::steady_clock::now() + period_)) return;
  }
}

// Exempt from the analysis, which cannot tell that wake_ waits on mu_
// (CondVar's REQUIRES names its own private pointer); callers are still
// checked through the declaration's REQUIRES(mu_).
bool PeriodicTask::WaitForStop(std::chrono::steady_clock::time_point deadline)
    NO_THREAD_SAFETY_ANALYSIS {
  // Re-check after every wake-up: they may be spurious.
  while (!stopping_ && wake_.WaitUntil(deadline)) {
  }
  return stopping_;
}

}  // namespace cli
}  // namespace telemed
