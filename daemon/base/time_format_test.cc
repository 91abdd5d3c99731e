#include "base/time_format.h"

#include <CppUTest/TestHarness.h>

#include <cstdint>
#include <string>

namespace telemed {

namespace {

// Parses `text` and fails the test if it is refused.
int64_t MustParse(const char* text) {
  int64_t seconds = -1;
  Status s = ParseRfc3339(text, &seconds);
  if (!s.ok())
    FAIL(("refused " + std::string(text) + ": " + s.ToString()).c_str());
  return seconds;
}

// Checks that `text` is refused as invalid_start_time, and returns the
// message so a test can check which rule fired.
std::string MustRefuse(const char* text) {
  int64_t seconds = 12345;
  Status s = ParseRfc3339(text, &seconds);
  if (s.ok()) FAIL(("accepted " + std::string(text)).c_str());
  CHECK(s.code() == Status::Code::kValidation);
  STRCMP_EQUAL("invalid_start_time", s.reason().c_str());
  LONGS_EQUAL(12345, seconds);  // untouched on failure
  return s.message();
}

bool Contains(const std::string& haystack, const char* needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_GROUP(TimeFormat){};

TEST(TimeFormat, ParsesUtcWithZ) {
  LONGS_EQUAL(1780236000, MustParse("2026-05-31T14:00:00Z"));
}

TEST(TimeFormat, AcceptsLowerCaseTAndZ) {
  LONGS_EQUAL(1780236000, MustParse("2026-05-31t14:00:00z"));
}

TEST(TimeFormat, SubtractsPositiveOffset) {
  LONGS_EQUAL(1780236000 - 2 * 3600, MustParse("2026-05-31T14:00:00+02:00"));
}

TEST(TimeFormat, AddsNegativeOffsetAcrossMidnightAndMonth) {
  // 2026-02-28 23:30 at -01:00 is 2026-03-01 00:30 UTC.
  LONGS_EQUAL(1772325000, MustParse("2026-02-28T23:30:00-01:00"));
}

TEST(TimeFormat, AcceptsExtremeOffsets) {
  LONGS_EQUAL(1780236000 - (23 * 3600 + 59 * 60),
              MustParse("2026-05-31T14:00:00+23:59"));
  LONGS_EQUAL(1780236000 + 23 * 3600 + 59 * 60,
              MustParse("2026-05-31T14:00:00-23:59"));
}

TEST(TimeFormat, AcceptsAllZeroFraction) {
  LONGS_EQUAL(1780236000, MustParse("2026-05-31T14:00:00.0Z"));
  LONGS_EQUAL(1780236000, MustParse("2026-05-31T14:00:00.000000000Z"));
}

TEST(TimeFormat, RefusesNonZeroFraction) {
  CHECK(Contains(MustRefuse("2026-05-31T14:00:00.5Z"), "fraction"));
  CHECK(Contains(MustRefuse("2026-05-31T14:00:00.0001Z"), "fraction"));
}

TEST(TimeFormat, RefusesDotWithoutDigits) {
  MustRefuse("2026-05-31T14:00:00.Z");
}

TEST(TimeFormat, RefusesMissingOffset) {
  CHECK(Contains(MustRefuse("2026-05-31T14:00:00"), "missing UTC offset"));
  CHECK(Contains(MustRefuse("2026-05-31T14:00:00.000"), "missing UTC offset"));
}

TEST(TimeFormat, RefusesMalformedOffsets) {
  MustRefuse("2026-05-31T14:00:00+0200");
  MustRefuse("2026-05-31T14:00:00+02");
  MustRefuse("2026-05-31T14:00:00+2:00");
  MustRefuse("2026-05-31T14:00:00 Z");
  MustRefuse("2026-05-31T14:00:00UTC");
}

TEST(TimeFormat, RefusesOffsetOutOfRange) {
  MustRefuse("2026-05-31T14:00:00+24:00");
  MustRefuse("2026-05-31T14:00:00-05:60");
}

TEST(TimeFormat, RefusesImpossibleDays) {
  MustRefuse("2026-02-30T10:00:00Z");
  MustRefuse("2025-02-29T10:00:00Z");
  MustRefuse("2026-04-31T10:00:00Z");
  MustRefuse("2026-06-00T10:00:00Z");
  MustRefuse("2026-01-32T10:00:00Z");
}

TEST(TimeFormat, RefusesImpossibleMonths) {
  MustRefuse("2026-00-10T10:00:00Z");
  MustRefuse("2026-13-10T10:00:00Z");
}

TEST(TimeFormat, KnowsLeapYears) {
  LONGS_EQUAL(1709208000, MustParse("2024-02-29T12:00:00Z"));
  LONGS_EQUAL(951782400, MustParse("2000-02-29T00:00:00Z"));  // /400
  CHECK(13574563200 == MustParse("2400-02-29T00:00:00Z"));
  MustRefuse("2100-02-29T00:00:00Z");  // divisible by 100, not by 400
}

TEST(TimeFormat, RefusesHour24AndMinute60) {
  MustRefuse("2026-05-31T24:00:00Z");
  MustRefuse("2026-05-31T23:60:00Z");
}

TEST(TimeFormat, RefusesLeapSecond) {
  CHECK(Contains(MustRefuse("2016-12-31T23:59:60Z"), "leap"));
}

TEST(TimeFormat, RefusesBadSyntax) {
  MustRefuse("");
  MustRefuse("2026-05-31");
  MustRefuse("2026-05-31 14:00:00Z");
  MustRefuse(" 2026-05-31T14:00:00Z");
  MustRefuse("2026-05-31T14:00:00Z ");
  MustRefuse("2026-5-31T14:00:00Z");
  MustRefuse("+2026-05-31T14:00:00Z");
  MustRefuse("20260531T140000Z");
  MustRefuse("2026-05-31T14:00Z");
  MustRefuse("2026-05-31T14:00:00ZZ");
}

TEST(TimeFormat, RefusesEmbeddedNul) {
  int64_t seconds = 0;
  const std::string text("2026-05-31T14:00:00Z\0junk", 25);
  CHECK_FALSE(ParseRfc3339(text, &seconds).ok());
}

TEST(TimeFormat, AcceptsYearBounds) {
  LONGS_EQUAL(0, MustParse("1970-01-01T00:00:00Z"));
  CHECK(253402300799 == MustParse("9999-12-31T23:59:59Z"));
}

TEST(TimeFormat, RefusesYearsBefore1970) {
  MustRefuse("1969-12-31T23:59:59Z");
  MustRefuse("0000-01-01T00:00:00Z");
}

TEST(TimeFormat, RefusesOffsetsThatLeaveTheRangeInUtc) {
  MustRefuse("1970-01-01T00:00:00+00:01");
  MustRefuse("9999-12-31T23:59:59-00:01");
}

TEST(TimeFormat, FormatsEpochAndKnownInstants) {
  STRCMP_EQUAL("1970-01-01T00:00:00Z", FormatRfc3339Utc(0).c_str());
  STRCMP_EQUAL("2026-05-31T14:00:00Z", FormatRfc3339Utc(1780236000).c_str());
  STRCMP_EQUAL("2024-02-29T12:00:00Z", FormatRfc3339Utc(1709208000).c_str());
  STRCMP_EQUAL("9999-12-31T23:59:59Z", FormatRfc3339Utc(253402300799).c_str());
}

// Past the end of a 32-bit time_t (2038-01-19T03:14:07Z), which armhf
// still has: LONGLONGS_EQUAL, because LONGS_EQUAL would compare two
// truncated 32-bit longs there.
TEST(TimeFormat, ParsesAndFormatsInstantsAfter2038) {
  LONGLONGS_EQUAL(2147483648LL, MustParse("2038-01-19T03:14:08Z"));
  LONGLONGS_EQUAL(2240643600LL, MustParse("2041-01-01T10:00:00+01:00"));
  STRCMP_EQUAL("2038-01-19T03:14:08Z", FormatRfc3339Utc(2147483648LL).c_str());
  STRCMP_EQUAL("2106-02-07T06:28:16Z", FormatRfc3339Utc(4294967296LL).c_str());
}

TEST(TimeFormat, FormatsInstantsBeforeEpochOnTheRightDay) {
  STRCMP_EQUAL("1969-12-31T23:59:59Z", FormatRfc3339Utc(-1).c_str());
}

TEST(TimeFormat, FormatThenParseRoundTripsAcrossCenturies) {
  // Steps a day and an hour less a second from 1970 to 2500, so it visits
  // every leap-year rule, month end and hour of the day, and checks the two
  // independent calendar conversions against each other.
  for (int64_t t = 0; t < 16725225600; t += 86400 + 3599) {
    const std::string text = FormatRfc3339Utc(t);
    int64_t back = -1;
    Status s = ParseRfc3339(text, &back);
    if (!s.ok() || back != t) FAIL(text.c_str());
  }
}

}  // namespace telemed
