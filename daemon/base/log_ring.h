// LogRing: the daemon's last log lines, kept in memory for the admin page's
// System screen (GET /admin/api/system/log), while every line still goes on
// to the daemon's own logger.
//
// Lines reach it already formatted by Logger (one line each, newlines
// folded); the bridge never logs a secret, a token, a start URL or a
// passcode, so the ring holds none either and adds nothing of its own but
// the time and the severity.
#ifndef TELEMED_BASE_LOG_RING_H_
#define TELEMED_BASE_LOG_RING_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/mutex.h"

namespace telemed {

class Clock;

// One line as the ring keeps it.
struct LogEntry {
  int64_t at = 0;  // unix seconds, UTC, when it was logged
  Severity severity = Severity::kInfo;
  std::string text;
};

// A Logger that keeps the last `capacity` lines of `min_severity` or above
// and passes every line to `next` (which filters by its own severity).
// `next` and `clock` are borrowed and must outlive the ring.
// Thread-safe: Log and Lines may be called from any thread at once.
class LogRing final : public Logger {
 public:
  static constexpr size_t kDefaultCapacity = 200;

  LogRing(Logger* next, const Clock* clock, size_t capacity = kDefaultCapacity,
          Severity min_severity = Severity::kInfo);

  // The kept lines, oldest first.
  std::vector<LogEntry> Lines() const EXCLUDES(mu_);

 protected:
  void Write(Severity severity, const std::string& line) override EXCLUDES(mu_);
  // Every line comes here, so that `next` still sees the debug lines it
  // may want; the ring keeps only those of min_severity_ and above.
  Severity MinSeverity() const override { return Severity::kDebug; }

 private:
  Logger* const next_;
  const Clock* const clock_;
  const size_t capacity_;
  const Severity min_severity_;

  mutable Mutex mu_;
  std::deque<LogEntry> lines_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_BASE_LOG_RING_H_
