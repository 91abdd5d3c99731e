// Shutdown: how the daemon (service/daemon.h) ends. The first request
// (SIGTERM/SIGINT, or the database found deleted) stops what is attached
// (the API server) and starts a hard deadline: if the clean stop has not
// finished by then, on_deadline runs (the daemon logs and exits at once).
// The clean stop may wait on things outside our control (a client that
// reads slowly, a Zoom call that hangs); a supervisor waiting on us must
// not.
//
// Thread-safety: every method may be called from any thread.
#ifndef TELEMED_SERVICE_SHUTDOWN_H_
#define TELEMED_SERVICE_SHUTDOWN_H_

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "base/mutex.h"
#include "base/status.h"

namespace telemed {

class Shutdown final {
 public:
  // `on_deadline(why, step)` runs on the deadline thread `deadline` after
  // the first Request unless Finish() came first; `why` is that request's,
  // `step` the last one Enter() named (what the stop was waiting for).
  using OnDeadline =
      std::function<void(const Status& why, const std::string& step)>;
  Shutdown(std::chrono::milliseconds deadline, OnDeadline on_deadline);
  // Finish()es: the deadline never fires after this.
  ~Shutdown();
  Shutdown(const Shutdown&) = delete;
  Shutdown& operator=(const Shutdown&) = delete;

  // The first call records `why` (OK for an operator's signal, the error
  // otherwise), calls the attached stop and starts the deadline; it returns
  // true. Later calls change nothing and return false.
  bool Request(const Status& why) EXCLUDES(mu_);
  // Sets what a request stops (empty: nothing); when a request came
  // already, calls it at once. `stop` runs under this object's lock: it
  // must be quick and must not call back into it.
  void Attach(std::function<void()> stop) EXCLUDES(mu_);
  // Whether a request came, and its reason.
  bool requested() const EXCLUDES(mu_);
  Status reason() const EXCLUDES(mu_);
  // Names the step of the clean stop now running ("Zoom calls in
  // flight"), for on_deadline.
  void Enter(const std::string& step) EXCLUDES(mu_);
  // The clean stop is done: ends the deadline without firing it.
  void Finish() EXCLUDES(mu_);

 private:
  void RunDeadline() EXCLUDES(mu_);

  const std::chrono::milliseconds deadline_;
  const OnDeadline on_deadline_;
  mutable Mutex mu_;
  CondVar finished_cv_{&mu_};
  std::function<void()> stop_ GUARDED_BY(mu_);
  bool requested_ GUARDED_BY(mu_) = false;
  bool finished_ GUARDED_BY(mu_) = false;
  Status reason_ GUARDED_BY(mu_);
  std::string step_ GUARDED_BY(mu_);
  std::thread deadline_thread_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_SHUTDOWN_H_
