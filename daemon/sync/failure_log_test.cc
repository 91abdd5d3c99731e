#include "sync/failure_log.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "base/log.h"

namespace telemed {

TEST_GROUP(RepeatedFailureLog) {
  CapturingLogger logger;
  RepeatedFailureLog log{&logger, 60 * 1000000};
};

TEST(RepeatedFailureLog, TheFirstOfAKindIsLoggedTheRestSummedUpOnce) {
  CHECK_TRUE(log.First("zoom_unavailable (down)", 0));
  CHECK_FALSE(log.First("zoom_unavailable (down)", 1000000));
  CHECK_FALSE(log.First("zoom_unavailable (down)", 2000000));
  CHECK_TRUE(log.First("zoom_scope_missing (x)", 2000000));  // another kind
  log.Flush(59 * 1000000);
  CHECK_TRUE(logger.Lines().empty());
  log.Flush(60 * 1000000);
  LONGS_EQUAL(1, logger.Lines().size());
  STRCMP_CONTAINS(
      "2 more call(s) failed the same way in 60 s: "
      "zoom_unavailable (down)",
      logger.Lines()[0].c_str());
  log.Flush(120 * 1000000);  // nothing repeated the scope error
  LONGS_EQUAL(1, logger.Lines().size());
  CHECK_TRUE(log.First("zoom_unavailable (down)", 121 * 1000000));
}

TEST(RepeatedFailureLog, ALateRepeatStartsANewWindowAfterTheSummary) {
  CHECK_TRUE(log.First("k", 0));
  CHECK_FALSE(log.First("k", 1));
  CHECK_TRUE(log.First("k", 61 * 1000000));
  LONGS_EQUAL(1, logger.Lines().size());
  STRCMP_CONTAINS("1 more call(s)", logger.Lines()[0].c_str());
}

}  // namespace telemed
