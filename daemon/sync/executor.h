// Executor: where the sync engine runs its Zoom calls. The daemon uses a
// fixed pool of threads (several calls in flight when Zoom is slow); tests
// run each call inline, deterministically, inside Step().
#ifndef TELEMED_SYNC_EXECUTOR_H_
#define TELEMED_SYNC_EXECUTOR_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "base/mutex.h"

namespace telemed {

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs `job` once, now or later, on some thread.
  virtual void Submit(std::function<void()> job) = 0;
};

class InlineExecutor final : public Executor {
 public:
  void Submit(std::function<void()> job) override { job(); }
};

// `threads` workers; the destructor finishes queued jobs and joins them.
class ThreadPoolExecutor final : public Executor {
 public:
  explicit ThreadPoolExecutor(int threads);
  ~ThreadPoolExecutor() override;
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;
  void Submit(std::function<void()> job) override;

 private:
  void Work();

  Mutex mu_;
  CondVar cv_{&mu_};
  std::deque<std::function<void()>> jobs_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace telemed

#endif  // TELEMED_SYNC_EXECUTOR_H_
