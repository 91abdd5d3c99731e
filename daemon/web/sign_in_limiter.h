// SignInLimiter: how many wrong passwords (and setup codes) the admin page
// lets through. After `per_address` failures within `window_s` from one
// address, that address waits until the oldest of them leaves the window;
// after `global` failures within the window from all addresses together,
// everyone waits, so a guess spread over many addresses stays slow too.
//
// Failures are kept in memory only (a restart forgets them: a restart is
// no cheaper for a guesser than waiting). Memory is bounded by the global
// limit: a refused attempt is not verified, so it is never counted.
//
// A try takes a password hash (most of a second), and tries sent in
// parallel would all pass a check made before any of them failed: BeginTry
// holds each try against the limits while it is verified, as if it had
// failed, until EndTry says how it ended.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_WEB_SIGN_IN_LIMITER_H_
#define TELEMED_WEB_SIGN_IN_LIMITER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "base/clock.h"
#include "base/mutex.h"

namespace telemed {
namespace web {

class SignInLimiter {
 public:
  struct Options {
    int per_address = 5;     // failures per address within the window
    int global = 100;        // failures from all addresses within the window
    int64_t window_s = 900;  // 15 minutes
  };

  // `clock` is borrowed and must outlive the limiter.
  SignInLimiter(const Clock* clock, const Options& options);

  // 0 when `address` may try now, else the whole seconds it must wait
  // (at least 1).
  int RetryAfter(const std::string& address) EXCLUDES(mu_);
  // Counts a wrong password or setup code from `address`.
  void NoteFailure(const std::string& address) EXCLUDES(mu_);
  // A correct password clears the address's failures (not the global ones).
  void NoteSuccess(const std::string& address) EXCLUDES(mu_);

  enum class Outcome {
    kFailed,     // counted as NoteFailure counts
    kSucceeded,  // clears the address's failures, as NoteSuccess
    kUndecided,  // nothing was checked (malformed request, busy): not counted
  };
  // RetryAfter, and when that is 0 the try is held against the limits
  // until EndTry: call EndTry exactly once then.
  int BeginTry(const std::string& address) EXCLUDES(mu_);
  void EndTry(const std::string& address, Outcome outcome) EXCLUDES(mu_);

 private:
  // Drops failures that left the window, and addresses left with none.
  void Expire(int64_t now) REQUIRES(mu_);
  int WaitFor(const std::deque<int64_t>& failures, int in_flight, int limit,
              int64_t now) const REQUIRES(mu_);
  int RetryAfterLocked(const std::string& address, int64_t now) REQUIRES(mu_);
  void CountFailure(const std::string& address, int64_t now) REQUIRES(mu_);

  const Clock* const clock_;
  const Options options_;
  Mutex mu_;
  std::map<std::string, std::deque<int64_t>> by_address_ GUARDED_BY(mu_);
  std::deque<int64_t> all_ GUARDED_BY(mu_);
  // Tries BeginTry let through that have not ended, per address and all.
  std::map<std::string, int> in_flight_ GUARDED_BY(mu_);
  int all_in_flight_ GUARDED_BY(mu_) = 0;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_SIGN_IN_LIMITER_H_
