#include "web/doctor_checker.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/log.h"
#include "support/zoom_bed.h"
#include "web/screen_test_support.h"
#include "zoom/s2s_app.h"

namespace telemed {
namespace web {

TEST_GROUP(DoctorChecker) {
  std::unique_ptr<test::ZoomBed> bed;
  std::unique_ptr<DoctorChecker> checker;
  NullLogger logger;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>(int64_t{1780000000} * 1000000);
    checker = std::make_unique<DoctorChecker>(CheckerOptions(
        bed->store.get(), &bed->harness->api(), &bed->clock, &logger));
  }

  test::FakeZoom& zoom() { return bed->harness->zoom(); }

  Doctor Get(const std::string& id) {
    Doctor doctor;
    CHECK_TRUE(bed->store->GetDoctor(id, &doctor).ok());
    return doctor;
  }

  DoctorState State(const std::string& id) {
    return checker->StateOf(Get(id)).state;
  }

  void Run() {
    Status s = checker->RunOnce();
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }

  int Lookups() { return zoom().CountRequests("GET", "/v2/users/"); }
};

TEST(DoctorChecker, LooksUpEachNewZoomUserOnce) {
  bed->PutDoctor("dr-known", "doctor@clinic.example");
  bed->PutDoctor("dr-gone", "gone@clinic.example");
  CHECK(DoctorState::kUnchecked == State("dr-known"));
  Run();
  CHECK(DoctorState::kOk == State("dr-known"));
  CHECK(DoctorState::kZoomUserNotFound == State("dr-gone"));
  LONGS_EQUAL(1780000000, checker->StateOf(Get("dr-known")).checked_at);
  LONGS_EQUAL(2, Lookups());
  // Nothing new: no call to Zoom.
  Run();
  LONGS_EQUAL(2, Lookups());
  // A changed Zoom user is unchecked until looked up again.
  bed->PutDoctor("dr-gone", "doctor@clinic.example");
  CHECK(DoctorState::kUnchecked == State("dr-gone"));
  Run();
  CHECK(DoctorState::kOk == State("dr-gone"));
  LONGS_EQUAL(3, Lookups());
}

TEST(DoctorChecker, OauthDoctorsAreNotConnectedAndNeverLookedUp) {
  bed->PutDoctor("dr-own", "", AuthMode::kOauth);
  CHECK(DoctorState::kNotConnected == State("dr-own"));
  Run();
  LONGS_EQUAL(0, Lookups());
}

TEST(DoctorChecker, NoAnswerLeavesTheDoctorUncheckedUntilTheRetry) {
  bed->PutDoctor("dr-known", "doctor@clinic.example");
  zoom().InjectFault(
      test::MakeFault("GET", "/v2/users/", test::FaultKind::kServerError, 1));
  Run();
  CHECK(DoctorState::kUnchecked == State("dr-known"));
  const int tried = Lookups();
  LONGS_EQUAL(0, zoom().PendingFaults());
  Run();
  LONGS_EQUAL(tried, Lookups());
  bed->clock.AdvanceSeconds(60);
  Run();
  CHECK(DoctorState::kOk == State("dr-known"));
}

TEST(DoctorChecker, WithoutAnAppNothingIsAskedAndAllStayUnchecked) {
  bed->PutDoctor("dr-known", "doctor@clinic.example");
  CHECK_TRUE(ForgetS2sApp(bed->store.get()).ok());
  Run();
  CHECK(DoctorState::kUnchecked == State("dr-known"));
  LONGS_EQUAL(0, zoom().CountRequests("", "/"));
}

TEST(DoctorChecker, AChangedAppDropsEveryVerdict) {
  bed->PutDoctor("dr-known", "doctor@clinic.example");
  Run();
  CHECK(DoctorState::kOk == State("dr-known"));
  CHECK_TRUE(BumpZoomConfigVersion(bed->store.get()).ok());
  Run();
  LONGS_EQUAL(2, Lookups());
}

TEST(DoctorChecker, RenewsAVerdictAfterSixHours) {
  bed->PutDoctor("dr-known", "doctor@clinic.example");
  Run();
  bed->clock.AdvanceSeconds(6 * 3600);
  Run();
  LONGS_EQUAL(2, Lookups());
}

}  // namespace web
}  // namespace telemed
