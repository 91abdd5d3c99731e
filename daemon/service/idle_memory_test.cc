#include "service/idle_memory.h"

#include <CppUTest/TestHarness.h>

namespace telemed {

TEST_GROUP(IdleMemory) {
  uint64_t activity = 0;
  int releases = 0;
  IdleMemory idle{[this] { return activity; }, [this] { ++releases; }};
};

TEST(IdleMemory, NothingToGiveBackWithoutActivity) {
  CHECK_FALSE(idle.Tick());
  CHECK_FALSE(idle.Tick());
  LONGS_EQUAL(0, releases);
}

TEST(IdleMemory, ReleasesOnceAfterTheFirstQuietPeriod) {
  activity = 5;
  CHECK_FALSE(idle.Tick());  // busy
  activity = 9;
  CHECK_FALSE(idle.Tick());  // still busy
  CHECK_TRUE(idle.Tick());   // quiet: release
  CHECK_FALSE(idle.Tick());  // quiet again: nothing new to give back
  LONGS_EQUAL(1, releases);
  activity = 10;
  CHECK_FALSE(idle.Tick());
  CHECK_TRUE(idle.Tick());
  LONGS_EQUAL(2, releases);
}

}  // namespace telemed
