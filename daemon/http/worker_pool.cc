#include "http/worker_pool.h"

#include <utility>

namespace telemed {

namespace {

void JoinAll(std::vector<std::thread>* threads) {
  for (std::thread& thread : *threads) thread.join();
  threads->clear();
}

}  // namespace

WorkerPool::WorkerPool(const Options& options) : options_(options) {}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> job) {
  std::vector<std::thread> ended;
  {
    MutexLock lock(&mu_);
    if (shutdown_) {
      // Nobody would join a worker started now; run it here instead.
      mu_.Unlock();
      job();
      mu_.Lock();
      return;
    }
    jobs_.push_back(std::move(job));
    // An idle worker takes one job, and a signalled one stays counted idle
    // until it wakes: start a worker whenever the queue outgrows them, or
    // two quick jobs would share one worker and the second wait for the
    // first (a long-poll can take a minute).
    if (jobs_.size() > idle_ && workers_.size() < options_.max_threads) {
      StartWorker();
    } else {
      work_cv_.Signal();
    }
    ended.swap(retired_);
  }
  JoinAll(&ended);
}

void WorkerPool::shutdown() {
  std::vector<std::thread> all;
  {
    MutexLock lock(&mu_);
    shutdown_ = true;
    work_cv_.SignalAll();
    all.swap(retired_);
    for (auto& entry : workers_) all.push_back(std::move(entry.second));
    workers_.clear();
  }
  JoinAll(&all);
}

size_t WorkerPool::threads() {
  MutexLock lock(&mu_);
  return workers_.size();
}

void WorkerPool::StartWorker() {
  std::thread thread([this] { Work(); });
  workers_.emplace(thread.get_id(), std::move(thread));
  NoteChange();
}

void WorkerPool::NoteChange() {
  if (options_.changes != nullptr) options_.changes->fetch_add(1);
}

void WorkerPool::Work() {
  MutexLock lock(&mu_);
  while (AwaitJob()) {
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    mu_.Unlock();
    job();
    job = nullptr;  // its captures go before the lock is taken again
    mu_.Lock();
  }
}

bool WorkerPool::AwaitJob() {
  while (jobs_.empty()) {
    if (shutdown_) return false;
    ++idle_;
    const bool woken = work_cv_.WaitUntil(std::chrono::steady_clock::now() +
                                          options_.idle_timeout);
    --idle_;
    if (woken || !jobs_.empty() || shutdown_) continue;
    if (workers_.size() <= options_.min_threads) continue;
    // Idle too long: hand this thread to the next enqueue or shutdown to
    // join, and end.
    auto self = workers_.find(std::this_thread::get_id());
    retired_.push_back(std::move(self->second));
    workers_.erase(self);
    NoteChange();
    return false;
  }
  return true;
}

}  // namespace telemed
