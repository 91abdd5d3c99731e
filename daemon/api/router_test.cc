#include "api/router.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace telemed {

namespace {

// The reason CheckRequestInput gives for `target` ("" = OK).
std::string InputRefusal(const std::string& target) {
  return CheckRequestInput(MatchRoute(target), target).reason();
}

std::string QueryField(const std::string& target) {
  return CheckRequestInput(MatchRoute(target), target).field();
}

}  // namespace

TEST_GROUP(Router){};

TEST(Router, MatchesCollectionsAndItems) {
  CHECK(MatchRoute("/api/v1/health").resource == Resource::kHealth);
  CHECK(MatchRoute("/api/v1/status").resource == Resource::kStatus);
  CHECK(MatchRoute("/api/v1/doctors").resource == Resource::kDoctors);
  RouteMatch doctor = MatchRoute("/api/v1/doctors/dr-1");
  CHECK(doctor.resource == Resource::kDoctor);
  STRCMP_EQUAL("dr-1", doctor.id.c_str());
  CHECK(MatchRoute("/api/v1/appointments").resource == Resource::kAppointments);
  RouteMatch appointment = MatchRoute("/api/v1/appointments/a:1");
  CHECK(appointment.resource == Resource::kAppointment);
  STRCMP_EQUAL("a:1", appointment.id.c_str());
}

TEST(Router, IgnoresTheQuery) {
  CHECK(MatchRoute("/api/v1/appointments?since=0&wait=5").resource ==
        Resource::kAppointments);
  RouteMatch match = MatchRoute("/api/v1/doctors/d1?x=/retry");
  CHECK(match.resource == Resource::kDoctor);
  STRCMP_EQUAL("d1", match.id.c_str());
}

TEST(Router, AppointmentActionsCarryTheirId) {
  RouteMatch retry = MatchRoute("/api/v1/appointments/a1/retry");
  CHECK(retry.resource == Resource::kAppointmentRetry);
  STRCMP_EQUAL("a1", retry.id.c_str());
  RouteMatch start = MatchRoute("/api/v1/appointments/a1/start_url");
  CHECK(start.resource == Resource::kAppointmentStartUrl);
  STRCMP_EQUAL("a1", start.id.c_str());
  STRCMP_EQUAL("POST", AllowedMethods(Resource::kAppointmentRetry));
  // An appointment may be called "retry" itself.
  RouteMatch named = MatchRoute("/api/v1/appointments/retry");
  CHECK(named.resource == Resource::kAppointment);
  STRCMP_EQUAL("retry", named.id.c_str());
}

TEST(Router, DecodesEachSegmentAfterSplitting) {
  RouteMatch match = MatchRoute("/api/v1/appointments/a%2Fb/retry");
  CHECK(match.resource == Resource::kAppointmentRetry);
  STRCMP_EQUAL("a/b", match.id.c_str());
  match = MatchRoute("/api/v1/appointments/a%2Fretry");
  CHECK(match.resource == Resource::kAppointment);
  STRCMP_EQUAL("a/retry", match.id.c_str());
  match = MatchRoute("/api/v1/doctors/dr%2D1");
  STRCMP_EQUAL("dr-1", match.id.c_str());
  // A '+' in a path is a plus, not a space.
  STRCMP_EQUAL("a+b", MatchRoute("/api/v1/doctors/a+b").id.c_str());
}

TEST(Router, IdsWithASlashReachTheIdCheck) {
  RouteMatch match = MatchRoute("/api/v1/doctors/a/b");
  CHECK(match.resource == Resource::kDoctor);
  STRCMP_EQUAL("a/b", match.id.c_str());
  match = MatchRoute("/api/v1/appointments/a/b/retry");
  CHECK(match.resource == Resource::kAppointmentRetry);
  STRCMP_EQUAL("a/b", match.id.c_str());
  match = MatchRoute("/api/v1/appointments/a1/other");
  CHECK(match.resource == Resource::kAppointment);
  STRCMP_EQUAL("a1/other", match.id.c_str());
  for (const char* target :
       {"/api/v1/doctors/a/b", "/api/v1/doctors/a%2Fb", "/api/v1/doctors/",
        "/api/v1/doctors/d1/", "/api/v1/doctors/d1/retry",
        "/api/v1/appointments/a%2Fb", "/api/v1/appointments/a%2fb/retry",
        "/api/v1/appointments/a/b/start_url", "/api/v1/appointments//retry",
        "/api/v1/appointments/a%00/retry", "/api/v1/appointments/a%20b",
        "/api/v1/appointments/%2E%2E", "/api/v1/appointments/a%zz",
        "/api/v1/appointments/a1/other"}) {
    STRCMP_EQUAL_TEXT("invalid_id", InputRefusal(target).c_str(), target);
  }
}

TEST(Router, EmptyIdIsAnItemSoItCanBeRefusedAsBadId) {
  RouteMatch match = MatchRoute("/api/v1/doctors/");
  CHECK(match.resource == Resource::kDoctor);
  STRCMP_EQUAL("", match.id.c_str());
}

TEST(Router, UnknownPathsMatchNothing) {
  CHECK(MatchRoute("/").resource == Resource::kNone);
  CHECK(MatchRoute("").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/healthz").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/health/x").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/doctorsx").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v2/doctors").resource == Resource::kNone);
  CHECK(MatchRoute("//api/v1/doctors").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1%2Fdoctors").resource == Resource::kNone);
}

TEST(Router, AllowsOnlyListedMethods) {
  CHECK_TRUE(IsMethodAllowed(Resource::kAppointment, "DELETE"));
  CHECK_TRUE(IsMethodAllowed(Resource::kAppointment, "HEAD"));
  CHECK_FALSE(IsMethodAllowed(Resource::kDoctors, "PUT"));
  CHECK_FALSE(IsMethodAllowed(Resource::kHealth, "GE"));
  CHECK_FALSE(IsMethodAllowed(Resource::kStatus, "PUT"));
  CHECK_FALSE(IsMethodAllowed(Resource::kNone, "GET"));
  CHECK_TRUE(IsMethodAllowed(Resource::kDoctor, "DELETE"));
  STRCMP_EQUAL("GET, PUT, DELETE", AllowedMethods(Resource::kDoctor));
}

TEST(Router, OnlyTheFeedTakesQueryParameters) {
  STRCMP_EQUAL(
      "", InputRefusal("/api/v1/appointments?since=0&limit=5&wait=1").c_str());
  STRCMP_EQUAL("",
               InputRefusal("/api/v1/appointments?since=0&&wait=1&").c_str());
  STRCMP_EQUAL("", InputRefusal("/api/v1/appointments?").c_str());
  for (const std::string target :
       {"/api/v1/health", "/api/v1/status", "/api/v1/doctors",
        "/api/v1/doctors/d1", "/api/v1/appointments/a1",
        "/api/v1/appointments/a1/retry", "/api/v1/appointments/a1/start_url"}) {
    STRCMP_EQUAL_TEXT("", InputRefusal(target).c_str(), target.c_str());
    STRCMP_EQUAL_TEXT("invalid_query",
                      InputRefusal(target + "?since=0").c_str(),
                      target.c_str());
  }
}

TEST(Router, NamesTheUnknownOrRepeatedParameter) {
  STRCMP_EQUAL("cursor",
               QueryField("/api/v1/appointments?since=0&cursor=1").c_str());
  STRCMP_EQUAL("since",
               QueryField("/api/v1/appointments?since=0&since=0").c_str());
  STRCMP_EQUAL("since",
               QueryField("/api/v1/appointments?since&since=1").c_str());
  // Names are decoded like values: "%73ince" is since, so twice.
  STRCMP_EQUAL("since",
               QueryField("/api/v1/appointments?since=1&%73ince=1").c_str());
  STRCMP_EQUAL("a b", QueryField("/api/v1/appointments?a+b=1").c_str());
  STRCMP_EQUAL("invalid_query",
               InputRefusal("/api/v1/appointments?=5").c_str());
}

}  // namespace telemed

namespace telemed {

TEST(Router, DoctorConnectIsAPostActionOnADoctor) {
  RouteMatch match = MatchRoute("/api/v1/doctors/dr-1/connect");
  CHECK(match.resource == Resource::kDoctorConnect);
  STRCMP_EQUAL("dr-1", match.id.c_str());
  STRCMP_EQUAL("POST", AllowedMethods(Resource::kDoctorConnect));
  // A doctor named "connect" is still a doctor.
  RouteMatch named = MatchRoute("/api/v1/doctors/connect");
  CHECK(named.resource == Resource::kDoctor);
  STRCMP_EQUAL("connect", named.id.c_str());
  // An escaped slash stays in the id, which the id check refuses.
  RouteMatch escaped = MatchRoute("/api/v1/doctors/a%2Fconnect");
  CHECK(escaped.resource == Resource::kDoctor);
}

}  // namespace telemed
