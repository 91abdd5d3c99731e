// Mutex, MutexLock and CondVar: std::mutex with the capability annotations
// that clang's -Wthread-safety needs (libstdc++'s own types carry none).
#ifndef TELEMED_BASE_MUTEX_H_
#define TELEMED_BASE_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "base/thread_annotations.h"

namespace telemed {

class CAPABILITY("mutex") Mutex final {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `*mu` for the lifetime of the guard.
class SCOPED_CAPABILITY MutexLock final {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// A condition variable bound to one Mutex; *mu must outlive it.
// Wait/WaitUntil carry no REQUIRES annotation: clang cannot relate the bound
// pointer to the caller's Mutex (leveldb's port::CondVar has none either).
// Callers annotate their own functions with REQUIRES(their mutex).
class CondVar final {
 public:
  explicit CondVar(Mutex* mu) : mu_(mu) {}
  // REQUIRES: *mu held. Returns with *mu held.
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // Waits until notified or `deadline` (steady clock) passes; spurious
  // wake-ups happen, so callers re-check their condition.
  // Returns false when the deadline has passed. REQUIRES: *mu held.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    bool in_time = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return in_time;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  Mutex* const mu_;
  std::condition_variable cv_;
};

}  // namespace telemed

#endif  // TELEMED_BASE_MUTEX_H_
