#include "web/sign_in_limiter.h"

#include <algorithm>

namespace telemed {
namespace web {

SignInLimiter::SignInLimiter(const Clock* clock, const Options& options)
    : clock_(clock), options_(options) {}

void SignInLimiter::Expire(int64_t now) {
  const int64_t oldest_kept = now - options_.window_s;
  while (!all_.empty() && all_.front() <= oldest_kept) all_.pop_front();
  for (auto it = by_address_.begin(); it != by_address_.end();) {
    std::deque<int64_t>& failures = it->second;
    while (!failures.empty() && failures.front() <= oldest_kept) {
      failures.pop_front();
    }
    it = failures.empty() ? by_address_.erase(it) : std::next(it);
  }
}

// Once `limit` failures are in the window, the next try waits until the
// one that would make room (the limit-th newest) leaves it.
int SignInLimiter::WaitFor(const std::deque<int64_t>& failures, int limit,
                           int64_t now) const {
  if (static_cast<int>(failures.size()) < limit) return 0;
  const int64_t frees_at =
      failures[failures.size() - limit] + options_.window_s;
  return static_cast<int>(std::max<int64_t>(1, frees_at - now));
}

int SignInLimiter::RetryAfter(const std::string& address) {
  const int64_t now = clock_->NowSeconds();
  MutexLock lock(&mu_);
  Expire(now);
  int wait = WaitFor(all_, options_.global, now);
  auto it = by_address_.find(address);
  if (it != by_address_.end()) {
    wait = std::max(wait, WaitFor(it->second, options_.per_address, now));
  }
  return wait;
}

void SignInLimiter::NoteFailure(const std::string& address) {
  const int64_t now = clock_->NowSeconds();
  MutexLock lock(&mu_);
  Expire(now);
  by_address_[address].push_back(now);
  all_.push_back(now);
}

void SignInLimiter::NoteSuccess(const std::string& address) {
  MutexLock lock(&mu_);
  by_address_.erase(address);
}

}  // namespace web
}  // namespace telemed
