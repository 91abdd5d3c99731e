#include "api/router.h"

#include <CppUTest/TestHarness.h>

namespace telemed {

TEST_GROUP(Router){};

TEST(Router, MatchesCollectionsAndItems) {
  CHECK(MatchRoute("/api/v1/health").resource == Resource::kHealth);
  CHECK(MatchRoute("/api/v1/status").resource == Resource::kStatus);
  CHECK(MatchRoute("/api/v1/doctors").resource == Resource::kDoctors);
  RouteMatch doctor = MatchRoute("/api/v1/doctors/dr-1");
  CHECK(doctor.resource == Resource::kDoctor);
  STRCMP_EQUAL("dr-1", doctor.id.c_str());
  CHECK(MatchRoute("/api/v1/appointments").resource ==
        Resource::kAppointments);
  RouteMatch appointment = MatchRoute("/api/v1/appointments/a:1");
  CHECK(appointment.resource == Resource::kAppointment);
  STRCMP_EQUAL("a:1", appointment.id.c_str());
}

TEST(Router, AppointmentActionsCarryTheirId) {
  RouteMatch retry = MatchRoute("/api/v1/appointments/a1/retry");
  CHECK(retry.resource == Resource::kAppointmentRetry);
  STRCMP_EQUAL("a1", retry.id.c_str());
  RouteMatch start = MatchRoute("/api/v1/appointments/a1/start_url");
  CHECK(start.resource == Resource::kAppointmentStartUrl);
  STRCMP_EQUAL("POST", AllowedMethods(Resource::kAppointmentRetry));
  CHECK(MatchRoute("/api/v1/appointments/a1/other").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/doctors/d1/retry").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/appointments/a/b/retry").resource ==
        Resource::kNone);
}

TEST(Router, EmptyIdIsAnItemSoItCanBeRefusedAsBadId) {
  RouteMatch match = MatchRoute("/api/v1/doctors/");
  CHECK(match.resource == Resource::kDoctor);
  STRCMP_EQUAL("", match.id.c_str());
}

TEST(Router, UnknownPathsMatchNothing) {
  CHECK(MatchRoute("/").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/healthz").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/doctorsx").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v1/doctors/a/b").resource == Resource::kNone);
  CHECK(MatchRoute("/api/v2/doctors").resource == Resource::kNone);
}

TEST(Router, AllowsOnlyListedMethods) {
  CHECK_TRUE(IsMethodAllowed(Resource::kAppointment, "DELETE"));
  CHECK_TRUE(IsMethodAllowed(Resource::kAppointment, "HEAD"));
  CHECK_FALSE(IsMethodAllowed(Resource::kDoctor, "DELETE"));
  CHECK_FALSE(IsMethodAllowed(Resource::kDoctors, "PUT"));
  CHECK_FALSE(IsMethodAllowed(Resource::kHealth, "GE"));
  CHECK_FALSE(IsMethodAllowed(Resource::kStatus, "PUT"));
  CHECK_FALSE(IsMethodAllowed(Resource::kNone, "GET"));
  STRCMP_EQUAL("GET, PUT", AllowedMethods(Resource::kDoctor));
}

}  // namespace telemed
