#include "service/periodic_task.h"

#include <CppUTest/TestHarness.h>

#include <chrono>

#include "base/mutex.h"

namespace telemed {

namespace {
// Counts runs and lets the test wait for a number of them.
class RunCounter final {
 public:
  void Count() EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    ++runs_;
    changed_.SignalAll();
  }
  // Waits up to 60 s; returns the count reached.
  int WaitFor(int runs) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (runs_ < runs && changed_.WaitUntil(deadline)) {
    }
    return runs_;
  }
  int runs() EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    return runs_;
  }

 private:
  Mutex mu_;
  CondVar changed_{&mu_};
  int runs_ GUARDED_BY(mu_) = 0;
};
}  // namespace

TEST_GROUP(PeriodicTask) { RunCounter counter; };

TEST(PeriodicTask, RunsAtOnceAndThenEveryPeriod) {
  PeriodicTask task(std::chrono::milliseconds(1), [this] { counter.Count(); });
  CHECK_TRUE(counter.WaitFor(3) >= 3);
}

// With an hour between runs, only a stop-aware wait lets Stop() return; a
// sleep would hold the test until CTest's timeout fails it.
TEST(PeriodicTask, StopInterruptsALongWait) {
  PeriodicTask task(std::chrono::hours(1), [this] { counter.Count(); });
  LONGS_EQUAL(1, counter.WaitFor(1));
  task.Stop();
  task.Stop();
  LONGS_EQUAL(1, counter.runs());
}

}  // namespace telemed
