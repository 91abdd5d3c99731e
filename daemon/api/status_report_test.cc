#include "api/status_report.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "base/cjson.h"
#include "store/store.h"
#include "store/testutil.h"
#include "zoom/zoom_check.h"

namespace telemed {

TEST_GROUP_BASE(StatusReport, test::StoreFixture){
    void PutDoctor(const std::string& id, AuthMode auth){Doctor doctor;
doctor.id = id;
doctor.name = "Dr " + id;
doctor.auth = auth;
doctor.zoom_user = id + "@clinic.example";
WriteOutcome outcome;
CHECK_OK(store->PutDoctor(doctor, &outcome));
}  // namespace telemed

void Connect(const std::string& id, GrantState state) {
  DoctorGrant grant;
  grant.doctor_id = id;
  grant.sealed_access_token = "A";
  grant.sealed_refresh_token = "R";
  grant.zoom_email = id + "@own.example";
  int64_t generation = 0;
  CHECK_OK(store->PutGrant(grant, &generation));
  bool applied = false;
  CHECK_OK(store->SetGrantState(id, 0, state, &applied));
}

void AddWrites(const std::string& host, int count) {
  int total = 0;
  for (int i = 0; i < count; ++i) {
    CHECK_OK(store->AddZoomWrite(host, clock.NowSeconds() / 86400, &total));
  }
}

CjsonPtr Render() {
  std::string body;
  CHECK_OK(RenderStatusReport(store.get(), &clock, &body));
  CjsonPtr root(cJSON_Parse(body.c_str()));
  CHECK_TRUE(root != nullptr);
  return root;
}
}
;

TEST(StatusReport, EveryOAuthDoctorShowsItsStateAndItsOwnDailyCount) {
  PutDoctor("d-s2s", AuthMode::kS2s);
  PutDoctor("d-new", AuthMode::kOauth);
  PutDoctor("d-on", AuthMode::kOauth);
  PutDoctor("d-dead", AuthMode::kOauth);
  Connect("d-on", GrantState::kConnected);
  Connect("d-dead", GrantState::kReconnectNeeded);
  AddWrites("oauth d-on", 7);
  AddWrites("d-s2s@clinic.example", 2);
  CjsonPtr root = Render();
  const cJSON* oauth = cJSON_GetObjectItem(root.get(), "oauth_doctors");
  STRCMP_EQUAL(
      R"([{"doctor_id":"d-dead","state":"reconnect_needed","zoom_email":"d-dead@own.example","creates_and_updates_today":0,"limit":100},)"
      R"({"doctor_id":"d-new","state":"not_connected","zoom_email":null,"creates_and_updates_today":0,"limit":100},)"
      R"({"doctor_id":"d-on","state":"connected","zoom_email":"d-on@own.example","creates_and_updates_today":7,"limit":100}])",
      PrintJson(oauth).c_str());
  // The S2S quota and the doctors waiting for someone are as before.
  const cJSON* quota = cJSON_GetObjectItem(root.get(), "quota");
  LONGS_EQUAL(1, cJSON_GetArraySize(quota));
  LONGS_EQUAL(2, cJSON_GetObjectItem(cJSON_GetArrayItem(quota, 0),
                                     "creates_and_updates_today")
                     ->valueint);
  const cJSON* cannot = cJSON_GetObjectItem(root.get(), "doctors_cannot_sync");
  LONGS_EQUAL(2, cJSON_GetArraySize(cannot));
  STRCMP_EQUAL("doctor_reconnect_needed",
               cJSON_GetObjectItem(cJSON_GetArrayItem(cannot, 0), "reason")
                   ->valuestring);
  STRCMP_EQUAL("doctor_not_connected",
               cJSON_GetObjectItem(cJSON_GetArrayItem(cannot, 1), "reason")
                   ->valuestring);
}

// A disconnect with delete_meetings keeps the grant for the deletions
// alone: the doctor cannot sync, as its appointments say.
TEST(StatusReport, ADisconnectingDoctorCannotSync) {
  PutDoctor("d-off", AuthMode::kOauth);
  Connect("d-off", GrantState::kDisconnecting);
  CjsonPtr root = Render();
  const cJSON* cannot = cJSON_GetObjectItem(root.get(), "doctors_cannot_sync");
  LONGS_EQUAL(1, cJSON_GetArraySize(cannot));
  const cJSON* entry = cJSON_GetArrayItem(cannot, 0);
  STRCMP_EQUAL("d-off", cJSON_GetObjectItem(entry, "doctor_id")->valuestring);
  STRCMP_EQUAL("doctor_not_connected",
               cJSON_GetObjectItem(entry, "reason")->valuestring);
}

TEST(StatusReport, WithoutOAuthDoctorsTheListIsEmpty) {
  PutDoctor("d-s2s", AuthMode::kS2s);
  CjsonPtr root = Render();
  STRCMP_EQUAL(
      "[]",
      PrintJson(cJSON_GetObjectItem(root.get(), "oauth_doctors")).c_str());
}

// The stored verdict of a clinic without an S2S app is judged against the
// doctors as they are at the poll: no app is needed while every doctor
// connects their own Zoom account, and one is as soon as an S2S doctor
// is registered.
TEST(StatusReport, TheS2sAppIsNeededOnlyWhileAnS2sDoctorExists) {
  PutDoctor("d-own", AuthMode::kOauth);
  ZoomCheckResult unconfigured;
  unconfigured.checked_at = clock.NowSeconds();
  unconfigured.items.push_back({"credentials", false, "no app"});
  CHECK_OK(SaveZoomCheck(store.get(), unconfigured));
  CjsonPtr root = Render();
  const cJSON* zoom = cJSON_GetObjectItem(root.get(), "zoom");
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(zoom, "ok")));
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(zoom, "configured")));
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(zoom, "s2s_app_needed")));
  PutDoctor("d-s2s", AuthMode::kS2s);
  root = Render();
  zoom = cJSON_GetObjectItem(root.get(), "zoom");
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(zoom, "ok")));
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(zoom, "s2s_app_needed")));
}

}  // namespace telemed
