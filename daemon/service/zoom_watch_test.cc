#include "service/zoom_watch.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/log.h"
#include "store/sync_task_change.h"
#include "support/zoom_bed.h"

namespace telemed {

TEST_GROUP(ZoomWatch) {
  CapturingLogger logger;
  std::unique_ptr<test::ZoomBed> bed;
  Store* store = nullptr;
  test::ZoomHarness* harness = nullptr;
  std::unique_ptr<ZoomWatch> watch;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>();
    store = bed->store.get();
    harness = bed->harness.get();
    bed->PutDoctor("dr-1", "doctor@clinic.example");
    ZoomWatch::Options options;
    options.store = store;
    options.tokens = &harness->tokens();
    options.api = &harness->api();
    options.clock = &bed->clock;
    options.logger = &logger;
    watch = std::make_unique<ZoomWatch>(options);
  }

  // User look-ups the fake saw: one per check run (one S2S doctor).
  int Runs() { return harness->zoom().CountRequests("GET", "/v2/users/"); }
  int TokenRequests() {
    return harness->zoom().CountRequests("POST", "/oauth/token");
  }

  ZoomCheckResult Stored() {
    ZoomCheckResult result;
    bool found = false;
    CHECK_TRUE(LoadZoomCheck(store, &result, &found).ok());
    CHECK_TRUE(found);
    return result;
  }
};

TEST(ZoomWatch, FirstTickChecksStoresAndLogsTheVerdict) {
  watch->Tick();
  LONGS_EQUAL(1, Runs());
  CHECK_TRUE(Stored().ok);
  CHECK_TRUE(
      logger.Contains("zoom check: ok (credentials, scopes, 1 doctor(s))"));
}

TEST(ZoomWatch, ChecksReuseTheStoredTokenAcrossRestarts) {
  watch->Tick();
  bed->clock.AdvanceSeconds(6 * 3600);
  watch->Tick();
  LONGS_EQUAL(2, Runs());
  LONGS_EQUAL(2, TokenRequests());  // the first expired after an hour
  // A restart: a new watch and token source on the same database.
  S2sTokenSource tokens(harness->TokenOptions(store));
  ZoomWatch::Options options;
  options.store = store;
  options.tokens = &tokens;
  options.api = &harness->api();
  options.clock = &bed->clock;
  options.logger = &logger;
  ZoomWatch restarted(options);
  restarted.Tick();
  LONGS_EQUAL(3, Runs());
  LONGS_EQUAL(2, TokenRequests());
}

TEST(ZoomWatch, NothingChangedMeansNoCallUntilSixHoursPass) {
  watch->Tick();
  bed->clock.AdvanceSeconds(6 * 3600 - 60);
  watch->Tick();
  LONGS_EQUAL(1, Runs());
  bed->clock.AdvanceSeconds(60);
  watch->Tick();
  LONGS_EQUAL(2, Runs());
}

TEST(ZoomWatch, AFailingVerdictIsRecheckedSooner) {
  harness->zoom().SetGrantedScopes({"meeting:write:admin"});
  watch->Tick();
  CHECK_FALSE(Stored().ok);
  CHECK_TRUE(logger.Contains("zoom check: FAIL: scopes: missing"));
  bed->clock.AdvanceSeconds(15 * 60 - 1);
  watch->Tick();
  LONGS_EQUAL(1, Runs());
  bed->clock.AdvanceSeconds(1);
  watch->Tick();
  LONGS_EQUAL(2, Runs());
}

TEST(ZoomWatch, FailedAppointmentsAreRetriedWhenTheVerdictHeals) {
  AppointmentRequest request;
  request.id = "a1";
  request.doctor_id = "dr-1";
  request.start_time = bed->clock.NowSeconds() + 86400;
  request.duration_minutes = 30;
  WriteOutcome outcome;
  Appointment stored;
  CHECK_TRUE(store->PutAppointment(request, &outcome, &stored).ok());
  auto fail = [](SyncTask* task, bool) {
    task->appointment.sync_status = SyncStatus::kFailed;
  };
  CHECK_TRUE(ChangeSyncTask(store, "a1", fail, nullptr).ok());
  harness->zoom().SetGrantedScopes({"meeting:write:admin"});
  watch->Tick();
  CHECK_FALSE(logger.Contains("retrying"));
  harness->zoom().SetGrantedScopes(test::AllS2sScopes());
  bed->clock.AdvanceSeconds(15 * 60);
  watch->Tick();
  CHECK_TRUE(logger.Contains("all well again; retrying 1 failed"));
}

TEST(ZoomWatch, ADoctorChangeTriggersACheck) {
  watch->Tick();
  bed->PutDoctor("dr-2", "nobody@clinic.example");
  watch->Tick();
  LONGS_EQUAL(1 + 2, Runs());  // the second run looks up both doctors
  CHECK_FALSE(Stored().ok);
  CHECK_TRUE(logger.Contains("doctor dr-2: Zoom user nobody@clinic.example"));
}

TEST(ZoomWatch, ACredentialsChangeTriggersACheck) {
  watch->Tick();
  CHECK_TRUE(BumpZoomConfigVersion(store).ok());
  watch->Tick();
  LONGS_EQUAL(2, Runs());
  watch->Tick();
  LONGS_EQUAL(2, Runs());
}

TEST(ZoomWatch, ForgettingTheAppDropsTheTokenInMemory) {
  watch->Tick();
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  CHECK_TRUE(ForgetS2sCredentials(store).ok());
  CHECK_TRUE(BumpZoomConfigVersion(store).ok());
  watch->Tick();
  CHECK_FALSE(Stored().configured);
  Status s = harness->tokens().GetToken(&token);
  STRCMP_EQUAL("zoom_not_configured", s.reason().c_str());
}

// Every doctor connects their own Zoom account: the stored verdict is all
// well without an app, and a failure again once an S2S doctor is back.
TEST(ZoomWatch, AClinicOfOAuthDoctorsOnlyIsAllWellWithoutAnApp) {
  CHECK_TRUE(ForgetS2sCredentials(store).ok());
  Doctor removed;
  CHECK_TRUE(store->RemoveDoctor("dr-1", &removed, nullptr).ok());
  bed->PutDoctor("dr-oauth", "", AuthMode::kOauth);
  watch->Tick();
  CHECK_TRUE(Stored().ok);
  CHECK_FALSE(Stored().s2s_app_needed);
  CHECK_TRUE(logger.Contains("zoom check: ok (no Server-to-Server app needed"));
  bed->PutDoctor("dr-s2s", "doctor@clinic.example");
  watch->Tick();
  CHECK_FALSE(Stored().ok);
  CHECK_TRUE(Stored().s2s_app_needed);
}

TEST(ZoomWatch, NoLogLineHoldsTheSecretOrToken) {
  watch->Tick();
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  CHECK_FALSE(logger.Contains(token));
  CHECK_FALSE(logger.Contains(test::GeneratedS2sClientSecret()));
}

}  // namespace telemed
