// HashingThread: where password hashes run (about 0.6 s each at 600,000
// PBKDF2 iterations), so that sign-ins never occupy the listener's workers
// for long or run many hashes at once. A worker hands its job over and
// waits for the result; at most `max_queued` jobs wait at once, and beyond
// that Run refuses at once with Unavailable("busy") (the page answers 503),
// so a flood of sign-ins costs a bounded, small number of waiting workers.
//
// Thread-safety: Run may be called from any thread at once.
#ifndef TELEMED_WEB_HASHING_THREAD_H_
#define TELEMED_WEB_HASHING_THREAD_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>

#include "base/mutex.h"
#include "base/status.h"

namespace telemed {
namespace web {

class HashingThread {
 public:
  explicit HashingThread(size_t max_queued = 4);
  // Finishes the queued jobs, then joins the thread.
  ~HashingThread();
  HashingThread(const HashingThread&) = delete;
  HashingThread& operator=(const HashingThread&) = delete;

  // Runs `job` on the hashing thread and returns once it finished with
  // its Status; Unavailable("busy") without running it when `max_queued`
  // jobs already wait (the one running not counted).
  Status Run(const std::function<Status()>& job) EXCLUDES(mu_);

  // Jobs waiting for the thread now (for tests).
  size_t Waiting() EXCLUDES(mu_);

 private:
  struct Job;
  void Loop() EXCLUDES(mu_);

  const size_t max_queued_;
  Mutex mu_;
  CondVar wake_{&mu_};
  std::deque<Job*> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_HASHING_THREAD_H_
