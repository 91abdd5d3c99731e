#include "zoom/grant_check.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "support/doctor_client_steps.h"
#include "support/zoom_bed.h"
#include "zoom/zoom_client.h"

namespace telemed {

TEST_GROUP(GrantCheck) {
  test::ZoomBed bed;
  std::unique_ptr<ZoomClient> client;

  void setup() override {
    client = test::OpenDoctorsClient(&bed);
    bed.harness->zoom().AddUser("u2", "two@clinic.example");
    bed.harness->zoom().AddUser("u3", "three@clinic.example");
    bed.PutDoctor("dr-s2s", "doctor@clinic.example");
    bed.PutDoctor("dr-2", "two@clinic.example", AuthMode::kOauth);
  }

  std::vector<ZoomCheckItem> Check() {
    std::vector<ZoomCheckItem> items;
    CHECK_TRUE(CheckDoctorGrants(bed.store.get(), bed.store.get(), client.get(),
                                 &items)
                   .ok());
    return items;
  }

  GrantState StateOf(const std::string& doctor_id) {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(bed.store->GetGrant(doctor_id, &grant, &found).ok());
    CHECK_TRUE(found);
    return grant.state;
  }
};

TEST(GrantCheck, ALiveGrantIsOkWithTheEmailZoomAnswersNow) {
  test::ConnectDoctor(&bed, client.get(), "dr-2", "u2", "two@clinic.example");
  std::vector<ZoomCheckItem> items = Check();
  LONGS_EQUAL(1, items.size());  // S2S doctors are the app's check
  CHECK_TRUE(items[0].ok);
  STRCMP_EQUAL("doctor dr-2 (Zoom user two@clinic.example)",
               items[0].subject.c_str());
  LONGS_EQUAL(1, bed.harness->zoom().CountRequests("GET", "/v2/users/me"));
}

TEST(GrantCheck, ANotConnectedDoctorFailsWithWhatToDoAndNothingIsSent) {
  std::vector<ZoomCheckItem> items = Check();
  LONGS_EQUAL(1, items.size());
  CHECK_FALSE(items[0].ok);
  STRCMP_EQUAL("doctor dr-2", items[0].subject.c_str());
  STRCMP_CONTAINS("doctor connect", items[0].detail.c_str());
  LONGS_EQUAL(0, bed.harness->zoom().CountRequests("", "/v2/users"));
}

TEST(GrantCheck, AGrantZoomRefusesIsMarkedAndSaysReconnect) {
  bed.PutDoctor("dr-3", "three@clinic.example", AuthMode::kOauth);
  test::ConnectDoctor(&bed, client.get(), "dr-2", "u2", "two@clinic.example");
  test::ConnectDoctor(&bed, client.get(), "dr-3", "u3", "three@clinic.example");
  bed.harness->zoom().RefuseGrants("u3");
  std::vector<ZoomCheckItem> items = Check();
  LONGS_EQUAL(2, items.size());
  CHECK_TRUE(items[0].ok);
  CHECK_FALSE(items[1].ok);
  STRCMP_EQUAL("doctor dr-3 (Zoom user three@clinic.example)",
               items[1].subject.c_str());
  STRCMP_CONTAINS("connects again", items[1].detail.c_str());
  CHECK(StateOf("dr-3") == GrantState::kReconnectNeeded);
  CHECK(StateOf("dr-2") == GrantState::kConnected);
  // Known dead: the next check says so without asking Zoom.
  const int before = bed.harness->zoom().CountRequests("", "");
  items = Check();
  CHECK_FALSE(items[1].ok);
  LONGS_EQUAL(before + 1, bed.harness->zoom().CountRequests("", ""));
}

TEST(GrantCheck, ADueTokenIsRefreshedByTheCheck) {
  test::ConnectDoctor(&bed, client.get(), "dr-2", "u2", "two@clinic.example");
  bed.clock.AdvanceSeconds(3600);
  std::vector<ZoomCheckItem> items = Check();
  CHECK_TRUE(items[0].ok);
  LONGS_EQUAL(2, bed.harness->zoom().CountRequests("POST", "/oauth/token"));
}

TEST(GrantCheck, ADisconnectingDoctorIsNotAFailureAndNotAsked) {
  test::ConnectDoctor(&bed, client.get(), "dr-2", "u2", "two@clinic.example");
  bool applied = false;
  CHECK_TRUE(
      bed.store->SetGrantState("dr-2", 0, GrantState::kDisconnecting, &applied)
          .ok());
  std::vector<ZoomCheckItem> items = Check();
  CHECK_TRUE(items[0].ok);
  STRCMP_EQUAL("doctor dr-2 (disconnecting)", items[0].subject.c_str());
  LONGS_EQUAL(0, bed.harness->zoom().CountRequests("GET", "/v2/users/me"));
}

TEST(GrantCheck, WithoutTheOAuthAppADueGrantSaysToStoreIt) {
  test::ConnectDoctor(&bed, client.get(), "dr-2", "u2", "two@clinic.example");
  CHECK_TRUE(bed.store->DeleteSettings("zoom.oauth.").ok());
  // The access token still works without the app; its refresh does not.
  CHECK_TRUE(Check()[0].ok);
  bed.clock.AdvanceSeconds(3600);
  std::vector<ZoomCheckItem> items = Check();
  CHECK_FALSE(items[0].ok);
  STRCMP_CONTAINS("zoom oauth-app", items[0].detail.c_str());
}

}  // namespace telemed
