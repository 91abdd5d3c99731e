#include "service/shutdown.h"

#include <utility>

namespace telemed {

Shutdown::Shutdown(std::chrono::milliseconds deadline, OnDeadline on_deadline)
    : deadline_(deadline), on_deadline_(std::move(on_deadline)) {}

Shutdown::~Shutdown() { Finish(); }

bool Shutdown::Request(const Status& why) {
  MutexLock lock(&mu_);
  if (requested_) return false;
  requested_ = true;
  reason_ = why;
  if (stop_) stop_();
  // Started here rather than in the constructor: most of a daemon's life
  // needs no deadline thread.
  if (!finished_) deadline_thread_ = std::thread([this] { RunDeadline(); });
  return true;
}

void Shutdown::Attach(std::function<void()> stop) {
  MutexLock lock(&mu_);
  stop_ = std::move(stop);
  if (requested_ && stop_) stop_();
}

bool Shutdown::requested() const {
  MutexLock lock(&mu_);
  return requested_;
}

Status Shutdown::reason() const {
  MutexLock lock(&mu_);
  return reason_;
}

void Shutdown::Enter(const std::string& step) {
  MutexLock lock(&mu_);
  step_ = step;
}

void Shutdown::Finish() {
  std::thread thread;
  {
    MutexLock lock(&mu_);
    finished_ = true;
    // No Request starts a thread from now on; joined outside the lock,
    // which the thread needs to see finished_.
    thread = std::move(deadline_thread_);
  }
  finished_cv_.SignalAll();
  if (thread.joinable()) thread.join();
}

void Shutdown::RunDeadline() {
  auto deadline = std::chrono::steady_clock::now() + deadline_;
  Status why;
  std::string step;
  {
    MutexLock lock(&mu_);
    while (!finished_ && finished_cv_.WaitUntil(deadline)) {
    }
    if (finished_) return;
    why = reason_;
    step = step_;
  }
  on_deadline_(why, step);
}

}  // namespace telemed
