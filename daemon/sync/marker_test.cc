#include "sync/marker.h"

#include <CppUTest/TestHarness.h>

#include "base/random.h"
#include "secrets/secret_key.h"
#include "sync/backoff.h"

namespace telemed {

TEST_GROUP(Marker){};

TEST(Marker, IsShortStablePerAttemptAndKeyed) {
  uint8_t bytes[32] = {1};
  auto key = SecretKey::FromBytes(bytes);
  MarkerMaker maker(*key);
  std::string marker = maker.Marker("a1", 1);
  LONGS_EQUAL(15, marker.size());
  STRCMP_EQUAL(marker.c_str(), maker.Marker("a1", 1).c_str());
  CHECK(marker != maker.Marker("a1", 2));
  CHECK(marker != maker.Marker("a2", 1));
  uint8_t other[32] = {2};
  auto other_key = SecretKey::FromBytes(other);
  CHECK(marker != MarkerMaker(*other_key).Marker("a1", 1));
  CHECK_TRUE(MarkerMaker::AgendaCarries(marker + " Video visit", marker));
  CHECK_FALSE(MarkerMaker::AgendaCarries("x" + marker, marker));
}

TEST_GROUP(Backoff){};

TEST(Backoff, GrowsWithJitterAndIsCapped) {
  std::unique_ptr<RandomSource> random;
  CHECK_TRUE(RealRandom::Open(&random).ok());
  for (int i = 0; i < 50; ++i) {
    int64_t first = BackoffSeconds(1, random.get());
    CHECK(first >= 1 && first <= 1);
    int64_t fourth = BackoffSeconds(4, random.get());
    CHECK(fourth >= 4 && fourth <= 8);
    int64_t late = BackoffSeconds(30, random.get());
    CHECK(late >= kBackoffCapSeconds / 2 && late <= kBackoffCapSeconds);
  }
}

}  // namespace telemed
