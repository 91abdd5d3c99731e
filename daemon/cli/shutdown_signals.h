// ShutdownSignals: SIGTERM and SIGINT delivered to one waiting thread
// instead of an async signal handler, so the reaction (stop the server, tell
// systemd) may lock mutexes and log like any other code.
//
// The signals are blocked in the thread that calls Block(); threads started
// afterwards inherit the mask, which is why Block() must come before any
// thread exists: a thread that had them unblocked would take the default
// action and kill the process mid-request.
#ifndef TELEMED_CLI_SHUTDOWN_SIGNALS_H_
#define TELEMED_CLI_SHUTDOWN_SIGNALS_H_

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "base/status.h"

namespace telemed {
namespace cli {

class ShutdownSignals final {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread, for good: restoring
  // the mask on the way out would let a second Ctrl-C, pending since the
  // first, kill a process that is about to exit 0.
  // REQUIRES: no other thread started yet.
  static Status Block(std::unique_ptr<ShutdownSignals>* out);
  // StopWaiting().
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Starts the waiting thread. On the first SIGTERM or SIGINT it calls
  // `on_signal(signo)` there, once, and ends. Call at most once.
  void StartWaiting(std::function<void(int signo)> on_signal);
  // Ends the waiting thread without calling on_signal (if no signal came
  // yet) and joins it. After it returns on_signal is never called, so what
  // on_signal uses may go. Idempotent; from the owning thread only.
  void StopWaiting();

 private:
  ShutdownSignals() = default;
  void Wait(const std::function<void(int)>& on_signal);

  std::atomic<bool> closing_{false};
  std::thread waiter_;
};

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_SHUTDOWN_SIGNALS_H_
