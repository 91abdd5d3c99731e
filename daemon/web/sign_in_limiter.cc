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
// one that would make room (the limit-th newest) leaves it. When tries in
// flight fill what is left, it waits for them: they end within seconds.
int SignInLimiter::WaitFor(const std::deque<int64_t>& failures, int in_flight,
                           int limit, int64_t now) const {
  const int failed = static_cast<int>(failures.size());
  if (failed + in_flight < limit) return 0;
  if (failed < limit) return 1;
  const int64_t frees_at =
      failures[failures.size() - limit] + options_.window_s;
  return static_cast<int>(std::max<int64_t>(1, frees_at - now));
}

int SignInLimiter::RetryAfterLocked(const std::string& address, int64_t now) {
  Expire(now);
  int wait = WaitFor(all_, all_in_flight_, options_.global, now);
  auto pending = in_flight_.find(address);
  const int in_flight = pending == in_flight_.end() ? 0 : pending->second;
  auto it = by_address_.find(address);
  if (it != by_address_.end()) {
    wait = std::max(wait,
                    WaitFor(it->second, in_flight, options_.per_address, now));
  } else if (in_flight >= options_.per_address) {
    wait = std::max(wait, 1);
  }
  return wait;
}

int SignInLimiter::RetryAfter(const std::string& address) {
  const int64_t now = clock_->NowSeconds();
  MutexLock lock(&mu_);
  return RetryAfterLocked(address, now);
}

int SignInLimiter::BeginTry(const std::string& address) {
  const int64_t now = clock_->NowSeconds();
  MutexLock lock(&mu_);
  const int wait = RetryAfterLocked(address, now);
  if (wait == 0) {
    ++in_flight_[address];
    ++all_in_flight_;
  }
  return wait;
}

void SignInLimiter::EndTry(const std::string& address, Outcome outcome) {
  const int64_t now = clock_->NowSeconds();
  MutexLock lock(&mu_);
  auto pending = in_flight_.find(address);
  if (pending != in_flight_.end() && --pending->second == 0) {
    in_flight_.erase(pending);
  }
  if (all_in_flight_ > 0) --all_in_flight_;
  if (outcome == Outcome::kFailed) {
    CountFailure(address, now);
  } else if (outcome == Outcome::kSucceeded) {
    by_address_.erase(address);
  }
}

void SignInLimiter::CountFailure(const std::string& address, int64_t now) {
  Expire(now);
  by_address_[address].push_back(now);
  all_.push_back(now);
}

void SignInLimiter::NoteFailure(const std::string& address) {
  const int64_t now = clock_->NowSeconds();
  MutexLock lock(&mu_);
  CountFailure(address, now);
}

void SignInLimiter::NoteSuccess(const std::string& address) {
  MutexLock lock(&mu_);
  by_address_.erase(address);
}

}  // namespace web
}  // namespace telemed
