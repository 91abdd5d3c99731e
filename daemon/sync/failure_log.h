// RepeatedFailureLog: keeps one failure that hits many appointments at once
// (a Zoom outage, a missing scope, a refused app) from filling the log with
// one line per appointment and retry. The first failure of a kind in a
// window is logged in full by the caller; the ones of the same kind that
// follow within the window are only counted, and one line sums them up
// when the window ends. Thread-safe.
#ifndef TELEMED_SYNC_FAILURE_LOG_H_
#define TELEMED_SYNC_FAILURE_LOG_H_

#include <cstdint>
#include <map>
#include <string>

#include "base/mutex.h"

namespace telemed {

class Logger;

class RepeatedFailureLog {
 public:
  // *logger is borrowed and must outlive this.
  RepeatedFailureLog(Logger* logger, int64_t window_micros)
      : logger_(logger), window_micros_(window_micros) {}

  // Whether a failure of `kind` (what went wrong, without the appointment:
  // "zoom_unavailable (cannot connect to api.zoom.us:443 ...)") at
  // `now_micros` is to be logged in full: the first of its kind in a
  // window. Otherwise it is counted for the summary.
  bool First(const std::string& kind, int64_t now_micros) EXCLUDES(mu_);
  // Logs the summary of each window that has ended, and forgets it.
  void Flush(int64_t now_micros) EXCLUDES(mu_);

 private:
  struct Window {
    int64_t start_micros = 0;
    int repeats = 0;
  };
  void Summarize(const std::string& kind, const Window& window) REQUIRES(mu_);

  Logger* const logger_;
  const int64_t window_micros_;
  Mutex mu_;
  std::map<std::string, Window> windows_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_SYNC_FAILURE_LOG_H_
