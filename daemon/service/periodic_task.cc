#include "service/periodic_task.h"

#include <utility>

namespace telemed {

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
    auto deadline = std::chrono::steady_clock::now() + period_;
    // Re-check after every wake-up: they may be spurious.
    while (!stopping_ && wake_.WaitUntil(deadline)) {
    }
    if (stopping_) return;
  }
}

}  // namespace telemed
