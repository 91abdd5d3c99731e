#include "service/shutdown.h"

#include <CppUTest/TestHarness.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>

namespace telemed {

namespace {
constexpr std::chrono::hours kNever(1);
}  // namespace

TEST_GROUP(Shutdown){};

TEST(Shutdown, TheFirstRequestStopsWhatIsAttachedOnce) {
  Shutdown shutdown(kNever, [](const Status&, const std::string&) {});
  int stops = 0;
  shutdown.Attach([&stops] { ++stops; });
  CHECK_FALSE(shutdown.requested());
  CHECK_TRUE(shutdown.Request(Status::OK()));
  CHECK_FALSE(shutdown.Request(Status::Unavailable("x", "later")));
  LONGS_EQUAL(1, stops);
  CHECK_TRUE(shutdown.reason().ok());
}

TEST(Shutdown, AttachingAfterARequestStopsAtOnce) {
  Shutdown shutdown(kNever, [](const Status&, const std::string&) {});
  shutdown.Request(Status::Unavailable("database_gone", "gone"));
  int stops = 0;
  shutdown.Attach([&stops] { ++stops; });
  LONGS_EQUAL(1, stops);
  STRCMP_EQUAL("database_gone", shutdown.reason().reason().c_str());
}

TEST(Shutdown, TheDeadlineFiresWithTheReasonWhenTheStopHangs) {
  std::atomic<int> fired{0};
  std::atomic<bool> failed{false};
  std::string seen_step;
  Shutdown shutdown(std::chrono::milliseconds(10),
                    [&](const Status& why, const std::string& step) {
                      failed = !why.ok();
                      seen_step = step;
                      ++fired;
                    });
  shutdown.Enter("Zoom calls in flight");
  shutdown.Request(Status::Unavailable("database_gone", "gone"));
  while (fired == 0) usleep(1000);
  CHECK_TRUE(failed);
  STRCMP_EQUAL("Zoom calls in flight", seen_step.c_str());
}

TEST(Shutdown, FinishingInTimeNeverFiresTheDeadline) {
  std::atomic<int> fired{0};
  {
    Shutdown shutdown(kNever,
                      [&](const Status&, const std::string&) { ++fired; });
    shutdown.Request(Status::OK());
    shutdown.Finish();
  }
  LONGS_EQUAL(0, fired.load());
}

}  // namespace telemed
