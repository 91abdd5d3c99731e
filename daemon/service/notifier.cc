#include "service/notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace telemed {

// unset_environment 0: the watchdog and status senders run for the whole
// life of the process, on several threads, and all need $NOTIFY_SOCKET.
void SystemdNotifier::Notify(const std::string& assignments) {
  sd_notify(0, assignments.c_str());
}

std::chrono::microseconds SystemdNotifier::WatchdogInterval() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::chrono::microseconds(0);
  return std::chrono::microseconds(static_cast<int64_t>(usec));
}

}  // namespace telemed
