#include "sync/executor.h"

namespace telemed {

ThreadPoolExecutor::ThreadPoolExecutor(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    cv_.SignalAll();
  }
  for (std::thread& thread : threads_) thread.join();
}

void ThreadPoolExecutor::Submit(std::function<void()> job) {
  MutexLock lock(&mu_);
  jobs_.push_back(std::move(job));
  cv_.Signal();
}

void ThreadPoolExecutor::Work() {
  for (;;) {
    std::function<void()> job;
    {
      MutexLock lock(&mu_);
      while (jobs_.empty() && !stopping_) cv_.Wait();
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace telemed
