// FakeNotifier: a Notifier that records what the daemon's parts would have
// sent to systemd, with the watchdog interval a test chooses.
#ifndef TELEMED_TESTS_SUPPORT_FAKE_NOTIFIER_H_
#define TELEMED_TESTS_SUPPORT_FAKE_NOTIFIER_H_

#include <chrono>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "service/notifier.h"

namespace telemed {
namespace test {

class FakeNotifier final : public Notifier {
 public:
  explicit FakeNotifier(
      std::chrono::microseconds watchdog = std::chrono::microseconds(0))
      : watchdog_(watchdog) {}

  void Notify(const std::string& assignments) override EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    sent_.push_back(assignments);
  }
  std::chrono::microseconds WatchdogInterval() const override {
    return watchdog_;
  }

  // Everything sent so far, in order.
  std::vector<std::string> Sent() const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    return sent_;
  }
  // How many messages were exactly `assignments`.
  int Count(const std::string& assignments) const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    int n = 0;
    for (const std::string& sent : sent_) n += sent == assignments ? 1 : 0;
    return n;
  }

 private:
  const std::chrono::microseconds watchdog_;
  mutable Mutex mu_;
  std::vector<std::string> sent_ GUARDED_BY(mu_);
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_FAKE_NOTIFIER_H_
