// The API's worker pool: workers on demand up to a maximum, retired when
// idle, every job run once, shutdown after the queue drains.
#include "http/worker_pool.h"

#include <CppUTest/TestHarness.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "base/mutex.h"

namespace telemed {

namespace {

// A gate jobs wait at until the test opens it.
class Gate {
 public:
  void Wait() {
    MutexLock lock(&mu_);
    ++waiting_;
    changed_.SignalAll();
    while (!open_) changed_.Wait();
  }
  void Open() {
    MutexLock lock(&mu_);
    open_ = true;
    changed_.SignalAll();
  }
  // Waits until `count` jobs wait; false after 5 s.
  bool AwaitWaiting(int count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    MutexLock lock(&mu_);
    while (waiting_ < count) {
      if (!changed_.WaitUntil(deadline)) return waiting_ >= count;
    }
    return true;
  }

 private:
  Mutex mu_;
  CondVar changed_{&mu_};
  int waiting_ = 0;
  bool open_ = false;
};

// Polls `pool.threads()` until it equals `count`; false after 5 s.
bool AwaitThreads(WorkerPool* pool, size_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (pool->threads() != count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST_GROUP(WorkerPool) {
  std::atomic<uint64_t> changes{0};
  WorkerPool::Options Options(size_t max_threads) {
    WorkerPool::Options options;
    options.max_threads = max_threads;
    options.min_threads = 1;
    options.idle_timeout = std::chrono::milliseconds(50);
    options.changes = &changes;
    return options;
  }
};

TEST(WorkerPool, StartsNoThreadBeforeTheFirstJob) {
  WorkerPool pool(Options(4));
  LONGS_EQUAL(0, pool.threads());
}

TEST(WorkerPool, StartsWorkersOnDemandUpToTheMaximum) {
  WorkerPool pool(Options(3));
  Gate gate;
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) {
    pool.enqueue([&] {
      gate.Wait();
      ++done;
    });
  }
  CHECK_TRUE(gate.AwaitWaiting(3));
  LONGS_EQUAL(3, pool.threads());  // the other two jobs wait their turn
  gate.Open();
  pool.shutdown();
  LONGS_EQUAL(5, done.load());
  LONGS_EQUAL(0, pool.threads());
}

TEST(WorkerPool, QuickJobsNeverShareAnIdleWorker) {
  WorkerPool pool(Options(8));
  pool.enqueue([] {});
  CHECK_TRUE(AwaitThreads(&pool, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(10));  // it idles
  Gate gate;
  // Both start at once although only one worker was idle when they came.
  pool.enqueue([&] { gate.Wait(); });
  pool.enqueue([&] { gate.Wait(); });
  CHECK_TRUE(gate.AwaitWaiting(2));
  gate.Open();
  pool.shutdown();
}

TEST(WorkerPool, IdleWorkersRetireDownToTheMinimum) {
  WorkerPool pool(Options(4));
  Gate gate;
  for (int i = 0; i < 4; ++i) pool.enqueue([&] { gate.Wait(); });
  CHECK_TRUE(gate.AwaitWaiting(4));
  uint64_t started = changes.load();
  LONGS_EQUAL(4, started);
  gate.Open();
  CHECK_TRUE(AwaitThreads(&pool, 1));
  LONGS_EQUAL(started + 3, changes.load());
  // The one left still serves, and more start again when needed.
  std::atomic<int> done{0};
  for (int i = 0; i < 20; ++i) pool.enqueue([&] { ++done; });
  pool.shutdown();
  LONGS_EQUAL(20, done.load());
}

TEST(WorkerPool, ShutdownRunsQueuedJobsAndIsIdempotent) {
  WorkerPool pool(Options(1));
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    pool.enqueue([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ++done;
    });
  }
  pool.shutdown();
  LONGS_EQUAL(10, done.load());
  pool.shutdown();
}

}  // namespace telemed
