#include "base/time_zone.h"

#include <CppUTest/TestHarness.h>

#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace telemed {

TEST_GROUP(TimeZone){};

constexpr char kZoneinfo[] = "/usr/share/zoneinfo";

TEST(TimeZone, BerlinInWinterAndSummer) {
  TimeZone zone;
  Status s = TimeZone::Load(kZoneinfo, "Europe/Berlin", &zone);
  CHECK_TRUE(s.ok());
  // 2026-12-03T13:30:00Z is 14:30 CET; 2026-07-01T12:00:00Z is 14:00 CEST.
  LONGS_EQUAL(3600, zone.OffsetAt(1796304600));
  STRCMP_EQUAL(
      "2026-12-03 14:30",
      FormatLocalMinute(1796304600, zone.OffsetAt(1796304600)).c_str());
  LONGS_EQUAL(7200, zone.OffsetAt(1782907200));
}

TEST(TimeZone, TheDaylightSavingSwitchIsExact) {
  TimeZone zone;
  CHECK_TRUE(TimeZone::Load(kZoneinfo, "Europe/Berlin", &zone).ok());
  // Summer time began 2026-03-29T01:00:00Z.
  LONGS_EQUAL(3600, zone.OffsetAt(1774746000 - 1));
  LONGS_EQUAL(7200, zone.OffsetAt(1774746000));
}

TEST(TimeZone, ZonesWestOfUtcAndUtcItself) {
  TimeZone zone;
  CHECK_TRUE(TimeZone::Load(kZoneinfo, "America/New_York", &zone).ok());
  LONGS_EQUAL(-5 * 3600, zone.OffsetAt(1796304600));
  STRCMP_EQUAL(
      "2026-12-03 08:30",
      FormatLocalMinute(1796304600, zone.OffsetAt(1796304600)).c_str());
  CHECK_TRUE(TimeZone::Load(kZoneinfo, "UTC", &zone).ok());
  LONGS_EQUAL(0, zone.OffsetAt(1796304600));
}

TEST(TimeZone, AfterTheLastTransitionTheLastOffsetHolds) {
  TimeZone zone;
  CHECK_TRUE(TimeZone::Load(kZoneinfo, "Asia/Kolkata", &zone).ok());
  LONGS_EQUAL(19800, zone.OffsetAt(4102444800));  // 2100
}

TEST(TimeZone, RefusesWhatIsNotAZone) {
  TimeZone zone;
  STRCMP_EQUAL(
      "invalid_timezone",
      TimeZone::Load(kZoneinfo, "../etc/passwd", &zone).reason().c_str());
  STRCMP_EQUAL("invalid_timezone",
               TimeZone::Load(kZoneinfo, "", &zone).reason().c_str());
  STRCMP_EQUAL(
      "unknown_timezone",
      TimeZone::Load(kZoneinfo, "Mars/Olympus", &zone).reason().c_str());
  test::TempDir dir;
  std::ofstream(dir.File("Fake")) << "TZif but far too short";
  STRCMP_EQUAL("invalid_timezone",
               TimeZone::Load(dir.path(), "Fake", &zone).reason().c_str());
}

}  // namespace telemed
