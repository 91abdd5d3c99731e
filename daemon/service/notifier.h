// Notifier: the seam between the daemon and systemd's notification socket
// (sd_notify(3)): READY=1, STATUS=..., WATCHDOG=1, STOPPING=1. The daemon
// uses SystemdNotifier; tests give its parts a fake that records what was
// sent, so that no test hook is needed in the release binary.
#ifndef TELEMED_SERVICE_NOTIFIER_H_
#define TELEMED_SERVICE_NOTIFIER_H_

#include <chrono>
#include <string>

namespace telemed {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Sends newline-separated assignments ("READY=1", "STATUS=serving ...").
  // Thread-safe; does nothing when no service manager listens.
  virtual void Notify(const std::string& assignments) = 0;
  // The unit's WatchdogSec= for this process; zero when it has none.
  virtual std::chrono::microseconds WatchdogInterval() const = 0;
};

// The real one: sd_notify and sd_watchdog_enabled of libsystemd.
class SystemdNotifier final : public Notifier {
 public:
  void Notify(const std::string& assignments) override;
  std::chrono::microseconds WatchdogInterval() const override;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_NOTIFIER_H_
