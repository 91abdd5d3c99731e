// ShutdownSignals: SIGTERM, SIGINT and SIGHUP delivered to one waiting
// thread instead of an async signal handler, so the reaction (stop the
// server, tell systemd, log) may lock mutexes and log like any other code.
//
// The signals are blocked in the thread that calls Block(); threads started
// afterwards inherit the mask, which is why Block() must come before any
// thread exists: a thread that had them unblocked would take the default
// action and kill the process mid-request (for SIGHUP: a closed terminal or
// a `kill -HUP` meant to reload would end the daemon).
#ifndef TELEMED_SERVICE_SHUTDOWN_SIGNALS_H_
#define TELEMED_SERVICE_SHUTDOWN_SIGNALS_H_

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "base/status.h"

namespace telemed {

class ShutdownSignals final {
 public:
  // What the waiting thread calls, on that thread. Each must be set.
  struct Handlers {
    // The first SIGTERM or SIGINT: stop cleanly.
    std::function<void(int signo)> on_stop;
    // Every later SIGTERM or SIGINT: the operator insists (exit now).
    std::function<void(int signo)> on_again;
    // SIGHUP, which no longer ends the process.
    std::function<void()> on_hangup;
  };

  // Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, for good:
  // restoring the mask on the way out would let a signal pending since
  // the first kill a process that is about to exit 0.
  // REQUIRES: no other thread started yet.
  static Status Block(std::unique_ptr<ShutdownSignals>* out);
  // StopWaiting().
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Starts the waiting thread, which serves signals as `handlers` say until
  // StopWaiting(). Call at most once.
  void StartWaiting(Handlers handlers);
  // Ends the waiting thread and joins it. After it returns no handler is
  // called, so what they use may go. Idempotent; from the owning thread
  // only.
  void StopWaiting();

 private:
  ShutdownSignals() = default;
  void Wait(const Handlers& handlers);

  std::atomic<bool> closing_{false};
  std::thread waiter_;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_SHUTDOWN_SIGNALS_H_
