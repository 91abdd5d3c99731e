#include "model/validation.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "support/status_checks.h"

namespace telemed {

using test::CheckBadRequest;
using test::CheckOk;
using test::CheckUnprocessable;

namespace {

constexpr char kZoneinfo[] = "/usr/share/zoneinfo";

DoctorFields S2sDoctor() {
  DoctorFields fields;
  fields.name = "Dr. Ada";
  fields.zoom_user = "ada@example.org";
  return fields;
}

AppointmentFields AppointmentOfD1() {
  AppointmentFields fields;
  fields.doctor_id = "d1";
  fields.start_time = "2026-05-31T14:00:00Z";
  fields.duration_minutes = 30;
  return fields;
}

}  // namespace

TEST_GROUP(ModelIds){};

TEST(ModelIds, AcceptsEveryAllowedCharacter) {
  CHECK_TRUE(IsValidId("AZaz09._:-"));
  CHECK_TRUE(IsValidId("a"));
  CHECK_TRUE(IsValidId("..."));  // only "." and ".." are path tricks
  CHECK_TRUE(IsValidId(".hidden"));
  CHECK_TRUE(IsValidId("urn:appt:2026-05-31"));
}

TEST(ModelIds, AcceptsUpTo128Characters) {
  CHECK_TRUE(IsValidId(std::string(128, 'x')));
  CHECK_FALSE(IsValidId(std::string(129, 'x')));
}

TEST(ModelIds, RefusesEmptyDotAndDotDot) {
  CHECK_FALSE(IsValidId(""));
  CHECK_FALSE(IsValidId("."));
  CHECK_FALSE(IsValidId(".."));
}

TEST(ModelIds, RefusesOtherCharacters) {
  for (const char* id : {"a/b", "/", "a b", "a%2e", "a?b", "a#b", "a\\b",
                         "\xC3\xA9", "a+b", "a@b", "a\nb"}) {
    if (IsValidId(id)) FAIL(id);
  }
  CHECK_FALSE(IsValidId(std::string("a\0b", 3)));
}

TEST(ModelIds, CheckIdNamesFieldId) {
  CheckOk(CheckId("appt-1"));
  CheckBadRequest(CheckId(".."), "invalid_id", "id");
}

TEST_GROUP(ModelDoctor){};

TEST(ModelDoctor, BuildsS2sDoctorWithDefaultAuth) {
  Doctor doctor;
  CheckOk(BuildDoctor("d1", S2sDoctor(), &doctor));
  STRCMP_EQUAL("d1", doctor.id.c_str());
  STRCMP_EQUAL("Dr. Ada", doctor.name.c_str());
  STRCMP_EQUAL("ada@example.org", doctor.zoom_user.c_str());
  CHECK(doctor.auth == AuthMode::kS2s);
}

TEST(ModelDoctor, LeavesOutputAloneWhenRefused) {
  Doctor doctor;
  doctor.name = "kept";
  DoctorFields fields = S2sDoctor();
  fields.zoom_user.reset();
  CheckUnprocessable(BuildDoctor("d1", fields, &doctor), "missing_field",
                     "zoom_user");
  STRCMP_EQUAL("kept", doctor.name.c_str());
}

TEST(ModelDoctor, OauthDoctorMayLackZoomUser) {
  DoctorFields fields = S2sDoctor();
  fields.auth = "oauth";
  fields.zoom_user = "";
  Doctor doctor;
  CheckOk(BuildDoctor("d1", fields, &doctor));
  CHECK(doctor.auth == AuthMode::kOauth);
  STRCMP_EQUAL("", doctor.zoom_user.c_str());
}

TEST(ModelDoctor, ChecksTextOfEveryFieldBeforeAnyValue) {
  DoctorFields fields;  // name missing: a value error
  fields.auth = "s2s\n";
  Doctor doctor;
  CheckBadRequest(BuildDoctor("d1", fields, &doctor), "invalid_string", "auth");
}

TEST(ModelDoctor, ChecksNameBeforeAuth) {
  DoctorFields fields = S2sDoctor();
  fields.name = "";
  fields.auth = "saml";
  Doctor doctor;
  CheckUnprocessable(BuildDoctor("d1", fields, &doctor), "invalid_value",
                     "name");
  fields.name = "Dr. Ada";
  CheckUnprocessable(BuildDoctor("d1", fields, &doctor), "invalid_value",
                     "auth");
}

TEST(ModelDoctor, RefusesBadId) {
  Doctor doctor;
  CheckBadRequest(BuildDoctor("a/b", S2sDoctor(), &doctor), "invalid_id", "id");
}

TEST_GROUP(ModelAppointment){};

TEST(ModelAppointment, BuildsWithDefaults) {
  AppointmentRequest request;
  CheckOk(BuildAppointment("a1", AppointmentOfD1(), kZoneinfo, &request));
  STRCMP_EQUAL("a1", request.id.c_str());
  STRCMP_EQUAL("d1", request.doctor_id.c_str());
  LONGS_EQUAL(30, request.duration_minutes);
  STRCMP_EQUAL("UTC", request.timezone.c_str());
  STRCMP_EQUAL("", request.topic.c_str());
  CHECK_FALSE(request.cancelled);
}

TEST(ModelAppointment, ChecksValuesInFieldOrder) {
  AppointmentFields fields = AppointmentOfD1();
  fields.start_time = "yesterday";
  fields.duration_minutes = 0;
  AppointmentRequest request;
  CheckUnprocessable(BuildAppointment("a1", fields, kZoneinfo, &request),
                     "invalid_start_time", "start_time");
  fields.start_time.reset();
  CheckUnprocessable(BuildAppointment("a1", fields, kZoneinfo, &request),
                     "missing_field", "start_time");
}

TEST(ModelAppointment, RefusesControlCharactersInTopic) {
  AppointmentFields fields = AppointmentOfD1();
  fields.topic = "a\x1B[2Jb";
  AppointmentRequest request;
  CheckBadRequest(BuildAppointment("a1", fields, kZoneinfo, &request),
                  "invalid_string", "topic");
}

TEST(ModelAppointment, ChecksZoneAgainstTheGivenDirectory) {
  CheckOk(CheckTimezone("Europe/Berlin", kZoneinfo));
  CheckUnprocessable(CheckTimezone("Europe/Berlin", "/nonexistent"),
                     "invalid_timezone", "timezone");
  CheckUnprocessable(CheckTimezone("../etc/passwd", kZoneinfo),
                     "invalid_timezone", "timezone");
}

}  // namespace telemed
