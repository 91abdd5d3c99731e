#include "cli/shutdown_signals.h"

#include <pthread.h>
#include <signal.h>

#include <utility>

#include "base/posix_error.h"

namespace telemed {
namespace cli {

namespace {
sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

Status ShutdownSignals::Block(std::unique_ptr<ShutdownSignals>* out) {
  sigset_t set = ShutdownSet();
  int err = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (err != 0) return PosixError("blocking SIGTERM and SIGINT", err);
  out->reset(new ShutdownSignals());
  return Status::OK();
}

ShutdownSignals::~ShutdownSignals() { StopWaiting(); }

void ShutdownSignals::StartWaiting(std::function<void(int)> on_signal) {
  waiter_ =
      std::thread([this, callback = std::move(on_signal)] { Wait(callback); });
}

void ShutdownSignals::StopWaiting() {
  if (!waiter_.joinable()) return;
  closing_ = true;
  // A signal aimed at the waiter alone ends its sigwait; closing_ tells it
  // this one is ours. If a real signal ended it first, this is a no-op
  // delivery that stays pending on a thread about to exit.
  pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
}

void ShutdownSignals::Wait(const std::function<void(int)>& on_signal) {
  sigset_t set = ShutdownSet();
  int signo = 0;
  while (sigwait(&set, &signo) != 0) {
  }
  if (!closing_) on_signal(signo);
}

}  // namespace cli
}  // namespace telemed
