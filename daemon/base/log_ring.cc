#include "base/log_ring.h"

#include <utility>

#include "base/clock.h"

namespace telemed {

LogRing::LogRing(Logger* next, const Clock* clock, size_t capacity,
                 Severity min_severity)
    : next_(next),
      clock_(clock),
      capacity_(capacity),
      min_severity_(min_severity) {}

std::vector<LogEntry> LogRing::Lines() const {
  MutexLock lock(&mu_);
  return std::vector<LogEntry>(lines_.begin(), lines_.end());
}

void LogRing::Write(Severity severity, const std::string& line) {
  // Passed on first and outside the lock: a slow sink (a blocked stderr)
  // must not hold up a reader of the ring.
  next_->Log(severity, "%s", line.c_str());
  if (severity < min_severity_ || capacity_ == 0) return;
  LogEntry entry{clock_->NowSeconds(), severity, line};
  MutexLock lock(&mu_);
  if (lines_.size() == capacity_) lines_.pop_front();
  lines_.push_back(std::move(entry));
}

}  // namespace telemed
