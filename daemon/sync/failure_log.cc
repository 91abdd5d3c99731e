#include "sync/failure_log.h"

#include "base/log.h"

namespace telemed {

bool RepeatedFailureLog::First(const std::string& kind, int64_t now_micros) {
  MutexLock lock(&mu_);
  auto it = windows_.find(kind);
  if (it != windows_.end() &&
      now_micros < it->second.start_micros + window_micros_) {
    it->second.repeats += 1;
    return false;
  }
  if (it != windows_.end()) Summarize(kind, it->second);
  windows_[kind] = Window{now_micros, 0};
  return true;
}

void RepeatedFailureLog::Flush(int64_t now_micros) {
  MutexLock lock(&mu_);
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now_micros < it->second.start_micros + window_micros_) {
      ++it;
      continue;
    }
    Summarize(it->first, it->second);
    it = windows_.erase(it);
  }
}

void RepeatedFailureLog::Summarize(const std::string& kind,
                                   const Window& window) {
  if (window.repeats == 0) return;
  logger_->Warning(
      "sync: %d more call(s) failed the same way in %lld s: %s", window.repeats,
      static_cast<long long>(window_micros_ / 1000000), kind.c_str());
}

}  // namespace telemed
