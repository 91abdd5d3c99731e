// WorkerPool: the API server's threads (a cpp-httplib TaskQueue). Unlike
// httplib::ThreadPool, which starts all its threads at once and keeps them
// for good, it starts a worker whenever queued jobs outnumber idle workers
// (up to max_threads) and retires a worker that has been idle for idle_timeout,
// down to min_threads. A retired thread takes its malloc cache (glibc's
// per-thread tcache) and its stack pages with it: after a burst on many
// connections, a clinic's box goes back to a small footprint.
//
// Jobs beyond max_threads wait in order, as with httplib::ThreadPool.
// shutdown() lets queued jobs run, then joins every worker; a job enqueued
// after shutdown runs on the caller's thread.
#ifndef TELEMED_HTTP_WORKER_POOL_H_
#define TELEMED_HTTP_WORKER_POOL_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"

namespace telemed {

class WorkerPool final : public httplib::TaskQueue {
 public:
  struct Options {
    size_t max_threads = 64;
    size_t min_threads = 2;
    std::chrono::milliseconds idle_timeout{2000};
    // Optional: counts each worker started or retired (see
    // ApiServer::activity()).
    std::atomic<uint64_t>* changes = nullptr;
  };

  explicit WorkerPool(const Options& options);
  // Shuts down (running and queued jobs finish first).
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(std::function<void()> job) override EXCLUDES(mu_);
  void shutdown() override EXCLUDES(mu_);

  // Live workers (running, idle or retiring).
  size_t threads() EXCLUDES(mu_);

 private:
  void Work() EXCLUDES(mu_);
  // Waits for a job; false when this worker should end (shutdown with an
  // empty queue, or idle too long while more than min_threads live).
  bool AwaitJob() REQUIRES(mu_);
  void StartWorker() REQUIRES(mu_);
  void NoteChange();

  const Options options_;
  Mutex mu_;
  CondVar work_cv_{&mu_};
  std::deque<std::function<void()>> jobs_ GUARDED_BY(mu_);
  std::map<std::thread::id, std::thread> workers_ GUARDED_BY(mu_);
  // Workers that ended by themselves, joined by the next enqueue or
  // shutdown (a thread cannot join itself).
  std::vector<std::thread> retired_ GUARDED_BY(mu_);
  size_t idle_ GUARDED_BY(mu_) = 0;
  bool shutdown_ GUARDED_BY(mu_) = false;
};

}  // namespace telemed

#endif  // TELEMED_HTTP_WORKER_POOL_H_
