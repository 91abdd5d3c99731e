#include "api/request_parse.h"

#include <CppUTest/TestHarness.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "support/status_checks.h"

namespace telemed {

using test::CheckBadRequest;
using test::CheckOk;
using test::CheckRefusal;
using test::CheckUnprocessable;

namespace {

constexpr char kZoneinfo[] = "/usr/share/zoneinfo";

std::string Repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

// An appointment body as raw JSON fragments, so a test can swap one value
// for anything, including bad JSON types. An empty fragment leaves the
// member out.
struct AppointmentJson {
  std::string doctor_id = "\"d1\"";
  std::string start_time = "\"2026-05-31T14:00:00Z\"";
  std::string duration = "30";
  std::string timezone;
  std::string topic;
  std::string cancelled;
  std::string extra;  // more members, written as-is ("\"k\": 1")

  std::string ToString() const {
    std::string out = "{";
    Add(&out, "doctor_id", doctor_id);
    Add(&out, "start_time", start_time);
    Add(&out, "duration_minutes", duration);
    Add(&out, "timezone", timezone);
    Add(&out, "topic", topic);
    Add(&out, "cancelled", cancelled);
    if (!extra.empty()) out += (out.size() > 1 ? ", " : "") + extra;
    return out + "}";
  }

 private:
  static void Add(std::string* out, const char* key, const std::string& raw) {
    if (raw.empty()) return;
    if (out->size() > 1) *out += ", ";
    *out += "\"" + std::string(key) + "\": " + raw;
  }
};

}  // namespace

// ---------------------------------------------------------------- appointments

TEST_GROUP(RequestParseAppointment) {
  AppointmentJson json;
  AppointmentRequest out;

  Status Parse() { return Parse(json.ToString()); }
  Status Parse(const std::string& body) {
    return ParseAppointmentBody("a1", body, &out, kZoneinfo);
  }
};

TEST(RequestParseAppointment, ParsesMinimalBodyWithDefaults) {
  CheckOk(Parse());
  STRCMP_EQUAL("a1", out.id.c_str());
  STRCMP_EQUAL("d1", out.doctor_id.c_str());
  CHECK(out.start_time == 1780236000);
  LONGS_EQUAL(30, out.duration_minutes);
  STRCMP_EQUAL("UTC", out.timezone.c_str());
  STRCMP_EQUAL("", out.topic.c_str());
  CHECK_FALSE(out.cancelled);
}

TEST(RequestParseAppointment, ParsesEveryField) {
  json.start_time = "\"2026-05-31T16:00:00+02:00\"";
  json.timezone = "\"Europe/Berlin\"";
  json.topic = "\"Follow-up\"";
  json.cancelled = "true";
  CheckOk(Parse());
  CHECK(out.start_time == 1780236000);  // normalised to UTC
  STRCMP_EQUAL("Europe/Berlin", out.timezone.c_str());
  STRCMP_EQUAL("Follow-up", out.topic.c_str());
  CHECK_TRUE(out.cancelled);
}

TEST(RequestParseAppointment, LeavesOutputAloneWhenRefused) {
  out.doctor_id = "before";
  json.duration = "0";
  CHECK_FALSE(Parse().ok());
  STRCMP_EQUAL("before", out.doctor_id.c_str());
}

TEST(RequestParseAppointment, RefusesBadPathId) {
  CheckBadRequest(ParseAppointmentBody("..", json.ToString(), &out, kZoneinfo),
                  "invalid_id", "id");
}

TEST(RequestParseAppointment, AcceptsDurationBoundaries) {
  json.duration = "1";
  CheckOk(Parse());
  LONGS_EQUAL(1, out.duration_minutes);
  json.duration = "1440";
  CheckOk(Parse());
  LONGS_EQUAL(1440, out.duration_minutes);
}

TEST(RequestParseAppointment, RefusesDurationOutsideRange) {
  for (const char* value : {"0", "-0", "-1", "1441", "-1440"}) {
    json.duration = value;
    CheckUnprocessable(Parse(), "invalid_duration", "duration_minutes");
  }
}

TEST(RequestParseAppointment, AcceptsWholeDurationWrittenAsDecimal) {
  json.duration = "30.0";
  CheckOk(Parse());
  LONGS_EQUAL(30, out.duration_minutes);
  json.duration = "1e2";
  CheckOk(Parse());
  LONGS_EQUAL(100, out.duration_minutes);
  json.duration = "1.44E3";
  CheckOk(Parse());
  LONGS_EQUAL(1440, out.duration_minutes);
}

TEST(RequestParseAppointment, RefusesFractionalDuration) {
  json.duration = "30.5";
  CheckUnprocessable(Parse(), "invalid_duration", "duration_minutes");
  json.duration = "1440.0001";
  CheckUnprocessable(Parse(), "invalid_duration", "duration_minutes");
}

TEST(RequestParseAppointment, RefusesHugeDurations) {
  // 2^32 + 30 would pass as 30 if read through a truncating int, and
  // 2147483648 is where cJSON's valueint saturates.
  for (const char* value : {"4294967326", "2147483648", "1e308", "1e400",
                            "-1e400", "9007199254740993"}) {
    json.duration = value;
    CheckUnprocessable(Parse(), "invalid_duration", "duration_minutes");
  }
}

TEST(RequestParseAppointment, RefusesDurationOfWrongType) {
  for (const char* value : {"\"30\"", "true", "[30]", "{}"}) {
    json.duration = value;
    CheckBadRequest(Parse(), "invalid_type", "duration_minutes");
  }
}

TEST(RequestParseAppointment, RefusesMissingRequiredFields) {
  json.doctor_id = "";
  CheckUnprocessable(Parse(), "missing_field", "doctor_id");
  json = AppointmentJson();
  json.start_time = "";
  CheckUnprocessable(Parse(), "missing_field", "start_time");
  json = AppointmentJson();
  json.duration = "";
  CheckUnprocessable(Parse(), "missing_field", "duration_minutes");
}

TEST(RequestParseAppointment, TreatsNullRequiredFieldAsMissing) {
  json.duration = "null";
  CheckUnprocessable(Parse(), "missing_field", "duration_minutes");
  json = AppointmentJson();
  json.doctor_id = "null";
  CheckUnprocessable(Parse(), "missing_field", "doctor_id");
}

TEST(RequestParseAppointment, MatchesFieldNamesCaseSensitively) {
  json.doctor_id = "";
  json.extra = "\"Doctor_ID\": \"d1\", \"DOCTOR_ID\": \"d1\"";
  CheckUnprocessable(Parse(), "missing_field", "doctor_id");
  json = AppointmentJson();
  json.cancelled = "";
  json.extra = "\"Cancelled\": true";
  CheckOk(Parse());
  CHECK_FALSE(out.cancelled);
}

TEST(RequestParseAppointment, RefusesDoctorIdOfWrongType) {
  json.doctor_id = "42";
  CheckBadRequest(Parse(), "invalid_type", "doctor_id");
}

TEST(RequestParseAppointment, RefusesDoctorIdThatCannotBeAnId) {
  for (const char* value : {"\"\"", "\"..\"", "\"a b\"", "\"a/b\""}) {
    json.doctor_id = value;
    CheckUnprocessable(Parse(), "invalid_value", "doctor_id");
  }
}

TEST(RequestParseAppointment, RefusesBadStartTimesNamingTheField) {
  for (const char* value :
       {"\"2026-05-31T14:00:00\"", "\"2026-02-30T10:00:00Z\"",
        "\"2026-05-31T14:00:00.5Z\"", "\"2026-05-31T24:00:00Z\"",
        "\"tomorrow\"", "\"\""}) {
    json.start_time = value;
    CheckUnprocessable(Parse(), "invalid_start_time", "start_time");
  }
}

TEST(RequestParseAppointment, RefusesStartTimeOfWrongType) {
  json.start_time = "1780236000";
  CheckBadRequest(Parse(), "invalid_type", "start_time");
}

TEST(RequestParseAppointment, AcceptsTopicOf200CodePoints) {
  // 200 two-byte characters: 400 bytes, still 200 characters.
  json.topic = "\"" + Repeat("\xC3\xA9", 200) + "\"";
  CheckOk(Parse());
  LONGS_EQUAL(400, out.topic.size());
  json.topic = "\"" + Repeat("\xF0\x9F\x98\x80", 200) + "\"";
  CheckOk(Parse());
}

TEST(RequestParseAppointment, RefusesTopicOf201CodePoints) {
  json.topic = "\"" + Repeat("\xC3\xA9", 201) + "\"";
  CheckUnprocessable(Parse(), "topic_too_long", "topic");
  json.topic = "\"" + Repeat("a", 201) + "\"";
  CheckUnprocessable(Parse(), "topic_too_long", "topic");
}

TEST(RequestParseAppointment, CountsEscapedTopicCharactersOnce) {
  json.topic = "\"" + Repeat("\\u00e9", 200) + "\"";
  CheckOk(Parse());
  json.topic = "\"" + Repeat("\\ud83d\\ude00", 201) + "\"";
  CheckUnprocessable(Parse(), "topic_too_long", "topic");
}

TEST(RequestParseAppointment, TreatsMissingNullAndEmptyTopicAlike) {
  for (const char* value : {"", "null", "\"\""}) {
    json.topic = value;
    out.topic = "stale";
    CheckOk(Parse());
    STRCMP_EQUAL("", out.topic.c_str());
  }
}

TEST(RequestParseAppointment, RefusesTopicOfWrongType) {
  json.topic = "7";
  CheckBadRequest(Parse(), "invalid_type", "topic");
}

TEST(RequestParseAppointment, RefusesNulEscapeAnywhere) {
  // cJSON would cut "ab\u0000cd" to "ab" without a word.
  json.topic = "\"ab\\u0000cd\"";
  CheckBadRequest(Parse(), "invalid_string", "");
  json = AppointmentJson();
  json.doctor_id = "";
  json.extra = "\"doctor_id\\u0000x\": \"d1\"";
  CheckBadRequest(Parse(), "invalid_string", "");
  json = AppointmentJson();
  json.extra = "\"note\": \"\\u0000\"";
  CheckBadRequest(Parse(), "invalid_string", "");
}

TEST(RequestParseAppointment, KeepsEscapedBackslashBeforeU0000) {
  // "\\u0000" in JSON is a backslash followed by the text u0000: no NUL.
  json.topic = "\"a\\\\u0000\"";
  CheckOk(Parse());
  STRCMP_EQUAL("a\\u0000", out.topic.c_str());
}

TEST(RequestParseAppointment, RefusesRawInvalidUtf8NamingTheField) {
  for (const char* bad : {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82"}) {
    json.topic = std::string("\"x") + bad + "\"";
    CheckBadRequest(Parse(), "invalid_string", "topic");
  }
  json = AppointmentJson();
  json.doctor_id = "\"d\xFF\"";
  CheckBadRequest(Parse(), "invalid_string", "doctor_id");
}

TEST(RequestParseAppointment, RefusesRawInvalidUtf8InIgnoredFields) {
  json.extra = "\"note\": \"\xFF\"";
  CheckBadRequest(Parse(), "invalid_string", "");
  json.extra = "\"n\xC0\xAF\": 1";
  CheckBadRequest(Parse(), "invalid_string", "");
}

TEST(RequestParseAppointment, RefusesRawNulByte) {
  std::string body = json.ToString();
  body.insert(body.find("Z\"") + 1, std::string(1, '\0'));
  CheckBadRequest(Parse(body), "invalid_json", "");
  CheckBadRequest(Parse(json.ToString() + std::string(1, '\0') + "{"),
                  "invalid_json", "");
}

TEST(RequestParseAppointment, RequiresCancelledToBeBool) {
  for (const char* value : {"\"true\"", "1", "0", "\"false\""}) {
    json.cancelled = value;
    CheckBadRequest(Parse(), "invalid_type", "cancelled");
  }
}

TEST(RequestParseAppointment, ReadsCancelledAndDefaultsNullToFalse) {
  json.cancelled = "true";
  CheckOk(Parse());
  CHECK_TRUE(out.cancelled);
  json.cancelled = "false";
  CheckOk(Parse());
  CHECK_FALSE(out.cancelled);
  json.cancelled = "null";
  CheckOk(Parse());
  CHECK_FALSE(out.cancelled);
}

TEST(RequestParseAppointment, AcceptsRealZones) {
  for (const char* zone : {"Europe/Berlin", "America/Argentina/Buenos_Aires",
                           "UTC", "Etc/GMT+5", "Etc/GMT-14"}) {
    json.timezone = "\"" + std::string(zone) + "\"";
    CheckOk(Parse());
    STRCMP_EQUAL(zone, out.timezone.c_str());
  }
}

TEST(RequestParseAppointment, DefaultsNullTimezoneToUtc) {
  json.timezone = "null";
  CheckOk(Parse());
  STRCMP_EQUAL("UTC", out.timezone.c_str());
}

TEST(RequestParseAppointment, RefusesBadZoneNames) {
  for (const char* zone :
       {"../etc/passwd", "Europe/../UTC", "posix/Europe/Berlin", "right/UTC",
        "localtime", "posixrules", "zone.tab", "Mars/Olympus", "",
        "/Europe/Berlin", "Europe//Berlin", "Europe/Berlin/", "Europe",
        "europe/berlin", "Europe/berlin", "Europe/Berlin ",
        "Europe\\\\Berlin"}) {
    json.timezone = "\"" + std::string(zone) + "\"";
    CheckUnprocessable(Parse(), "invalid_timezone", "timezone");
  }
}

// Control characters are a 400 like invalid UTF-8, in every stored string:
// a terminal or screen that shows them later would act on them.
TEST(RequestParseAppointment, RefusesControlCharactersNamingTheField) {
  for (const char* text : {"a\\tb", "a\\nb", "\\u001b[2J", "a\\u007f",
                           "a\\u0080", "a\\u009b", "a\\u009f", "\\r",
                           "a\x1b"
                           "b",
                           "a\xC2\x85"}) {
    AppointmentJson bad = json;
    bad.topic = "\"" + std::string(text) + "\"";
    out = AppointmentRequest();
    CheckBadRequest(ParseAppointmentBody("a1", bad.ToString(), &out, kZoneinfo),
                    "invalid_string", "topic");
    CHECK(out.id.empty());
    bad = json;
    bad.timezone = "\"Etc/GMT+5" + std::string(text) + "\"";
    CheckBadRequest(ParseAppointmentBody("a1", bad.ToString(), &out, kZoneinfo),
                    "invalid_string", "timezone");
  }
  // The neighbours of the control ranges are ordinary text.
  json.topic = "\"a b ~ \\u00a0 \\u00a9 \\u2028\"";
  CheckOk(Parse());
}

TEST(RequestParseAppointment, RefusesDuplicateKeysAtAnyDepthNamingTheKey) {
  json.cancelled = "false";
  json.extra = "\"cancelled\": true";
  CheckBadRequest(Parse(), "invalid_json", "cancelled");
  json.extra = "\"colour\": {\"a\": 1, \"b\": [{\"x\": 1, \"x\": 2}]}";
  CheckBadRequest(Parse(), "invalid_json", "x");
  // An escape spelling the same key is the same key.
  json.extra = "\"cancel\\u006ced\": true";
  CheckBadRequest(Parse(), "invalid_json", "cancelled");
  // The same key in different objects is fine.
  json.extra = "\"p\": {\"cancelled\": 1}, \"q\": [{\"x\": 1}, {\"x\": 2}]";
  CheckOk(Parse());
}

TEST(RequestParseAppointment, RefusesTimezoneOfWrongType) {
  json.timezone = "1";
  CheckBadRequest(Parse(), "invalid_type", "timezone");
}

TEST(RequestParseAppointment, RefusesBodiesThatAreNotObjects) {
  for (const char* body : {"", "[]", "\"x\"", "42", "null", "{", "{\"a\":}",
                           "{} x", "{}{}", "{'a': 1}"}) {
    CheckBadRequest(Parse(body), "invalid_json", "");
  }
}

TEST(RequestParseAppointment, AcceptsSurroundingWhitespace) {
  CheckOk(Parse(" \n\t" + json.ToString() + " \r\n"));
}

TEST(RequestParseAppointment, SurvivesDeepNesting) {
  json.extra = "\"deep\": " + Repeat("[", 5000) + Repeat("]", 5000);
  CheckBadRequest(Parse(), "invalid_json", "");
}

TEST(RequestParseAppointment, IgnoresUnknownAndReadOnlyFields) {
  json.extra =
      "\"id\": \"other\", \"sync_status\": \"synced\", \"meeting\": "
      "{\"id\": \"98765432101\"}, \"error\": null, \"revision\": 7, "
      "\"updated_at\": \"2026-01-01T00:00:00Z\", \"colour\": [1, 2]";
  CheckOk(Parse());
  STRCMP_EQUAL("a1", out.id.c_str());
}

// A zoneinfo directory of our own, for the files the system one lacks.
TEST_GROUP(RequestParseZoneFiles) {
  std::string dir;
  std::vector<std::string> files;
  AppointmentRequest out;
  const std::string kTzif = std::string("TZif2") + std::string(40, '\0');

  void setup() override {
    char templ[] = "/tmp/zoneinfo_test.XXXXXX";
    CHECK(mkdtemp(templ) != nullptr);
    dir = templ;
    CHECK_EQUAL(0, mkdir((dir + "/Test").c_str(), 0700));
    Write("Test/Good", kTzif);
    Write("Test/Text", "this is not a zone file");
    Write("Test/Short", "TZ");
    Write("Test/Empty", "");
    // "Test/" + 59 = 64 characters, the longest name allowed; one more is
    // refused although the file is a fine zone.
    Write("Test/" + std::string(59, 'L'), kTzif);
    Write("Test/" + std::string(60, 'L'), kTzif);
    CHECK_EQUAL(0, symlink("Good", (dir + "/Test/Link").c_str()));
    files.push_back("Test/Link");
    CHECK_EQUAL(0, symlink("Nowhere", (dir + "/Test/Dangling").c_str()));
    files.push_back("Test/Dangling");
  }

  void teardown() override {
    for (const std::string& file : files) unlink((dir + "/" + file).c_str());
    rmdir((dir + "/Test").c_str());
    rmdir(dir.c_str());
  }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir + "/" + name, std::ios::binary) << content;
    files.push_back(name);
  }

  Status Parse(const char* zone) {
    AppointmentJson json;
    json.timezone = "\"" + std::string(zone) + "\"";
    return ParseAppointmentBody("a1", json.ToString(), &out, dir);
  }
};

TEST(RequestParseZoneFiles, AcceptsFileStartingWithTzif) {
  CheckOk(Parse("Test/Good"));
}

TEST(RequestParseZoneFiles, FollowsSymlinkToZoneFile) {
  CheckOk(Parse("Test/Link"));
}

TEST(RequestParseZoneFiles, RefusesFilesThatAreNotZones) {
  for (const char* zone : {"Test/Text", "Test/Short", "Test/Empty",
                           "Test/Dangling", "Test", "Test/Missing"}) {
    CheckUnprocessable(Parse(zone), "invalid_timezone", "timezone");
  }
}

TEST(RequestParseZoneFiles, AcceptsNamesUpTo64Characters) {
  CheckOk(Parse(("Test/" + std::string(59, 'L')).c_str()));
  CheckUnprocessable(Parse(("Test/" + std::string(60, 'L')).c_str()),
                     "invalid_timezone", "timezone");
}

TEST(RequestParseZoneFiles, LooksOnlyInTheGivenDirectory) {
  CheckUnprocessable(Parse("Europe/Berlin"), "invalid_timezone", "timezone");
}

// ---------------------------------------------------------------- doctors

TEST_GROUP(RequestParseDoctor) {
  Doctor out;
  Status Parse(const std::string& body) {
    return ParseDoctorBody("doc-1", body, &out);
  }
};

TEST(RequestParseDoctor, ParsesS2sDoctorWithDefaultAuth) {
  CheckOk(
      Parse("{\"name\": \"Dr. Ada\", \"zoom_user\": \"ada@clinic.example\"}"));
  STRCMP_EQUAL("doc-1", out.id.c_str());
  STRCMP_EQUAL("Dr. Ada", out.name.c_str());
  STRCMP_EQUAL("ada@clinic.example", out.zoom_user.c_str());
  CHECK(out.auth == AuthMode::kS2s);
}

TEST(RequestParseDoctor, ParsesExplicitAuthModes) {
  CheckOk(Parse("{\"name\": \"A\", \"zoom_user\": \"u1\", \"auth\": \"s2s\"}"));
  CHECK(out.auth == AuthMode::kS2s);
  CheckOk(
      Parse("{\"name\": \"A\", \"zoom_user\": \"u1\", \"auth\": \"oauth\"}"));
  CHECK(out.auth == AuthMode::kOauth);
  CheckOk(Parse("{\"name\": \"A\", \"zoom_user\": \"u1\", \"auth\": null}"));
  CHECK(out.auth == AuthMode::kS2s);
}

TEST(RequestParseDoctor, AllowsOauthDoctorWithoutZoomUser) {
  for (const char* zoom_user :
       {"", ", \"zoom_user\": null", ", \"zoom_user\": \"\""}) {
    CheckOk(Parse(std::string("{\"name\": \"A\", \"auth\": \"oauth\"") +
                  zoom_user + "}"));
    STRCMP_EQUAL("", out.zoom_user.c_str());
  }
}

TEST(RequestParseDoctor, RequiresZoomUserForS2s) {
  CheckUnprocessable(Parse("{\"name\": \"A\"}"), "missing_field", "zoom_user");
  CheckUnprocessable(Parse("{\"name\": \"A\", \"zoom_user\": null}"),
                     "missing_field", "zoom_user");
  CheckUnprocessable(Parse("{\"name\": \"A\", \"zoom_user\": \"\"}"),
                     "missing_field", "zoom_user");
}

TEST(RequestParseDoctor, RefusesUnknownAuth) {
  for (const char* auth : {"\"S2S\"", "\"basic\"", "\"\"", "\"oauth \""}) {
    CheckUnprocessable(Parse(std::string("{\"name\": \"A\", \"zoom_user\": "
                                         "\"u\", \"auth\": ") +
                             auth + "}"),
                       "invalid_value", "auth");
  }
  CheckBadRequest(Parse("{\"name\": \"A\", \"zoom_user\": \"u\", \"auth\": 1}"),
                  "invalid_type", "auth");
}

TEST(RequestParseDoctor, RequiresName) {
  CheckUnprocessable(Parse("{\"zoom_user\": \"u\"}"), "missing_field", "name");
  CheckUnprocessable(Parse("{\"Name\": \"A\", \"zoom_user\": \"u\"}"),
                     "missing_field", "name");
  CheckUnprocessable(Parse("{\"name\": \"\", \"zoom_user\": \"u\"}"),
                     "invalid_value", "name");
  CheckBadRequest(Parse("{\"name\": [\"A\"], \"zoom_user\": \"u\"}"),
                  "invalid_type", "name");
}

TEST(RequestParseDoctor, AcceptsNameOf200CodePointsOnly) {
  const std::string u_umlaut = "\xC3\xBC";
  CheckOk(Parse("{\"name\": \"" + Repeat(u_umlaut, 200) +
                "\", \"zoom_user\": \"u\"}"));
  CheckUnprocessable(Parse("{\"name\": \"" + Repeat(u_umlaut, 201) +
                           "\", \"zoom_user\": \"u\"}"),
                     "invalid_value", "name");
}

TEST(RequestParseDoctor, AcceptsZoomUserOf128CharactersOnly) {
  CheckOk(Parse("{\"name\": \"A\", \"zoom_user\": \"" + std::string(128, 'z') +
                "\"}"));
  CheckUnprocessable(Parse("{\"name\": \"A\", \"zoom_user\": \"" +
                           std::string(129, 'z') + "\"}"),
                     "invalid_value", "zoom_user");
}

TEST(RequestParseDoctor, RefusesZoomUserWithSpaces) {
  for (const char* zoom_user :
       {"a b", " a", "a\\u00a0", "a\\u2028", "a\\u3000", "a\\ufeff"}) {
    CheckUnprocessable(
        Parse(std::string("{\"name\": \"A\", \"zoom_user\": \"") + zoom_user +
              "\"}"),
        "invalid_value", "zoom_user");
  }
}

TEST(RequestParseDoctor, RefusesControlCharactersInNameAndZoomUser) {
  for (const char* text :
       {"a\\t", "a\\n", "a\\u007f", "a\\u0085", "a\\u001f", "\\u001b[1A"}) {
    CheckBadRequest(Parse(std::string("{\"name\": \"A\", \"zoom_user\": \"") +
                          text + "\"}"),
                    "invalid_string", "zoom_user");
    CheckBadRequest(Parse(std::string("{\"name\": \"") + text +
                          "\", \"zoom_user\": \"u\"}"),
                    "invalid_string", "name");
  }
}

TEST(RequestParseDoctor, RefusesDuplicateKeys) {
  CheckBadRequest(
      Parse("{\"name\": \"A\", \"zoom_user\": \"u\", \"name\": \"B\"}"),
      "invalid_json", "name");
}

TEST(RequestParseDoctor, AcceptsNonAsciiZoomUser) {
  CheckOk(
      Parse("{\"name\": \"A\", \"zoom_user\": \"j\xC3\xB6rg@example.de\"}"));
}

TEST(RequestParseDoctor, RefusesInvalidStrings) {
  CheckBadRequest(Parse("{\"name\": \"A\", \"zoom_user\": \"u\xFF\"}"),
                  "invalid_string", "zoom_user");
  CheckBadRequest(Parse("{\"name\": \"A\\u0000B\", \"zoom_user\": \"u\"}"),
                  "invalid_string", "");
}

TEST(RequestParseDoctor, RefusesBodiesThatAreNotObjects) {
  CheckBadRequest(Parse("[\"A\"]"), "invalid_json", "");
  CheckBadRequest(Parse("name=A"), "invalid_json", "");
}

TEST(RequestParseDoctor, IgnoresUnknownAndReadOnlyFields) {
  CheckOk(
      Parse("{\"name\": \"A\", \"zoom_user\": \"u\", \"id\": \"x\", "
            "\"created_at\": 5, \"extra\": {}}"));
  STRCMP_EQUAL("doc-1", out.id.c_str());
}

TEST(RequestParseDoctor, RefusesBadPathId) {
  CheckBadRequest(ParseDoctorBody("a/b", "{}", &out), "invalid_id", "id");
}

// ---------------------------------------------------------------- feed query

TEST_GROUP(RequestParseFeedQuery) {
  FeedQuery out;
  Status Since(const std::string& v) {
    return ParseFeedQuery(&v, nullptr, nullptr, &out);
  }
  Status Limit(const std::string& v) {
    return ParseFeedQuery(nullptr, &v, nullptr, &out);
  }
  Status Wait(const std::string& v) {
    return ParseFeedQuery(nullptr, nullptr, &v, &out);
  }
};

TEST(RequestParseFeedQuery, UsesDefaultsWhenAbsent) {
  out.since = 9;
  out.limit = 9;
  out.wait_seconds = 9;
  CheckOk(ParseFeedQuery(nullptr, nullptr, nullptr, &out));
  CHECK(out.since == 0);
  CHECK(out.cursor.kind == FeedCursor::Kind::kSeq);
  CHECK(out.cursor.seq == 0);
  LONGS_EQUAL(100, out.limit);
  LONGS_EQUAL(0, out.wait_seconds);
}

TEST(RequestParseFeedQuery, ParsesAllThree) {
  const std::string since = "0123abcd-42", limit = "7", wait = "15";
  CheckOk(ParseFeedQuery(&since, &limit, &wait, &out));
  STRCMP_EQUAL("0123abcd", out.cursor.tag.c_str());
  CHECK(out.cursor.seq == 42);
  LONGS_EQUAL(7, out.limit);
  LONGS_EQUAL(15, out.wait_seconds);
}

TEST(RequestParseFeedQuery, AcceptsBareDecimalCursorsFromOlderReleases) {
  CheckOk(Since("42"));
  STRCMP_EQUAL("", out.cursor.tag.c_str());
  CHECK(out.cursor.seq == 42);
  CheckOk(Since("18446744073709551615"));
  CHECK(out.cursor.seq == UINT64_MAX);
  CheckBadRequest(Since("18446744073709551616"), "invalid_query", "since");
  CheckBadRequest(Since("99999999999999999999"), "invalid_query", "since");
}

TEST(RequestParseFeedQuery, AcceptsHead) {
  CheckOk(Since("head"));
  CHECK(out.cursor.kind == FeedCursor::Kind::kHead);
}

TEST(RequestParseFeedQuery, RefusesMalformedCursors) {
  for (const char* v : {"",
                        "-1",
                        "+1",
                        " 1",
                        "1 ",
                        "0x10",
                        "1.0",
                        "abc",
                        "HEAD",
                        "-",
                        "0123abcd-",
                        "0123abcd--1",
                        "0123ABCD-1",
                        "0123abc-1",
                        "0123abcde-1",
                        "0123abcg-1",
                        "0123abcd-1-2",
                        "0123abcd-+1",
                        "0123abcd-x",
                        "0123abcd-18446744073709551616"}) {
    CheckBadRequest(Since(v), "invalid_query", "since");
  }
}

TEST(RequestParseFeedQuery, FormattedCursorsParseBack) {
  const std::string id = "0123abcd456789ef0123abcd456789ef";
  STRCMP_EQUAL("0123abcd-77", FormatFeedCursor(id, 77).c_str());
  CheckOk(Since(FormatFeedCursor(id, 77)));
  uint64_t after = 0;
  CheckOk(ResolveFeedCursor(out.cursor, id, 77, &after));
  CHECK(after == 77);
}

TEST_GROUP(RequestParseFeedCursor) {
  const std::string id = "0123abcd456789ef0123abcd456789ef";
  uint64_t after = 99;
  Status Resolve(const char* since, uint64_t head) {
    FeedQuery query;
    const std::string text = since;
    Status s = ParseFeedQuery(&text, nullptr, nullptr, &query);
    if (!s.ok()) return s;
    return ResolveFeedCursor(query.cursor, id, head, &after);
  }
  void CheckInvalid(const char* since, uint64_t head) {
    after = 99;
    CheckRefusal(Resolve(since, head), Status::Code::kConflict,
                 "cursor_invalid", "since");
    CHECK(after == 99);
  }
};

TEST(RequestParseFeedCursor, ZeroIsTheStartOfEveryDatabase) {
  CheckOk(Resolve("0", 0));
  CHECK(after == 0);
  CheckOk(Resolve("0", 50));
  CHECK(after == 0);
}

TEST(RequestParseFeedCursor, HeadIsTheNewestChange) {
  CheckOk(Resolve("head", 50));
  CHECK(after == 50);
  CheckOk(Resolve("head", 0));
  CHECK(after == 0);
}

TEST(RequestParseFeedCursor, AcceptsThisDatabasesCursorsUpToTheHead) {
  CheckOk(Resolve("0123abcd-0", 50));
  CHECK(after == 0);
  CheckOk(Resolve("0123abcd-50", 50));
  CHECK(after == 50);
  CheckOk(Resolve("17", 50));
  CHECK(after == 17);
  CheckOk(Resolve("50", 50));
  CHECK(after == 50);
}

TEST(RequestParseFeedCursor, RefusesAnotherDatabasesCursor) {
  CheckInvalid("0123abce-5", 50);
  CheckInvalid("ffffffff-0", 50);
}

TEST(RequestParseFeedCursor, RefusesCursorsAheadOfTheDatabase) {
  CheckInvalid("0123abcd-51", 50);
  CheckInvalid("51", 50);
  CheckInvalid("1", 0);
  CheckInvalid("18446744073709551615", 50);
}

TEST_GROUP(RequestParseQueryNames){};

TEST(RequestParseQueryNames, AcceptsAllowedNamesOnce) {
  CheckOk(CheckQueryNames({}, {}));
  CheckOk(CheckQueryNames({"wait", "since"}, {"since", "limit", "wait"}));
}

TEST(RequestParseQueryNames, RefusesUnknownAndRepeatedNamesNamingThem) {
  CheckBadRequest(CheckQueryNames({"since", "cursor"}, {"since"}),
                  "invalid_query", "cursor");
  CheckBadRequest(CheckQueryNames({"x"}, {}), "invalid_query", "x");
  CheckBadRequest(CheckQueryNames({"since", "since"}, {"since"}),
                  "invalid_query", "since");
  // Case matters, as for JSON fields.
  CheckBadRequest(CheckQueryNames({"Since"}, {"since"}), "invalid_query",
                  "Since");
}

TEST(RequestParseFeedQuery, LimitBoundaries) {
  CheckOk(Limit("1"));
  LONGS_EQUAL(1, out.limit);
  CheckOk(Limit("500"));
  LONGS_EQUAL(500, out.limit);
  for (const char* v : {"0", "501", "-1", "", "1e2", "99999999999999999999"}) {
    CheckBadRequest(Limit(v), "invalid_query", "limit");
  }
}

TEST(RequestParseFeedQuery, WaitBoundaries) {
  CheckOk(Wait("0"));
  LONGS_EQUAL(0, out.wait_seconds);
  CheckOk(Wait("60"));
  LONGS_EQUAL(60, out.wait_seconds);
  for (const char* v : {"61", "1.5", "-0", "", "ten"}) {
    CheckBadRequest(Wait(v), "invalid_query", "wait");
  }
}

TEST(RequestParseFeedQuery, LeavesOutputAloneWhenRefused) {
  out.limit = 3;
  const std::string since = "5", limit = "0";
  CHECK_FALSE(ParseFeedQuery(&since, &limit, nullptr, &out).ok());
  LONGS_EQUAL(3, out.limit);
  CHECK(out.cursor.seq == 0);
}

}  // namespace telemed
