#include "web/sign_in_limiter.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "base/fake_clock.h"

namespace telemed {
namespace web {

TEST_GROUP(SignInLimiter) {
  FakeClock clock;
  SignInLimiter limiter{&clock, SignInLimiter::Options()};

  void Fail(const std::string& address, int times) {
    for (int i = 0; i < times; ++i) {
      LONGS_EQUAL(0, limiter.RetryAfter(address));
      limiter.NoteFailure(address);
    }
  }
};

TEST(SignInLimiter, FiveFailuresLockTheAddressForTheRestOfTheWindow) {
  Fail("192.0.2.1", 1);
  clock.AdvanceSeconds(60);
  Fail("192.0.2.1", 4);
  // The first failure leaves the 15-minute window 840 s from now.
  LONGS_EQUAL(840, limiter.RetryAfter("192.0.2.1"));
  LONGS_EQUAL(0, limiter.RetryAfter("192.0.2.2"));
  clock.AdvanceSeconds(839);
  LONGS_EQUAL(1, limiter.RetryAfter("192.0.2.1"));
  clock.AdvanceSeconds(1);
  LONGS_EQUAL(0, limiter.RetryAfter("192.0.2.1"));
  // One more failure: the four at +60 s are still in the window.
  limiter.NoteFailure("192.0.2.1");
  LONGS_EQUAL(60, limiter.RetryAfter("192.0.2.1"));
}

TEST(SignInLimiter, SuccessClearsTheAddressesFailures) {
  Fail("192.0.2.1", 4);
  limiter.NoteSuccess("192.0.2.1");
  Fail("192.0.2.1", 4);
  LONGS_EQUAL(0, limiter.RetryAfter("192.0.2.1"));
}

TEST(SignInLimiter, GlobalLimitHoldsAcrossAddresses) {
  SignInLimiter::Options options;
  options.global = 12;
  SignInLimiter small(&clock, options);
  for (int i = 0; i < 12; ++i) {
    const std::string address = "198.51.100." + std::to_string(i);
    LONGS_EQUAL(0, small.RetryAfter(address));
    small.NoteFailure(address);
    clock.AdvanceSeconds(10);
  }
  // A fresh address waits too, until the first failure leaves the window.
  LONGS_EQUAL(900 - 120, small.RetryAfter("203.0.113.9"));
  clock.AdvanceSeconds(900 - 120);
  LONGS_EQUAL(0, small.RetryAfter("203.0.113.9"));
}

// Tries verified in parallel: each is held against the limits until it
// ends, so five wrong passwords sent at once are the last five.
TEST(SignInLimiter, TriesInFlightCountAgainstTheAddressesLimit) {
  using Outcome = SignInLimiter::Outcome;
  for (int i = 0; i < 5; ++i) LONGS_EQUAL(0, limiter.BeginTry("192.0.2.1"));
  LONGS_EQUAL(1, limiter.BeginTry("192.0.2.1"));
  LONGS_EQUAL(1, limiter.RetryAfter("192.0.2.1"));
  LONGS_EQUAL(0, limiter.RetryAfter("192.0.2.2"));
  for (int i = 0; i < 5; ++i) limiter.EndTry("192.0.2.1", Outcome::kFailed);
  LONGS_EQUAL(900, limiter.BeginTry("192.0.2.1"));
}

TEST(SignInLimiter, AnUndecidedOrSuccessfulTryFreesItsPlace) {
  using Outcome = SignInLimiter::Outcome;
  Fail("192.0.2.1", 3);
  LONGS_EQUAL(0, limiter.BeginTry("192.0.2.1"));
  LONGS_EQUAL(0, limiter.BeginTry("192.0.2.1"));
  LONGS_EQUAL(1, limiter.RetryAfter("192.0.2.1"));
  limiter.EndTry("192.0.2.1", Outcome::kUndecided);  // e.g. the hasher busy
  LONGS_EQUAL(0, limiter.RetryAfter("192.0.2.1"));
  limiter.EndTry("192.0.2.1", Outcome::kSucceeded);
  Fail("192.0.2.1", 5);  // the success cleared the three
}

TEST(SignInLimiter, TriesInFlightCountAgainstTheGlobalLimit) {
  SignInLimiter::Options options;
  options.global = 3;
  SignInLimiter small(&clock, options);
  LONGS_EQUAL(0, small.BeginTry("192.0.2.1"));
  LONGS_EQUAL(0, small.BeginTry("192.0.2.2"));
  LONGS_EQUAL(0, small.BeginTry("192.0.2.3"));
  LONGS_EQUAL(1, small.BeginTry("192.0.2.4"));
  small.EndTry("192.0.2.3", SignInLimiter::Outcome::kSucceeded);
  LONGS_EQUAL(0, small.BeginTry("192.0.2.4"));
}

}  // namespace web
}  // namespace telemed
