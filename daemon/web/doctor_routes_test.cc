#include "web/doctor_routes.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "base/log.h"
#include "secrets/secret_box.h"
#include "store/doctor_grants.h"
#include "store/store.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_bed.h"
#include "web/doctor_checker.h"
#include "web/fake_admin_router.h"
#include "web/screen_test_support.h"
#include "zoom/oauth_connect.h"
#include "zoom/user_token_source.h"

namespace telemed {
namespace web {

TEST_GROUP(AdminDoctorRoutes) {
  std::unique_ptr<test::ZoomBed> bed;
  std::unique_ptr<DoctorChecker> checker;
  RecordingAudit audit;
  NullLogger logger;
  FakeAdminRouter router;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>(int64_t{1780000000} * 1000000);
    checker = std::make_unique<DoctorChecker>(CheckerOptions(
        bed->store.get(), &bed->harness->api(), &bed->clock, &logger));
    DoctorRoutesDeps deps;
    deps.records = bed->store.get();
    deps.checker = checker.get();
    deps.audit = &audit;
    deps.logger = &logger;
    AddDoctorRoutes(deps, &router);
  }

  httplib::Response Put(const std::string& id, const std::string& body) {
    return router.Call("PUT", "/admin/api/doctors/" + id, body);
  }

  void CheckRefused(const std::string& id, const std::string& body, int status,
                    const char* code, const char* field) {
    httplib::Response res = Put(id, body);
    LONGS_EQUAL_TEXT(status, res.status, body.c_str());
    STRCMP_EQUAL_TEXT(code, ErrorCode(res).c_str(), body.c_str());
    STRCMP_EQUAL_TEXT(field, ErrorField(res).c_str(), body.c_str());
  }

  void RunChecker() {
    Status s = checker->RunOnce();
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }
};

TEST(AdminDoctorRoutes, AddsChangesAndRecordsADoctor) {
  httplib::Response res =
      Put("dr-lee", R"({"name":"Dr Lee","zoom_user":"doctor@clinic.example"})");
  LONGS_EQUAL(201, res.status);
  STRCMP_EQUAL(
      R"({"id":"dr-lee","name":"Dr Lee","zoom_user":"doctor@clinic.example","auth":"s2s","state":"unchecked","checked_at":null})",
      res.body.c_str());
  res = Put("dr-lee",
            R"({"name":"Dr A Lee","zoom_user":"doctor@clinic.example"})");
  LONGS_EQUAL(200, res.status);
  // The same again changes nothing and is not recorded.
  res = Put("dr-lee",
            R"({"name":"Dr A Lee","zoom_user":"doctor@clinic.example"})");
  LONGS_EQUAL(200, res.status);
  LONGS_EQUAL(2, audit.entries().size());
  STRCMP_EQUAL("doctor_added", audit.entries()[0].action.c_str());
  STRCMP_EQUAL("doctor dr-lee", audit.entries()[0].detail.c_str());
  STRCMP_EQUAL("doctor_changed", audit.entries()[1].action.c_str());
  res = router.Call("GET", "/admin/api/doctors");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(R"({"doctors":[{"id":"dr-lee","name":"Dr A Lee")",
                  res.body.c_str());
}

TEST(AdminDoctorRoutes, EachRowShowsItsZoomUsersStateOnceChecked) {
  Put("dr-known", R"({"name":"Known","zoom_user":"doctor@clinic.example"})");
  Put("dr-gone", R"({"name":"Gone","zoom_user":"gone@clinic.example"})");
  Put("dr-own", R"({"name":"Own","auth":"oauth"})");
  RunChecker();
  httplib::Response res = router.Call("GET", "/admin/api/doctors");
  STRCMP_CONTAINS(
      R"("id":"dr-gone","name":"Gone","zoom_user":"gone@clinic.example","auth":"s2s","state":"zoom_user_not_found","checked_at":"2026-05-28T)",
      res.body.c_str());
  STRCMP_CONTAINS(R"("id":"dr-known",)", res.body.c_str());
  STRCMP_CONTAINS(R"("auth":"s2s","state":"ok","checked_at":"2026-05-28T)",
                  res.body.c_str());
  STRCMP_CONTAINS(
      R"("zoom_user":"","auth":"oauth","state":"not_connected","checked_at":null)",
      res.body.c_str());
  // A new Zoom user is unchecked until looked up.
  res =
      Put("dr-gone", R"({"name":"Gone","zoom_user":"doctor@clinic.example"})");
  STRCMP_CONTAINS(R"("state":"unchecked")", res.body.c_str());
}

TEST(AdminDoctorRoutes, RefusesWhatTheApiRefuses) {
  CheckRefused("dr-x", "{not json", 400, "invalid_json", "");
  CheckRefused("dr-x", R"({"name":5})", 400, "invalid_type", "name");
  CheckRefused("dr-x", R"({"zoom_user":"a@b.example"})", 422, "missing_field",
               "name");
  CheckRefused("dr-x", R"({"name":")" + std::string(201, 'n') + R"("})", 422,
               "invalid_value", "name");
  CheckRefused("dr-x",
               R"({"name":"X","zoom_user":")" + std::string(129, 'u') + R"("})",
               422, "invalid_value", "zoom_user");
  CheckRefused("dr-x", R"({"name":"X\u0007","zoom_user":"a@b.example"})", 400,
               "invalid_string", "name");
  CheckRefused("dr-x", R"({"name":"X","zoom_user":"a@b","auth":"sso"})", 422,
               "invalid_value", "auth");
  CheckRefused("a%20b", R"({"name":"X","zoom_user":"a@b.example"})", 400,
               "invalid_id", "id");
  LONGS_EQUAL(0, audit.entries().size());
  httplib::Response res = router.Call("GET", "/admin/api/doctors");
  STRCMP_EQUAL(R"({"doctors":[]})", res.body.c_str());
}

TEST(AdminDoctorRoutes, RemovesADoctorAndRecordsIt) {
  Put("dr-lee", R"({"name":"Dr Lee","zoom_user":"doctor@clinic.example"})");
  httplib::Response res = router.Call("DELETE", "/admin/api/doctors/dr-lee");
  LONGS_EQUAL(204, res.status);
  LONGS_EQUAL(2, audit.entries().size());
  STRCMP_EQUAL("doctor_removed", audit.entries()[1].action.c_str());
  res = router.Call("DELETE", "/admin/api/doctors/dr-lee");
  LONGS_EQUAL(404, res.status);
  STRCMP_EQUAL("not_found", ErrorCode(res).c_str());
}

TEST(AdminDoctorRoutes, KeepsADoctorItsAppointmentsStillNeed) {
  Put("dr-lee", R"({"name":"Dr Lee","zoom_user":"doctor@clinic.example"})");
  AppointmentRequest appointment;
  appointment.id = "a1";
  appointment.doctor_id = "dr-lee";
  appointment.start_time = 1790000000;
  appointment.duration_minutes = 30;
  WriteOutcome outcome;
  Appointment stored;
  CHECK_TRUE(bed->store->PutAppointment(appointment, &outcome, &stored).ok());
  httplib::Response res = router.Call("DELETE", "/admin/api/doctors/dr-lee");
  LONGS_EQUAL(409, res.status);
  STRCMP_EQUAL("doctor_in_use", ErrorCode(res).c_str());
  LONGS_EQUAL(1, audit.entries().size());
}

}  // namespace web
}  // namespace telemed

namespace telemed {
namespace web {

// POST /admin/api/doctors/{id}/connect and .../disconnect: the Connect to
// Zoom and Disconnect buttons (and Remove of an OAuth doctor).
TEST_GROUP(AdminDoctorConnect) {
  std::unique_ptr<test::ZoomBed> bed;
  std::unique_ptr<DoctorChecker> checker;
  RecordingAudit audit;
  NullLogger logger;
  OAuthConnectDeps connect;
  FakeAdminRouter router;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>(int64_t{1780000000} * 1000000);
    checker = std::make_unique<DoctorChecker>(CheckerOptions(
        bed->store.get(), &bed->harness->api(), &bed->clock, &logger));
    connect.records = bed->store.get();
    connect.grants = bed->store.get();
    connect.settings = bed->store.get();
    connect.box = &bed->harness->box();
    connect.random = bed->random.get();
    connect.public_url = "https://bridge.local:8443";
    connect.revokes = bed->store.get();
    connect.oauth = test::Endpoint(bed->harness.get(), &bed->clock);
    AddDoctorRoutes({bed->store.get(), checker.get(), &audit, &logger,
                     &bed->clock, &connect},
                    &router);
    bed->PutDoctor("dr-o", "o@clinic.example", AuthMode::kOauth);
    bed->PutDoctor("dr-s", "s@clinic.example");
  }

  httplib::Response Connect(const std::string& id) {
    return router.Call("POST", "/admin/api/doctors/" + id + "/connect", "");
  }

  httplib::Response Disconnect(const std::string& id, const std::string& body) {
    return router.Call("POST", "/admin/api/doctors/" + id + "/disconnect",
                       body);
  }

  // A grant for dr-o as the callback stores one (tokens Zoom does not know:
  // its revoke is refused, which ends the entry as well).
  void PutGrant() {
    DoctorGrant grant;
    grant.doctor_id = "dr-o";
    CHECK_TRUE(bed->harness->box()
                   .Seal(GrantPurpose("access", "dr-o"), "access-o",
                         &grant.sealed_access_token)
                   .ok());
    CHECK_TRUE(bed->harness->box()
                   .Seal(GrantPurpose("refresh", "dr-o"), "refresh-o",
                         &grant.sealed_refresh_token)
                   .ok());
    int64_t generation = 0;
    CHECK_TRUE(bed->store->PutGrant(grant, &generation).ok());
  }

  bool HasGrant() {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(bed->store->GetGrant("dr-o", &grant, &found).ok());
    return found;
  }

  int Revokes() {
    return bed->harness->zoom().CountRequests("POST", "/oauth/revoke");
  }
};

TEST(AdminDoctorConnect, AnswersALinkForAnOAuthDoctor) {
  LONGS_EQUAL(409, Connect("dr-o").status);
  STRCMP_EQUAL("oauth_app_not_configured", ErrorCode(Connect("dr-o")).c_str());
  CHECK_TRUE(
      SaveOAuthApp(bed->store.get(), bed->harness->box(), test::FakeOAuthApp())
          .ok());
  httplib::Response res = Connect("dr-o");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS("{\"connect_url\":\"https://bridge.local:8443/oauth/connect/",
                  res.body.c_str());
  STRCMP_CONTAINS("\"expires_at\":\"2026-", res.body.c_str());
  STRCMP_EQUAL("doctor_not_oauth", ErrorCode(Connect("dr-s")).c_str());
  httplib::Response unknown = Connect("nobody");
  LONGS_EQUAL(404, unknown.status);
  STRCMP_EQUAL("not_found", ErrorCode(unknown).c_str());
}

// The row shows the grant, so the admin sees the doctor connected (and as
// whom), or needing to connect again.
TEST(AdminDoctorConnect, AnOAuthDoctorsRowShowsItsGrant) {
  httplib::Response res = router.Call("GET", "/admin/api/doctors");
  STRCMP_CONTAINS(
      R"("auth":"oauth","state":"not_connected","checked_at":null,"zoom_email":null)",
      res.body.c_str());
  DoctorGrant grant;
  grant.doctor_id = "dr-o";
  grant.sealed_access_token = "sealed-a";
  grant.sealed_refresh_token = "sealed-r";
  grant.zoom_user_id = "zu1";
  grant.zoom_email = "o@clinic.example";
  int64_t generation = 0;
  CHECK_TRUE(bed->store->PutGrant(grant, &generation).ok());
  res = router.Call("GET", "/admin/api/doctors");
  STRCMP_CONTAINS(
      R"("auth":"oauth","state":"connected","checked_at":null,"zoom_email":"o@clinic.example")",
      res.body.c_str());
  bool applied = false;
  CHECK_TRUE(bed->store
                 ->SetGrantState("dr-o", generation,
                                 GrantState::kReconnectNeeded, &applied)
                 .ok());
  CHECK_TRUE(applied);
  res = router.Call("GET", "/admin/api/doctors");
  STRCMP_CONTAINS(R"("state":"reconnect_needed")", res.body.c_str());
  // An S2S doctor's row is the checker's, as before.
  STRCMP_CONTAINS(R"("auth":"s2s","state":"unchecked","checked_at":null})",
                  res.body.c_str());
}

TEST(AdminDoctorConnect, DisconnectRevokesPurgesAndIsAudited) {
  CHECK_TRUE(
      SaveOAuthApp(bed->store.get(), bed->harness->box(), test::FakeOAuthApp())
          .ok());
  PutGrant();
  httplib::Response res = Disconnect("dr-o", "{\"delete_meetings\":true}");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL("{\"state\":\"not_connected\",\"meetings_to_delete\":0}",
               res.body.c_str());
  CHECK_FALSE(HasGrant());
  LONGS_EQUAL(1, Revokes());
  LONGS_EQUAL(1, audit.entries().size());
  STRCMP_EQUAL("doctor_disconnected", audit.entries()[0].action.c_str());
  // Not connected any more: a success, not audited again.
  LONGS_EQUAL(200, Disconnect("dr-o", "").status);
  LONGS_EQUAL(1, audit.entries().size());
}

TEST(AdminDoctorConnect, DisconnectRefusesS2sUnknownDoctorsAndBadBodies) {
  httplib::Response res = Disconnect("dr-s", "");
  LONGS_EQUAL(409, res.status);
  STRCMP_EQUAL("doctor_not_oauth", ErrorCode(res).c_str());
  res = Disconnect("nobody", "");
  LONGS_EQUAL(404, res.status);
  STRCMP_EQUAL("not_found", ErrorCode(res).c_str());
  res = Disconnect("dr-o", "{\"delete_meetings\":1}");
  LONGS_EQUAL(400, res.status);
  STRCMP_EQUAL("invalid_type", ErrorCode(res).c_str());
}

TEST(AdminDoctorConnect, RemovingAnOauthDoctorRevokesAndPurgesItsGrant) {
  PutGrant();
  httplib::Response res = router.Call("DELETE", "/admin/api/doctors/dr-o");
  LONGS_EQUAL(204, res.status);
  CHECK_FALSE(HasGrant());
  // No OAuth app to revoke with yet: the revoke waits, sealed.
  LONGS_EQUAL(0, Revokes());
  std::vector<PendingRevoke> queued;
  CHECK_TRUE(
      bed->store->ListDueRevokes(bed->clock.NowSeconds() + 3600, 10, &queued)
          .ok());
  LONGS_EQUAL(1, queued.size());
  STRCMP_EQUAL("oauth_app_not_configured", queued[0].last_error.c_str());
}

}  // namespace web
}  // namespace telemed
