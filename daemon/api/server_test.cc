// The local API over real HTTP on 127.0.0.1, against a real store in a temp
// dir.
#include "api/server.h"

#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "base/cjson.h"
#include "base/fake_clock.h"
#include "base/log.h"
#include "base/random.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "support/temp_dir.h"
#include "zoom/zoom_check.h"

namespace telemed {

namespace {

constexpr char kJson[] = "application/json";
constexpr char kAppointmentBody[] =
    R"({"doctor_id":"dr-1","start_time":"2026-06-01T10:00:00+02:00",)"
    R"("duration_minutes":30,"timezone":"Europe/Berlin","topic":"Follow-up"})";

// A field of a JSON body, as text ("" when absent); numbers print as JSON.
std::string Field(const std::string& body, const char* name) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  if (!root) return "<not json>";
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root.get(), name);
  if (item == nullptr) return "";
  if (cJSON_IsString(item)) return item->valuestring;
  return PrintJson(item);
}

std::string ErrorCode(const std::string& body) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  if (!root) return "<not json>";
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  const cJSON* code = cJSON_GetObjectItemCaseSensitive(error, "code");
  return cJSON_IsString(code) ? code->valuestring : "";
}

// The object at `path` ("queue", "quota/0") of a JSON body, as JSON text.
std::string At(const std::string& body, const std::string& path) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* item = root.get();
  size_t start = 0;
  while (item != nullptr && start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string key = path.substr(start, end - start);
    item = cJSON_IsArray(item)
               ? cJSON_GetArrayItem(item, std::stoi(key))
               : cJSON_GetObjectItemCaseSensitive(item, key.c_str());
    start = end + 1;
  }
  return item == nullptr ? "<absent>" : PrintJson(item);
}

int ItemCount(const std::string& body) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  return cJSON_GetArraySize(
      cJSON_GetObjectItemCaseSensitive(root.get(), "items"));
}

}  // namespace

TEST_GROUP(ApiServer) {
  test::TempDir dir;
  FakeClock clock;
  CapturingLogger logger;
  std::unique_ptr<Store> store;
  std::unique_ptr<ApiServer> server;
  std::unique_ptr<RandomSource> random;
  std::thread runner;
  std::unique_ptr<httplib::Client> client;
  std::string key;

  void setup() override {
    Store::Options store_options;
    store_options.path = dir.File("bridge.db");
    store_options.clock = &clock;
    CHECK_TRUE(Store::Open(store_options, &store).ok());
    CHECK_TRUE(RealRandom::Open(&random).ok());
    CHECK_TRUE(store->CreateApiKey("pos", random.get(), &key).ok());
    ApiServer::Options options;
    options.port = 0;
    options.store = store.get();
    options.logger = &logger;
    options.clock = &clock;
    options.worker_threads = 8;
    CHECK_TRUE(ApiServer::Open(options, &server).ok());
    runner = std::thread([this] { server->Run(); });
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    client->set_bearer_token_auth(key.c_str());
    Doctor doctor;
    doctor.id = "dr-1";
    doctor.name = "Dr. One";
    doctor.zoom_user = "one@clinic.example";
    WriteOutcome outcome;
    CHECK_TRUE(store->PutDoctor(doctor, &outcome).ok());
  }

  void teardown() override {
    client.reset();
    server->Stop();
    runner.join();
  }

  httplib::Result PutAppointment(const std::string& id,
                                 const std::string& body) {
    return client->Put(("/api/v1/appointments/" + id).c_str(), body, kJson);
  }

  // Gives a1 a meeting as the sync engine does, with the start Zoom
  // confirmed (0: none yet).
  void GiveMeeting(int64_t synced_start) {
    auto give = [synced_start](SyncTask* task, bool) {
      task->appointment.has_meeting = true;
      task->appointment.meeting = Meeting{"81234567890", "https://j", "p"};
      task->zoom.synced_start_time = synced_start;
    };
    CHECK_TRUE(ChangeSyncTask(store.get(), "a1", give, nullptr).ok());
  }
};

TEST(ApiServer, HealthNeedsNoKey) {
  httplib::Client anonymous("127.0.0.1", server->port());
  auto res = anonymous.Get("/api/v1/health");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("ok", Field(res->body, "status").c_str());
  CHECK_FALSE(Field(res->body, "version").empty());
  STRCMP_EQUAL("application/json; charset=utf-8",
               res->get_header_value("Content-Type").c_str());
}

TEST(ApiServer, MissingOrUnknownKeyIs401) {
  httplib::Client anonymous("127.0.0.1", server->port());
  auto res = anonymous.Get("/api/v1/doctors");
  LONGS_EQUAL(401, res->status);
  STRCMP_EQUAL("missing_api_key", ErrorCode(res->body).c_str());
  STRCMP_EQUAL("Bearer", res->get_header_value("WWW-Authenticate").c_str());
  anonymous.set_bearer_token_auth("tbk_not-a-real-key");
  res = anonymous.Get("/api/v1/doctors");
  LONGS_EQUAL(401, res->status);
  STRCMP_EQUAL("invalid_api_key", ErrorCode(res->body).c_str());
}

TEST(ApiServer, RevokedKeyIsRefusedAtOnce) {
  LONGS_EQUAL(200, client->Get("/api/v1/doctors")->status);
  CHECK_TRUE(store->RevokeApiKey("pos").ok());
  LONGS_EQUAL(401, client->Get("/api/v1/doctors")->status);
}

TEST(ApiServer, StatusBeforeAnyCheckOrWork) {
  httplib::Client anonymous("127.0.0.1", server->port());
  LONGS_EQUAL(401, anonymous.Get("/api/v1/status")->status);
  auto res = client->Get("/api/v1/status");
  LONGS_EQUAL(200, res->status);
  CHECK_FALSE(Field(res->body, "version").empty());
  STRCMP_EQUAL("null", At(res->body, "zoom").c_str());
  STRCMP_EQUAL(
      R"({"pending":0,"failed":0,"deletions_pending":0,"next_attempt_at":null})",
      At(res->body, "queue").c_str());
  STRCMP_EQUAL(R"([{"doctor_id":"dr-1","zoom_user":"one@clinic.example",)"
               R"("creates_and_updates_today":0,"limit":100}])",
               At(res->body, "quota").c_str());
}

TEST(ApiServer, StatusReportsTheLastCheckTheQueueAndTodaysQuota) {
  PutAppointment("a1", kAppointmentBody);
  ZoomCheckResult check;
  check.checked_at = clock.NowSeconds() - 60;
  check.configured = true;  // Zoom refused a stored app
  check.items.push_back({"credentials", false, "Zoom refused the app"});
  CHECK_TRUE(SaveZoomCheck(store.get(), check).ok());
  const int64_t today = clock.NowSeconds() / 86400;
  int count = 0;
  CHECK_TRUE(store->AddZoomWrite("one@clinic.example", today - 1, &count).ok());
  for (int i = 0; i < 3; ++i) {
    CHECK_TRUE(store->AddZoomWrite("one@clinic.example", today, &count).ok());
  }
  auto res = client->Get("/api/v1/status");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL(ZoomCheckToJson(check).c_str(), At(res->body, "zoom").c_str());
  STRCMP_EQUAL("1", At(res->body, "queue/pending").c_str());
  // Due at once: the next attempt is now.
  STRCMP_EQUAL("\"2026-01-01T00:00:00Z\"",
               At(res->body, "queue/next_attempt_at").c_str());
  STRCMP_EQUAL("3", At(res->body, "quota/0/creates_and_updates_today").c_str());
}

TEST(ApiServer, StatusListsOnlyS2sDoctorsInTheQuota) {
  auto res = client->Put("/api/v1/doctors/dr-2",
                         R"({"name":"Dr. Two","auth":"oauth"})", kJson);
  LONGS_EQUAL(201, res->status);
  res = client->Get("/api/v1/status");
  STRCMP_EQUAL("\"dr-1\"", At(res->body, "quota/0/doctor_id").c_str());
  STRCMP_EQUAL("<absent>", At(res->body, "quota/1").c_str());
}

TEST(ApiServer, PutDoctorCreatesThenReplaces) {
  std::string body = R"({"name":"Dr. Two","zoom_user":"two@clinic.example"})";
  auto res = client->Put("/api/v1/doctors/dr-2", body, kJson);
  LONGS_EQUAL(201, res->status);
  STRCMP_EQUAL("s2s", Field(res->body, "auth").c_str());
  res = client->Put("/api/v1/doctors/dr-2",
                    R"({"name":"Dr. Two","auth":"oauth"})", kJson);
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("oauth", Field(res->body, "auth").c_str());
  STRCMP_EQUAL("null", Field(res->body, "zoom_user").c_str());
  res = client->Get("/api/v1/doctors");
  LONGS_EQUAL(200, res->status);
  LONGS_EQUAL(2, ItemCount(res->body));
  LONGS_EQUAL(404, client->Get("/api/v1/doctors/nobody")->status);
}

TEST(ApiServer, DoctorsShowTheirOauthConnection) {
  auto res = client->Put("/api/v1/doctors/dr-2",
                         R"({"name":"Dr. Two","auth":"oauth"})", kJson);
  LONGS_EQUAL(201, res->status);
  STRCMP_EQUAL(R"({"state":"not_connected","zoom_email":null,)"
               R"("connected_at":null})",
               Field(res->body, "oauth").c_str());
  DoctorGrant grant;
  grant.doctor_id = "dr-2";
  grant.sealed_access_token = "sealed-access";
  grant.sealed_refresh_token = "sealed-refresh";
  grant.zoom_user_id = "zoom-two";
  grant.zoom_email = "two@clinic.example";
  grant.connected_at = 1780000000;
  int64_t generation = 0;
  CHECK_TRUE(store->PutGrant(grant, &generation).ok());
  bool applied = false;
  CHECK_TRUE(store
                 ->SetGrantState("dr-2", generation,
                                 GrantState::kReconnectNeeded, &applied)
                 .ok());
  CHECK(applied);
  res = client->Get("/api/v1/doctors/dr-2");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL(R"({"state":"reconnect_needed","zoom_email":)"
               R"("two@clinic.example","connected_at":"2026-05-28T20:26:40Z"})",
               Field(res->body, "oauth").c_str());
  CHECK(res->body.find("sealed") == std::string::npos);
  res = client->Get("/api/v1/doctors");
  STRCMP_EQUAL("null", At(res->body, "items/0/oauth").c_str());
  STRCMP_EQUAL("\"reconnect_needed\"",
               At(res->body, "items/1/oauth/state").c_str());
}

TEST(ApiServer, PutAppointmentNormalisesAndIsIdempotent) {
  auto res = PutAppointment("a1", kAppointmentBody);
  LONGS_EQUAL(201, res->status);
  STRCMP_EQUAL("2026-06-01T08:00:00Z", Field(res->body, "start_time").c_str());
  STRCMP_EQUAL("pending", Field(res->body, "sync_status").c_str());
  STRCMP_EQUAL("null", Field(res->body, "meeting").c_str());
  std::string revision = Field(res->body, "revision");
  res = PutAppointment("a1", kAppointmentBody);
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL(revision.c_str(), Field(res->body, "revision").c_str());
  // The same instant in UTC is the same appointment.
  std::string utc = kAppointmentBody;
  utc.replace(utc.find("10:00:00+02:00"), 14, "08:00:00Z");
  res = PutAppointment("a1", utc);
  STRCMP_EQUAL(revision.c_str(), Field(res->body, "revision").c_str());
}

TEST(ApiServer, PuttingBackWhatWasReadChangesNothing) {
  auto res = PutAppointment("a1", kAppointmentBody);
  std::string read = client->Get("/api/v1/appointments/a1")->body;
  res = PutAppointment("a1", read);
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL(Field(read, "revision").c_str(),
               Field(res->body, "revision").c_str());
}

TEST(ApiServer, ChangeMovesRevisionAndDeleteCancels) {
  PutAppointment("a1", kAppointmentBody);
  std::string moved = kAppointmentBody;
  moved.replace(moved.find("\"duration_minutes\":30"), 21,
                "\"duration_minutes\":45");
  auto res = PutAppointment("a1", moved);
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("2", Field(res->body, "revision").c_str());
  res = client->Delete("/api/v1/appointments/a1");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("true", Field(res->body, "cancelled").c_str());
  STRCMP_EQUAL("3", Field(res->body, "revision").c_str());
  LONGS_EQUAL(404, client->Delete("/api/v1/appointments/nope")->status);
}

TEST(ApiServer, UnknownDoctorIs422AndStoresNothing) {
  std::string body = kAppointmentBody;
  body.replace(body.find("dr-1"), 4, "dr-9");
  auto res = PutAppointment("a1", body);
  LONGS_EQUAL(422, res->status);
  STRCMP_EQUAL("unknown_doctor", ErrorCode(res->body).c_str());
  LONGS_EQUAL(404, client->Get("/api/v1/appointments/a1")->status);
}

TEST(ApiServer, MalformedInputsGetTheirStatus) {
  LONGS_EQUAL(400, PutAppointment("a1", "{not json")->status);
  auto res = PutAppointment("a1", R"({"doctor_id":"dr-1"})");
  LONGS_EQUAL(422, res->status);
  STRCMP_EQUAL("missing_field", ErrorCode(res->body).c_str());
  res = client->Put("/api/v1/appointments/a1", kAppointmentBody, "text/plain");
  LONGS_EQUAL(415, res->status);
  res = PutAppointment("bad%20id", kAppointmentBody);
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_id", ErrorCode(res->body).c_str());
  LONGS_EQUAL(400, PutAppointment("..", kAppointmentBody)->status);
}

TEST(ApiServer, OversizedBodyIs413WithJsonError) {
  std::string body(70 * 1024, ' ');
  auto res = PutAppointment("a1", body);
  LONGS_EQUAL(413, res->status);
  STRCMP_EQUAL("body_too_large", ErrorCode(res->body).c_str());
}

TEST(ApiServer, WrongMethodIs405WithAllow) {
  auto res = client->Post("/api/v1/doctors/dr-1", "{}", kJson);
  LONGS_EQUAL(405, res->status);
  STRCMP_EQUAL("GET, PUT, DELETE", res->get_header_value("Allow").c_str());
  STRCMP_EQUAL("method_not_allowed", ErrorCode(res->body).c_str());
}

TEST(ApiServer, UnknownPathIs404) {
  auto res = client->Get("/api/v1/nothing-here");
  LONGS_EQUAL(404, res->status);
  STRCMP_EQUAL("not_found", ErrorCode(res->body).c_str());
}

TEST(ApiServer, FeedPagesVisitEachAppointmentOnce) {
  for (int i = 0; i < 5; ++i) {
    PutAppointment("a" + std::to_string(i), kAppointmentBody);
  }
  PutAppointment(
      "a0", std::string(kAppointmentBody)
                .replace(std::string(kAppointmentBody).find("30"), 2, "40"));
  std::string cursor = "0";
  int seen = 0;
  for (int page = 0; page < 10; ++page) {
    auto res =
        client->Get(("/api/v1/appointments?limit=2&since=" + cursor).c_str());
    LONGS_EQUAL(200, res->status);
    int count = ItemCount(res->body);
    if (count == 0) break;
    seen += count;
    cursor = Field(res->body, "next_cursor");
  }
  LONGS_EQUAL(5, seen);
  auto res = client->Get("/api/v1/appointments?limit=0");
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("limit", Field(Field(res->body, "error"), "field").c_str());
}

TEST(ApiServer, LongPollReturnsAsSoonAsSomethingChanges) {
  auto res = client->Get("/api/v1/appointments");
  std::string cursor = Field(res->body, "next_cursor");
  std::thread writer([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    httplib::Client other("127.0.0.1", server->port());
    other.set_bearer_token_auth(key.c_str());
    other.Put("/api/v1/appointments/late", kAppointmentBody, kJson);
  });
  auto start = std::chrono::steady_clock::now();
  res = client->Get(("/api/v1/appointments?wait=30&since=" + cursor).c_str());
  auto elapsed = std::chrono::steady_clock::now() - start;
  writer.join();
  LONGS_EQUAL(200, res->status);
  LONGS_EQUAL(1, ItemCount(res->body));
  // Woken by the write, not by the 30 s timeout.
  CHECK(elapsed < std::chrono::seconds(10));
}

TEST(ApiServer, StopWakesLongPolls) {
  std::atomic<int> status{0};
  std::thread poller([this, &status] {
    httplib::Client other("127.0.0.1", server->port());
    other.set_bearer_token_auth(key.c_str());
    auto res = other.Get("/api/v1/appointments?wait=60&since=head");
    status = res ? res->status : -1;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  poller.join();
  LONGS_EQUAL(200, status.load());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST(ApiServer, RoutesOnTheRawPathSoAnEscapedSlashIsNoSeparator) {
  PutAppointment("a", kAppointmentBody);
  const std::string revision =
      Field(client->Get("/api/v1/appointments/a")->body, "revision");
  for (const char* path :
       {"/api/v1/appointments/a%2Fretry", "/api/v1/appointments/a%2Fb/retry",
        "/api/v1/appointments/a%2fb/retry", "/api/v1/appointments/a/b/retry",
        "/api/v1/appointments/a%2F/retry"}) {
    auto res = client->Post(path, "", kJson);
    LONGS_EQUAL_TEXT(400, res->status, path);
    STRCMP_EQUAL_TEXT("invalid_id", ErrorCode(res->body).c_str(), path);
  }
  for (const char* path :
       {"/api/v1/doctors/dr-1%2Fx", "/api/v1/doctors/dr-1/x",
        "/api/v1/appointments/a%2Fstart_url", "/api/v1/appointments/a/x"}) {
    auto res = client->Get(path);
    LONGS_EQUAL_TEXT(400, res->status, path);
    STRCMP_EQUAL_TEXT("invalid_id", ErrorCode(res->body).c_str(), path);
  }
  // Nothing acted on "a"; an escaped ordinary character still names it.
  auto res = client->Get("/api/v1/appointments/%61");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL(revision.c_str(), Field(res->body, "revision").c_str());
}

TEST(ApiServer, UnknownOrRepeatedQueryParametersAre400) {
  struct Case {
    const char* path;
    const char* field;
  } cases[] = {
      {"/api/v1/health?verbose=1", "verbose"},
      {"/api/v1/doctors?limit=5", "limit"},
      {"/api/v1/doctors/dr-1?x", "x"},
      {"/api/v1/appointments?since=0&cursor=5", "cursor"},
      {"/api/v1/appointments?since=0&since=0", "since"},
      {"/api/v1/appointments?wait=1&wait=2", "wait"},
      {"/api/v1/appointments?Limit=5", "Limit"},
  };
  for (const Case& c : cases) {
    auto res = client->Get(c.path);
    LONGS_EQUAL_TEXT(400, res->status, c.path);
    STRCMP_EQUAL_TEXT("invalid_query", ErrorCode(res->body).c_str(), c.path);
    STRCMP_EQUAL_TEXT(
        c.field, Field(Field(res->body, "error"), "field").c_str(), c.path);
  }
  auto res =
      client->Put("/api/v1/doctors/dr-2?dry_run=1",
                  R"({"name":"Dr. Two","zoom_user":"two@x.example"})", kJson);
  LONGS_EQUAL(400, res->status);
  LONGS_EQUAL(404, client->Get("/api/v1/doctors/dr-2")->status);
  LONGS_EQUAL(
      200, client->Get("/api/v1/appointments?since=0&limit=5&wait=0")->status);
}

TEST(ApiServer, DuplicateKeysAndControlCharactersAre400) {
  std::string body = kAppointmentBody;
  body.insert(body.size() - 1, R"(,"duration_minutes":45)");
  auto res = PutAppointment("a1", body);
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_json", ErrorCode(res->body).c_str());
  STRCMP_EQUAL("duration_minutes",
               Field(Field(res->body, "error"), "field").c_str());
  res = client->Put("/api/v1/doctors/dr-2",
                    R"({"name":"Dr.[2J Two","zoom_user":"two@x.example"})",
                    kJson);
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_string", ErrorCode(res->body).c_str());
  STRCMP_EQUAL("name", Field(Field(res->body, "error"), "field").c_str());
  LONGS_EQUAL(404, client->Get("/api/v1/appointments/a1")->status);
  LONGS_EQUAL(404, client->Get("/api/v1/doctors/dr-2")->status);
}

TEST(ApiServer, FeedCursorsCarryTheDatabaseAndRefuseOthers) {
  PutAppointment("a1", kAppointmentBody);
  PutAppointment("a2", kAppointmentBody);
  std::string database_id;
  CHECK_TRUE(store->GetDatabaseId(&database_id).ok());
  const std::string tag = database_id.substr(0, 8);
  auto res = client->Get("/api/v1/appointments?limit=1");
  STRCMP_EQUAL((tag + "-1").c_str(), Field(res->body, "next_cursor").c_str());
  res = client->Get(("/api/v1/appointments?since=" + tag + "-1").c_str());
  LONGS_EQUAL(1, ItemCount(res->body));
  STRCMP_EQUAL((tag + "-2").c_str(), Field(res->body, "next_cursor").c_str());
  // A bare number from before the upgrade is this database's.
  res = client->Get("/api/v1/appointments?since=1");
  LONGS_EQUAL(200, res->status);
  LONGS_EQUAL(1, ItemCount(res->body));
  STRCMP_EQUAL((tag + "-2").c_str(), Field(res->body, "next_cursor").c_str());
  // head: nothing to list, and the cursor to follow from now on.
  res = client->Get("/api/v1/appointments?since=head");
  LONGS_EQUAL(0, ItemCount(res->body));
  STRCMP_EQUAL((tag + "-2").c_str(), Field(res->body, "next_cursor").c_str());
  const std::string other = tag == "00000000" ? "00000001" : "00000000";
  for (const std::string& since :
       {other + "-1", tag + "-3", std::string("3"), other + "-0"}) {
    res = client->Get(("/api/v1/appointments?since=" + since).c_str());
    LONGS_EQUAL_TEXT(409, res->status, since.c_str());
    STRCMP_EQUAL("cursor_invalid", ErrorCode(res->body).c_str());
    STRCMP_EQUAL("since", Field(Field(res->body, "error"), "field").c_str());
  }
  res = client->Get("/api/v1/appointments?since=abc");
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_query", ErrorCode(res->body).c_str());
  LONGS_EQUAL(2, ItemCount(client->Get("/api/v1/appointments?since=0")->body));
}

TEST(ApiServer, MeetingShowsTheStartZoomConfirmed) {
  PutAppointment("a1", kAppointmentBody);
  GiveMeeting(1780300800);  // 2026-06-01T08:00:00Z
  // A reschedule Zoom has not taken yet: the meeting keeps its start.
  std::string moved = kAppointmentBody;
  moved.replace(moved.find("10:00:00+02:00"), 14, "11:00:00+02:00");
  auto res = PutAppointment("a1", moved);
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("2026-06-01T09:00:00Z", Field(res->body, "start_time").c_str());
  STRCMP_EQUAL("\"2026-06-01T08:00:00Z\"",
               At(res->body, "meeting/start_time").c_str());
}

TEST(ApiServer, DeleteDoctorRemovesItOnceNothingIsLeftToDo) {
  LONGS_EQUAL(404, client->Delete("/api/v1/doctors/nobody")->status);
  PutAppointment("a1", kAppointmentBody);
  auto res = client->Delete("/api/v1/doctors/dr-1");
  LONGS_EQUAL(409, res->status);
  STRCMP_EQUAL("doctor_in_use", ErrorCode(res->body).c_str());
  CHECK(Field(Field(res->body, "error"), "message").find("1 appointment") !=
        std::string::npos);
  LONGS_EQUAL(200, client->Get("/api/v1/doctors/dr-1")->status);
  // Cancelled, and the bridge finished with Zoom.
  LONGS_EQUAL(200, client->Delete("/api/v1/appointments/a1")->status);
  CHECK_TRUE(ChangeSyncTask(
                 store.get(), "a1",
                 [](SyncTask* task, bool) { task->zoom.needs_work = false; },
                 nullptr)
                 .ok());
  res = client->Delete("/api/v1/doctors/dr-1");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("Dr. One", Field(res->body, "name").c_str());
  LONGS_EQUAL(404, client->Get("/api/v1/doctors/dr-1")->status);
  LONGS_EQUAL(404, client->Get("/api/v1/appointments/a1")->status);
  LONGS_EQUAL(404, client->Delete("/api/v1/doctors/dr-1")->status);
}

TEST(ApiServer, RetryRequeuesAndAnswersWithTheAppointment) {
  LONGS_EQUAL(
      404, client->Post("/api/v1/appointments/none/retry", "", kJson)->status);
  PutAppointment("a1", kAppointmentBody);
  auto res = client->Post("/api/v1/appointments/a1/retry", "", kJson);
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("a1", Field(res->body, "id").c_str());
  LONGS_EQUAL(405, client->Get("/api/v1/appointments/a1/retry")->status);
}

TEST(ApiServer, StartUrlNeedsAMeetingAndZoom) {
  PutAppointment("a1", kAppointmentBody);
  auto res = client->Get("/api/v1/appointments/a1/start_url");
  LONGS_EQUAL(409, res->status);
  STRCMP_EQUAL("no_meeting", ErrorCode(res->body).c_str());
  GiveMeeting(0);
  // The meeting shows the start Zoom confirmed (none yet here).
  STRCMP_EQUAL(
      R"({"id":"81234567890","join_url":"https://j","passcode":"p","start_time":null})",
      At(client->Get("/api/v1/appointments/a1")->body, "meeting").c_str());
  // This server has no Zoom client: as if Zoom could not be reached.
  res = client->Get("/api/v1/appointments/a1/start_url");
  LONGS_EQUAL(502, res->status);
  STRCMP_EQUAL("zoom_unavailable", ErrorCode(res->body).c_str());
  LONGS_EQUAL(400, client->Get("/api/v1/appointments/b%20d/start_url")->status);
}

}  // namespace telemed
