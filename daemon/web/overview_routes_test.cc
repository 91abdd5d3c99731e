#include "web/overview_routes.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/log.h"
#include "support/zoom_bed.h"
#include "web/fake_admin_router.h"
#include "web/screen_test_support.h"
#include "zoom/s2s_app.h"
#include "zoom/zoom_check.h"

namespace telemed {
namespace web {

namespace {

constexpr int64_t kStart = 1780000000;  // 2026-05-28T20:26:40Z

}  // namespace

TEST_GROUP(AdminOverviewRoutes) {
  std::unique_ptr<test::ZoomBed> bed;
  NullLogger logger;
  FakeAdminRouter router;
  bool has_certificate = true;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>(kStart * 1000000);
    OverviewDeps deps;
    deps.store = bed->store.get();
    deps.clock = &bed->clock;
    deps.started_at = kStart - 3600;
    deps.logger = &logger;
    deps.certificate = [this](CertificateSummary* out) {
      out->fingerprint_sha256 = "AB:CD";
      out->not_after = kStart + 824 * 86400 + 5;
      return has_certificate;
    };
    AddOverviewRoutes(deps, &router);
  }

  std::string Overview() {
    httplib::Response res = router.Call("GET", "/admin/api/overview");
    LONGS_EQUAL(200, res.status);
    return res.body;
  }
};

TEST(AdminOverviewRoutes, ShowsTheBridgeAtAGlance) {
  bed->PutDoctor("dr-lee", "doctor@clinic.example");
  bed->PutDoctor("dr-own", "", AuthMode::kOauth);
  std::string body = Overview();
  STRCMP_CONTAINS(R"({"version":")", body.c_str());
  STRCMP_CONTAINS(R"("uptime_s":3600,)", body.c_str());
  STRCMP_CONTAINS(
      R"("zoom":{"configured":true,"s2s_app_needed":true,"checked_at":null,"ok":false,"missing_scopes":[],)"
      R"("doctors_to_connect":[{"id":"dr-own","state":"not_connected"}]})",
      body.c_str());
  STRCMP_CONTAINS(
      R"("queue":{"pending":0,"failed":0,"deletions_pending":0,"next_attempt_at":null})",
      body.c_str());
  // The S2S doctors: Zoom counts writes per host.
  STRCMP_CONTAINS(
      R"("doctors":[{"id":"dr-lee","name":"Dr. dr-lee","writes_today":0,"write_limit":100}])",
      body.c_str());
  STRCMP_CONTAINS(
      R"("certificate":{"fingerprint_sha256":"AB:CD","not_after":"2028-08-29T20:26:45Z","imported":false,"expires_in_days":824})",
      body.c_str());
}

TEST(AdminOverviewRoutes, ShowsTheLastZoomCheckWithItsMissingScopes) {
  bed->harness->zoom().SetGrantedScopes({"meeting:write:meeting:admin"});
  ZoomCheckResult result;
  CHECK_TRUE(TestS2sApp(bed->store.get(), &bed->harness->tokens(),
                        &bed->harness->api(), &bed->clock, &result, nullptr)
                 .ok());
  std::string body = Overview();
  STRCMP_CONTAINS(
      R"("zoom":{"configured":true,"s2s_app_needed":true,"checked_at":"2026-05-28T20:26:40Z","ok":false,"missing_scopes":["meeting:update:meeting:admin",)",
      body.c_str());
  CHECK(body.find(test::GeneratedS2sClientSecret()) == std::string::npos);
}

TEST(AdminOverviewRoutes, CountsTheQueueAndTheNextAttempt) {
  bed->PutDoctor("dr-lee", "doctor@clinic.example");
  AppointmentRequest appointment;
  appointment.id = "a1";
  appointment.doctor_id = "dr-lee";
  appointment.start_time = kStart + 86400;
  appointment.duration_minutes = 30;
  WriteOutcome outcome;
  Appointment stored;
  CHECK_TRUE(bed->store->PutAppointment(appointment, &outcome, &stored).ok());
  STRCMP_CONTAINS(
      R"("queue":{"pending":1,"failed":0,"deletions_pending":0,"next_attempt_at":"2026-05-28T20:26:40Z"})",
      Overview().c_str());
}

TEST(AdminOverviewRoutes, WithoutAnAppOrCertificateSaysSo) {
  CHECK_TRUE(ForgetS2sApp(bed->store.get()).ok());
  has_certificate = false;
  std::string body = Overview();
  STRCMP_CONTAINS(R"("zoom":{"configured":false,)", body.c_str());
  STRCMP_CONTAINS(R"("certificate":null)", body.c_str());
}

// Every doctor connects their own Zoom account: no app is needed, and what
// is left to do is the doctors' connections.
TEST(AdminOverviewRoutes, AClinicOfOAuthDoctorsOnlyNeedsNoApp) {
  CHECK_TRUE(ForgetS2sApp(bed->store.get()).ok());
  bed->PutDoctor("dr-own", "", AuthMode::kOauth);
  ZoomCheckResult result;
  CHECK_TRUE(RunZoomCheck(bed->store.get(), &bed->harness->tokens(),
                          &bed->harness->api(), &bed->clock,
                          CheckToken::kStored, &result)
                 .ok());
  CHECK_TRUE(SaveZoomCheck(bed->store.get(), result).ok());
  STRCMP_CONTAINS(
      R"("zoom":{"configured":false,"s2s_app_needed":false,"checked_at":"2026-05-28T20:26:40Z","ok":true,"missing_scopes":[],)"
      R"("doctors_to_connect":[{"id":"dr-own","state":"not_connected"}]})",
      Overview().c_str());
  // An S2S doctor needs the app again, at once.
  bed->PutDoctor("dr-lee", "doctor@clinic.example");
  STRCMP_CONTAINS(
      R"("s2s_app_needed":true,"checked_at":"2026-05-28T20:26:40Z","ok":false,)",
      Overview().c_str());
}

TEST(AdminOverviewRoutes, AnExpiredCertificateHasNegativeDaysLeft) {
  bed->clock.AdvanceSeconds(825 * 86400);
  STRCMP_CONTAINS(R"("expires_in_days":-1})", Overview().c_str());
}

}  // namespace web
}  // namespace telemed
