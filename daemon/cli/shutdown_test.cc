#include "cli/shutdown.h"

#include <CppUTest/TestHarness.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

namespace telemed {
namespace cli {

namespace {
constexpr std::chrono::hours kNever(1);
}  // namespace

TEST_GROUP(Shutdown){};

TEST(Shutdown, TheFirstRequestStopsWhatIsAttachedOnce) {
  Shutdown shutdown(kNever, [](const Status&) {});
  int stops = 0;
  shutdown.Attach([&stops] { ++stops; });
  CHECK_FALSE(shutdown.requested());
  CHECK_TRUE(shutdown.Request(Status::OK()));
  CHECK_FALSE(shutdown.Request(Status::Unavailable("x", "later")));
  LONGS_EQUAL(1, stops);
  CHECK_TRUE(shutdown.reason().ok());
}

TEST(Shutdown, AttachingAfterARequestStopsAtOnce) {
  Shutdown shutdown(kNever, [](const Status&) {});
  shutdown.Request(Status::Unavailable("database_gone", "gone"));
  int stops = 0;
  shutdown.Attach([&stops] { ++stops; });
  LONGS_EQUAL(1, stops);
  STRCMP_EQUAL("database_gone", shutdown.reason().reason().c_str());
}

TEST(Shutdown, TheDeadlineFiresWithTheReasonWhenTheStopHangs) {
  std::atomic<int> fired{0};
  std::atomic<bool> failed{false};
  Shutdown shutdown(std::chrono::milliseconds(10), [&](const Status& why) {
    failed = !why.ok();
    ++fired;
  });
  shutdown.Request(Status::Unavailable("database_gone", "gone"));
  while (fired == 0) usleep(1000);
  CHECK_TRUE(failed);
}

TEST(Shutdown, FinishingInTimeNeverFiresTheDeadline) {
  std::atomic<int> fired{0};
  {
    Shutdown shutdown(kNever, [&](const Status&) { ++fired; });
    shutdown.Request(Status::OK());
    shutdown.Finish();
  }
  LONGS_EQUAL(0, fired.load());
}

}  // namespace cli
}  // namespace telemed
