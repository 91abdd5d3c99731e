#include "service/shutdown_signals.h"

#include <pthread.h>
#include <signal.h>

#include <utility>

#include "base/posix_error.h"

namespace telemed {

namespace {
sigset_t WaitedSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

Status ShutdownSignals::Block(std::unique_ptr<ShutdownSignals>* out) {
  sigset_t set = WaitedSet();
  int err = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (err != 0) return PosixError("blocking SIGTERM, SIGINT and SIGHUP", err);
  out->reset(new ShutdownSignals());
  return Status::OK();
}

ShutdownSignals::~ShutdownSignals() { StopWaiting(); }

void ShutdownSignals::StartWaiting(Handlers handlers) {
  waiter_ =
      std::thread([this, callbacks = std::move(handlers)] { Wait(callbacks); });
}

void ShutdownSignals::StopWaiting() {
  if (!waiter_.joinable()) return;
  closing_ = true;
  // A signal aimed at the waiter alone ends its sigwait; closing_ tells it
  // this one is ours.
  pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
}

void ShutdownSignals::Wait(const Handlers& handlers) {
  sigset_t set = WaitedSet();
  bool stopping = false;
  for (;;) {
    int signo = 0;
    if (sigwait(&set, &signo) != 0) continue;
    if (closing_) return;
    if (signo == SIGHUP) {
      handlers.on_hangup();
    } else if (!stopping) {
      stopping = true;
      handlers.on_stop(signo);
    } else {
      handlers.on_again(signo);
    }
  }
}

}  // namespace telemed
