// GET /appointments/{id}/start_url against the fake Zoom over HTTPS.
#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "api/server.h"
#include "base/cjson.h"
#include "base/fake_clock.h"
#include "base/log.h"
#include "base/random.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "support/zoom_bed.h"

namespace telemed {

TEST_GROUP(ApiStartUrl) {
  test::ZoomBed bed;
  // Short names for the bed's parts.
  FakeClock& clock = bed.clock;
  std::unique_ptr<RandomSource>& random = bed.random;
  std::unique_ptr<Store>& store = bed.store;
  std::unique_ptr<test::ZoomHarness>& harness = bed.harness;
  CapturingLogger logger;
  std::unique_ptr<ApiServer> server;
  std::thread runner;
  std::string key;
  std::string meeting_id;

  void setup() override {
    CHECK_TRUE(store->CreateApiKey("pos", random.get(), &key).ok());
    ApiServer::Options options;
    options.port = 0;
    options.store = store.get();
    options.logger = &logger;
    options.clock = &clock;
    options.zoom = &harness->api();
    options.worker_threads = 4;
    CHECK_TRUE(ApiServer::Open(options, &server).ok());
    runner = std::thread([this] { server->Run(); });
    GiveAppointmentAMeeting();
  }

  void teardown() override {
    server->Stop();
    runner.join();
  }

  void GiveAppointmentAMeeting() {
    bed.PutDoctor("dr-1", "doctor@clinic.example");
    WriteOutcome outcome;
    AppointmentRequest request;
    request.id = "a1";
    request.doctor_id = "dr-1";
    request.start_time = clock.NowSeconds() + 86400;
    request.duration_minutes = 30;
    Appointment stored;
    CHECK_TRUE(store->PutAppointment(request, &outcome, &stored).ok());
    MeetingSpec spec;
    spec.topic = "Video visit";
    spec.start_time = request.start_time;
    spec.duration_minutes = 30;
    spec.password = "Ab1cdefgh2";
    ZoomMeeting meeting;
    ZoomError error;
    CHECK_TRUE(harness->api().CreateMeeting("u1", spec, &meeting, &error).ok());
    meeting_id = meeting.id;
    CHECK_TRUE(ChangeSyncTask(
                   store.get(), "a1",
                   [&meeting](SyncTask* task, bool) {
                     task->appointment.has_meeting = true;
                     task->appointment.meeting = Meeting{
                         meeting.id, meeting.join_url, meeting.password};
                   },
                   nullptr)
                   .ok());
  }

  httplib::Result GetStartUrl() {
    httplib::Client client("127.0.0.1", server->port());
    client.set_bearer_token_auth(key.c_str());
    return client.Get("/api/v1/appointments/a1/start_url");
  }
};

TEST(ApiStartUrl, AnswersAFreshHostLinkAndNeverLogsIt) {
  auto res = GetStartUrl();
  LONGS_EQUAL(200, res->status);
  CjsonPtr root(cJSON_Parse(res->body.c_str()));
  const cJSON* url = cJSON_GetObjectItemCaseSensitive(root.get(), "start_url");
  CHECK_TRUE(cJSON_IsString(url));
  CHECK(std::string(url->valuestring).find(meeting_id) != std::string::npos);
  STRCMP_EQUAL("no-store", res->get_header_value("Cache-Control").c_str());
  CHECK_FALSE(logger.Contains(url->valuestring));
}

TEST(ApiStartUrl, MeetingGoneOnZoomIsAConflictAndRequeues) {
  harness->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(meeting_id));
  auto res = GetStartUrl();
  LONGS_EQUAL(409, res->status);
  SyncTask task;
  CHECK_TRUE(store->GetSyncTask("a1", &task).ok());
  CHECK_TRUE(task.zoom.needs_work);
}

TEST(ApiStartUrl, ZoomDownIs502) {
  harness->zoom().InjectFault(test::MakeFault(
      "GET", "/v2/meetings/", test::FaultKind::kServerError, 2));
  auto res = GetStartUrl();
  LONGS_EQUAL(502, res->status);
}

}  // namespace telemed
