// The sync engine against the fake Zoom over real HTTPS, on a fake clock,
// with calls run inline so every step is deterministic.
#include "sync/sync_engine.h"

#include <CppUTest/TestHarness.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/fake_clock.h"
#include "base/log.h"
#include "base/random.h"
#include "store/store.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_bed.h"
#include "support/zoom_bridge.h"
#include "sync/doctor_disconnect.h"
#include "sync/executor.h"
#include "sync/marker.h"
#include "sync/outcome.h"
#include "sync/start_url.h"
#include "sync/sync_runner.h"
#include "sync/testutil.h"
#include "zoom/rate_limiter.h"
#include "zoom/transport.h"
#include "zoom/user_oauth.h"
#include "zoom/zoom_client.h"

namespace telemed {

namespace {
// Runs jobs at once, or, while `defer` is set, keeps them for RunDeferred:
// calls admitted in one Step then leave one after another, as calls in
// flight together do on the thread pool.
class TestExecutor final : public Executor {
 public:
  void Submit(std::function<void()> job) override {
    if (defer) {
      deferred.push_back(std::move(job));
    } else {
      job();
    }
  }
  void RunDeferred() {
    std::vector<std::function<void()>> jobs;
    jobs.swap(deferred);
    for (auto& job : jobs) job();
  }
  bool defer = false;
  std::vector<std::function<void()>> deferred;
};

// Passes requests on; runs `hook` once, after the first `method` request
// whose URL contains `url_part` was answered and before the caller sees
// the answer: something that happens while a call is at Zoom.
class AfterRequest final : public ZoomTransport {
 public:
  explicit AfterRequest(ZoomTransport* next) : next_(next) {}
  Status Send(const HttpRequest& request, HttpResponse* response) override {
    Status s = next_->Send(request, response);
    if (hook && request.method == method &&
        request.url.find(url_part) != std::string::npos) {
      std::function<void()> once = std::move(hook);
      hook = nullptr;
      once();
    }
    return s;
  }
  std::string method, url_part;
  std::function<void()> hook;

 private:
  ZoomTransport* const next_;
};

// Runs `action` once, at the first line that contains `text`.
class HookLogger final : public Logger {
 public:
  void Write(Severity, const std::string& line) override {
    if (!action || line.find(text) == std::string::npos) return;
    std::function<void()> once = std::move(action);
    action = nullptr;
    once();
  }
  Severity MinSeverity() const override { return Severity::kDebug; }
  std::string text;
  std::function<void()> action;
};

// 2026-01-01T00:00:00Z, the FakeClock's start; appointments are a few days on.
constexpr int64_t kNow = 1767225600;
constexpr int64_t kStart = kNow + 3 * 86400 + 9 * 3600;
}  // namespace

TEST_GROUP(SyncEngine) {
  test::ZoomBed bed;
  // Short names for the bed's parts, as every test uses them.
  FakeClock& clock = bed.clock;
  std::unique_ptr<RandomSource>& random = bed.random;
  std::unique_ptr<Store>& store = bed.store;
  std::unique_ptr<test::ZoomHarness>& harness = bed.harness;
  CapturingLogger logger;
  std::unique_ptr<MarkerMaker> markers;
  TestExecutor executor;
  HookLogger hook_logger;
  SyncEngine::Options options;
  std::unique_ptr<SyncEngine> engine;
  std::unique_ptr<ZoomClient> doctors;         // UseDoctorsClient
  ZoomTransport* doctors_transport = nullptr;  // its transport, when not Zoom's

  void setup() override {
    markers = std::make_unique<MarkerMaker>(harness->key());
    options.store = store.get();
    options.zoom = &harness->api();
    options.limiter = &harness->limiter();
    options.clock = &clock;
    options.random = random.get();
    options.markers = markers.get();
    options.logger = &logger;
    options.executor = &executor;
    engine = std::make_unique<SyncEngine>(options);
    PutDoctor("dr-1", "doctor@clinic.example", AuthMode::kS2s);
  }

  // Rebuilds the engine with a logger that runs `action` once, at the
  // first line containing `text`: a hook in the middle of a call.
  void UseLoggerThatRuns(const std::string& text,
                         std::function<void()> action) {
    hook_logger.text = text;
    hook_logger.action = std::move(action);
    options.logger = &hook_logger;
    engine = std::make_unique<SyncEngine>(options);
  }

  // Gives the engine a client that acts for OAuth doctors (as the daemon's
  // ZoomClient with the grants role), the clinic's OAuth app stored.
  void UseDoctorsClient() {
    CHECK_TRUE(
        SaveOAuthApp(store.get(), harness->box(), test::FakeOAuthApp()).ok());
    ZoomClient::Options client;
    client.oauth_url = harness->oauth_url();
    client.api_url = harness->api_url();
    client.transport = doctors_transport != nullptr ? doctors_transport
                                                    : &harness->transport();
    client.store = store.get();
    client.grants = store.get();
    client.box = &harness->box();
    client.clock = &clock;
    client.random = random.get();
    CHECK_TRUE(ZoomClient::Open(client, &doctors).ok());
    options.doctors = doctors.get();
    // One client for the app and the doctors, as the daemon's sync stack.
    options.zoom = doctors->api();
    options.limiter = doctors->limiter();
    engine = std::make_unique<SyncEngine>(options);
  }

  // Zoom user `user_id` connects OAuth doctor `doctor_id`, stored as the
  // callback stores it.
  void Connect(const std::string& doctor_id, const std::string& user_id) {
    Pkce pkce;
    CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
    const std::string code = test::AuthorizedCode(harness.get(), pkce, user_id);
    UserTokens tokens;
    ZoomFailure failure = ZoomFailure::kNone;
    CHECK_TRUE(ExchangeCode(test::Endpoint(harness.get(), &clock),
                            test::FakeOAuthApp(), code, pkce.verifier,
                            test::kRedirect, &tokens, &failure)
                   .ok());
    ZoomUser user;
    user.id = user_id;
    user.email = user_id + "@clinic.example";
    int64_t generation = 0;
    CHECK_TRUE(doctors->user_tokens()
                   ->StoreNewGrant(doctor_id, tokens, user, &generation)
                   .ok());
  }

  // OAuth doctor dr-2, connected as Zoom user u2, with the engine able to
  // act for it.
  void ConnectOauthDoctor() {
    UseDoctorsClient();
    harness->zoom().AddUser("u2", "second@clinic.example");
    PutDoctor("dr-2", "", AuthMode::kOauth);
    Connect("dr-2", "u2");
  }

  // Appointment `id` of doctor `doctor_id`, stored.
  void PutFor(const std::string& id, const std::string& doctor_id) {
    AppointmentRequest request = Request(id);
    request.doctor_id = doctor_id;
    Put(request);
  }

  void PutDoctor(const std::string& id, const std::string& zoom_user,
                 AuthMode auth) {
    bed.PutDoctor(id, zoom_user, auth);
  }

  AppointmentRequest Request(const std::string& id) {
    return test::NewRequest(id, kStart);
  }

  void Put(const AppointmentRequest& request) {
    WriteOutcome outcome;
    Appointment stored;
    CHECK_TRUE(store->PutAppointment(request, &outcome, &stored).ok());
  }

  // Steps until nothing is due now; when `follow_time`, jumps the clock to
  // each wake-up within `horizon` seconds as well.
  void Run(bool follow_time = false, int64_t horizon = 600) {
    const int64_t end = clock.NowMicros() + horizon * 1000000;
    for (int i = 0; i < 1000; ++i) {
      int64_t wake = 0;
      CHECK_TRUE(engine->Step(&wake).ok());
      if (wake == 0 || wake > clock.NowMicros()) {
        if (!follow_time || wake == 0 || wake > end) return;
        clock.SetMicros(wake);
      }
    }
    FAIL("the engine never settled");
  }

  Appointment Get(const std::string& id) {
    Appointment appointment;
    CHECK_TRUE(store->GetAppointment(id, &appointment).ok());
    return appointment;
  }

  size_t MeetingCount() { return harness->zoom().Meetings().size(); }

  // Disconnects OAuth doctor `doctor_id` as the front ends do.
  DisconnectResult DisconnectNow(const std::string& doctor_id,
                                 bool delete_meetings) {
    DisconnectResult result;
    Status s = DisconnectDoctor(DisconnectDeps(), doctor_id, delete_meetings,
                                clock.NowSeconds(), &result);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    return result;
  }
  int FinishDisconnectsNow() {
    int purged = 0;
    CHECK_TRUE(
        FinishDisconnects(DisconnectDeps(), clock.NowSeconds(), &purged).ok());
    return purged;
  }
  OAuthConnectDeps DisconnectDeps() {
    OAuthConnectDeps deps;
    deps.records = store.get();
    deps.grants = store.get();
    deps.revokes = store.get();
    deps.settings = store.get();
    deps.box = &harness->box();
    deps.oauth = test::Endpoint(harness.get(), &clock);
    return deps;
  }
  // OAuth doctor dr-2 connected, with appointment a1 to create, the engine
  // wired as the daemon's sync stack is, and its calls through `at_zoom`,
  // set to stop after the create.
  void ConnectWithCreateHeld(AfterRequest * at_zoom) {
    doctors_transport = at_zoom;
    at_zoom->method = "POST";
    at_zoom->url_part = "/v2/users/me/meetings";
    options.after_oauth_create = [this](const std::string& doctor_id) {
      int queued = 0;
      return DeleteLateMeetings(store.get(), store.get(), doctor_id, &queued);
    };
    ConnectOauthDoctor();
    PutFor("a1", "dr-2");
  }

  // The doctor's grant state; "" when it has none.
  std::string GrantOf(const std::string& doctor_id) {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(store->GetGrant(doctor_id, &grant, &found).ok());
    return found ? GrantStateName(grant.state) : "";
  }

  // The doctor's create+update count for today, as the daily limit sees it.
  int WritesToday() {
    int writes = 0;
    CHECK_TRUE(
        store->GetZoomWrites("doctor@clinic.example", kNow / 86400, &writes)
            .ok());
    return writes;
  }

  // The first create is cut before Zoom acts: its outcome is in doubt and
  // the look-up that follows finds nothing.
  void DropFirstCreate() {
    harness->zoom().InjectFault(test::MakeFault(
        "POST", "/v2/users/", test::FaultKind::kDropBeforeWork));
  }
};

TEST(SyncEngine, NewAppointmentGetsOneMeetingAndIsSynced) {
  Put(Request("a1"));
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  CHECK_TRUE(appointment.has_meeting);
  CHECK(appointment.meeting.join_url.find("pwd=") != std::string::npos);
  LONGS_EQUAL(10, appointment.meeting.passcode.size());
  LONGS_EQUAL(1, MeetingCount());
  test::FakeMeeting meeting = harness->zoom().Meetings()[0];
  STRCMP_EQUAL(appointment.meeting.id.c_str(),
               std::to_string(meeting.id).c_str());
  STRCMP_EQUAL("Follow-up", meeting.topic.c_str());
  STRCMP_EQUAL("Europe/Berlin", meeting.timezone.c_str());
  LONGS_EQUAL(kStart, meeting.start_seconds);
  CHECK(meeting.settings_json.find("\"waiting_room\":true") !=
        std::string::npos);
  CHECK(meeting.agenda.rfind("[tb:", 0) == 0);
}

TEST(SyncEngine, RescheduleSendsOnePatchWithOnlyTheChange) {
  Put(Request("a1"));
  Run();
  AppointmentRequest moved = Request("a1");
  moved.duration_minutes = 45;
  Put(moved);
  Run();
  LONGS_EQUAL(1, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
  LONGS_EQUAL(0, harness->zoom().CountNoOpPatches());
  LONGS_EQUAL(45, harness->zoom().Meetings()[0].duration);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
}

// Every commit between the clinic's PUT and `synced` waits for the disk:
// a create or an update takes two (the intent with the daily count, then
// the result), and each write is still counted against the host's quota.
TEST(SyncEngine, ACreateAndAnUpdateEachCommitTwice) {
  Put(Request("a0"));
  Run();  // the token is fetched and stored on the way
  Put(Request("a1"));
  int commits = 0;
  store->SetWriteListener([&commits] { ++commits; });
  Run();
  LONGS_EQUAL(2, commits);
  AppointmentRequest moved = Request("a1");
  moved.duration_minutes = 45;
  Put(moved);
  commits = 0;
  Run();
  store->SetWriteListener(nullptr);
  LONGS_EQUAL(2, commits);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(1, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
  LONGS_EQUAL(3, WritesToday());
}

// A clinic change that lands while a create is out (here: between the
// POST Zoom refused for its timezone and the one that makes the meeting)
// is kept, and so is the meeting: the result is computed again on the
// changed appointment, and the change goes to Zoom next.
TEST(SyncEngine, AChangeDuringACreateIsKeptWithTheMeeting) {
  AppointmentRequest request = Request("a1");
  request.timezone = "Antarctica/Troll";
  Put(request);
  AppointmentRequest changed = request;
  changed.topic = "Changed during the call";
  UseLoggerThatRuns("refused timezone", [&] { Put(changed); });
  Run();
  LONGS_EQUAL(1, MeetingCount());
  // Refused as if for the passcode, then for the timezone, then made.
  LONGS_EQUAL(3, harness->zoom().CountRequests("POST", "/v2/users/"));
  LONGS_EQUAL(1, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
  Appointment appointment = Get("a1");
  CHECK(appointment.request == changed);
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  STRCMP_EQUAL("Changed during the call",
               harness->zoom().Meetings()[0].topic.c_str());
}

// Likewise a cancel: the meeting Zoom made meanwhile is not lost but
// deleted.
TEST(SyncEngine, ACancelDuringACreateDeletesTheMeetingZoomMade) {
  AppointmentRequest request = Request("a1");
  request.timezone = "Antarctica/Troll";
  Put(request);
  UseLoggerThatRuns("refused timezone", [&] {
    Appointment stored;
    CHECK_TRUE(store->CancelAppointment("a1", &stored).ok());
  });
  Run();
  LONGS_EQUAL(0, MeetingCount());
  // Refused as if for the passcode, then for the timezone, then made.
  LONGS_EQUAL(3, harness->zoom().CountRequests("POST", "/v2/users/"));
  LONGS_EQUAL(1, harness->zoom().CountRequests("DELETE", "/v2/meetings/"));
  Appointment appointment = Get("a1");
  CHECK_TRUE(appointment.request.cancelled);
  CHECK_FALSE(appointment.has_meeting);
  CHECK(appointment.sync_status == SyncStatus::kSynced);
}

TEST(SyncEngine, RepeatedChangesBeforeAStepAreMerged) {
  Put(Request("a1"));
  Run();
  for (int minutes : {40, 50, 60}) {
    AppointmentRequest moved = Request("a1");
    moved.duration_minutes = minutes;
    Put(moved);
  }
  Run();
  LONGS_EQUAL(1, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
  LONGS_EQUAL(60, harness->zoom().Meetings()[0].duration);
}

TEST(SyncEngine, CancelDeletesTheMeeting) {
  Put(Request("a1"));
  Run();
  Appointment stored;
  CHECK_TRUE(store->CancelAppointment("a1", &stored).ok());
  Run();
  LONGS_EQUAL(0, MeetingCount());
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  CHECK_FALSE(appointment.has_meeting);
}

TEST(SyncEngine, LostCreateAnswerIsFoundNotDuplicated) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/v2/users/", test::FaultKind::kDropAfterWork));
  Put(Request("a1"));
  Run(/*follow_time=*/true);
  LONGS_EQUAL(1, MeetingCount());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/"));
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  STRCMP_EQUAL(std::to_string(harness->zoom().Meetings()[0].id).c_str(),
               appointment.meeting.id.c_str());
  CHECK_FALSE(appointment.meeting.passcode.empty());
}

TEST(SyncEngine, MeetingZoomCreatesAfterTheLookupIsSweptAway) {
  DropFirstCreate();
  Put(Request("a1"));
  Run(/*follow_time=*/true, /*horizon=*/4);  // dropped, looked, created
  LONGS_EQUAL(1, MeetingCount());
  const std::string live = Get("a1").meeting.id;
  // Zoom acts on the held first request only now.
  ZoomMeeting late;
  MeetingSpec spec;
  spec.topic = "Follow-up";
  spec.start_time = kStart;
  spec.duration_minutes = 30;
  spec.agenda = markers->Marker("a1", 1) + " Telemedicine appointment";
  ZoomError error;
  CHECK_TRUE(harness->api()
                 .CreateMeeting("doctor@clinic.example", spec, &late, &error)
                 .ok());
  LONGS_EQUAL(2, MeetingCount());
  const int64_t revision = Get("a1").revision;
  clock.AdvanceSeconds(5);
  Run();
  std::vector<test::FakeMeeting> meetings = harness->zoom().Meetings();
  LONGS_EQUAL(1, meetings.size());
  STRCMP_EQUAL(live.c_str(), std::to_string(meetings[0].id).c_str());
  Appointment appointment = Get("a1");
  STRCMP_EQUAL(live.c_str(), appointment.meeting.id.c_str());
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(revision, appointment.revision);  // the clinic saw nothing
}

TEST(SyncEngine, SweepsThatFindNothingRunThreeRoundsAndStop) {
  DropFirstCreate();
  Put(Request("a1"));
  Run(/*follow_time=*/true, /*horizon=*/3600);
  LONGS_EQUAL(1, MeetingCount());
  // The look-up, then sweeps 5, 30 and 300 seconds apart; nothing after.
  std::vector<int64_t> lists =
      harness->zoom().RequestTimesMicros("GET", "/v2/users/");
  LONGS_EQUAL(4, lists.size());
  LONGS_EQUAL(5000000, lists[1] - lists[0]);
  LONGS_EQUAL(30000000, lists[2] - lists[1]);
  LONGS_EQUAL(300000000, lists[3] - lists[2]);
  SyncTask task;
  CHECK_TRUE(store->GetSyncTask("a1", &task).ok());
  LONGS_EQUAL(0, task.zoom.sweep_at);
  LONGS_EQUAL(0, task.zoom.sweep_round);
  CHECK(task.appointment.sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(2, task.zoom.create_generation);
}

TEST(SyncEngine, ServerErrorsRetryWithBackoffAndStayPending) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "", test::FaultKind::kServerError, 2));
  Put(Request("a1"));
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kPending);
  STRCMP_EQUAL("zoom_unavailable", appointment.error.code.c_str());
  Run(/*follow_time=*/true);
  LONGS_EQUAL(1, MeetingCount());
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  CHECK_FALSE(Get("a1").has_error);
}

TEST(SyncEngine, UnknownZoomUserFailsForGoodUntilTheDoctorChanges) {
  PutDoctor("dr-1", "nobody@clinic.example", AuthMode::kS2s);
  Put(Request("a1"));
  Run(/*follow_time=*/true);
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kFailed);
  STRCMP_EQUAL("zoom_user_not_found", appointment.error.code.c_str());
  LONGS_EQUAL(1001, appointment.error.zoom_code);
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/"));
  PutDoctor("dr-1", "doctor@clinic.example", AuthMode::kS2s);
  Run();
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
}

TEST(SyncEngine, OauthDoctorsWaitForAConnection) {
  PutDoctor("dr-2", "", AuthMode::kOauth);
  AppointmentRequest request = Request("a1");
  request.doctor_id = "dr-2";
  Put(request);
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kPending);
  STRCMP_EQUAL("doctor_not_connected", appointment.error.code.c_str());
  LONGS_EQUAL(0, MeetingCount());
}

TEST(SyncEngine, AConnectedOauthDoctorsMeetingsGoThroughItsOwnToken) {
  ConnectOauthDoctor();
  PutFor("a1", "dr-2");
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(1, MeetingCount());
  STRCMP_EQUAL("u2", harness->zoom().Meetings()[0].host_id.c_str());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/me/"));
  // The doctor's own daily count, under its host key.
  int writes = 0;
  CHECK_TRUE(store->GetZoomWrites("oauth dr-2", kNow / 86400, &writes).ok());
  LONGS_EQUAL(1, writes);
  AppointmentRequest changed = Request("a1");
  changed.doctor_id = "dr-2";
  changed.duration_minutes = 45;
  Put(changed);
  Run();
  LONGS_EQUAL(45, harness->zoom().Meetings()[0].duration);
  changed.cancelled = true;
  Put(changed);
  Run();
  LONGS_EQUAL(0, MeetingCount());
  // Not one call went as the clinic's S2S app.
  LONGS_EQUAL(0, harness->zoom().CountRequests("", "/v2/users/u2"));
  LONGS_EQUAL(0, harness->zoom().CountRequests("", "/v2/users/second"));
}

TEST(SyncEngine, ReconnectNeededWaitsWithoutCallsUntilANewGrant) {
  ConnectOauthDoctor();
  harness->zoom().RefuseGrants("u2");
  PutFor("a1", "dr-2");
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kPending);
  STRCMP_EQUAL("doctor_reconnect_needed", appointment.error.code.c_str());
  const int64_t revision = appointment.revision;
  const size_t requests = harness->zoom().Requests().size();
  Run(/*follow_time=*/true, /*horizon=*/3600);
  LONGS_EQUAL(requests, harness->zoom().Requests().size());
  LONGS_EQUAL(revision, Get("a1").revision);
  Connect("dr-2", "u2");
  Run(/*follow_time=*/true, /*horizon=*/120);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(1, MeetingCount());
}

// Another process (the CLI) is refreshing the doctor's grant and the stored
// token is nearly spent: the work waits a few seconds at a time, not the
// growing backoff of a Zoom fault, and goes once the refresh is done.
TEST(SyncEngine, AnotherProcesssRefreshIsWaitedForInShortFixedSteps) {
  ConnectOauthDoctor();
  clock.AdvanceSeconds(3599 - 19);  // too little left to use meanwhile
  const int64_t now = clock.NowSeconds();
  bool taken = false;
  CHECK_TRUE(store
                 ->TryTakeLease("zoom.oauth.refresh.dr-2", "a live process",
                                now, now + 120, &taken)
                 .ok());
  CHECK_TRUE(taken);
  PutFor("a1", "dr-2");
  for (int round = 0; round < 4; ++round) {
    Run();
    SyncTask task;
    CHECK_TRUE(store->GetSyncTask("a1", &task).ok());
    CHECK(task.appointment.sync_status == SyncStatus::kPending);
    LONGS_EQUAL(clock.NowSeconds() + kTokenRenewingRetrySeconds,
                task.zoom.next_attempt_at);
    LONGS_EQUAL(0, task.zoom.attempts);
    clock.SetMicros(task.zoom.next_attempt_at * 1000000);
  }
  CHECK_TRUE(
      store->ReleaseLease("zoom.oauth.refresh.dr-2", "a live process").ok());
  Run();
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(1, MeetingCount());
}

// A daily 429 of one OAuth doctor's account holds that doctor's calls,
// already admitted ones too, and no other doctor's.
TEST(SyncEngine, AnOauthDoctorsDaily429HoldsItsAccountOnly) {
  ConnectOauthDoctor();
  harness->zoom().AddUser("u3", "third@clinic.example");
  PutDoctor("dr-3", "", AuthMode::kOauth);
  Connect("dr-3", "u3");
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/v2/users/me/", test::FaultKind::kDaily429));
  PutFor("a1", "dr-2");
  PutFor("a2", "dr-2");
  executor.defer = true;
  int64_t wake = 0;
  CHECK_TRUE(engine->Step(&wake).ok());
  LONGS_EQUAL(2, executor.deferred.size());
  executor.RunDeferred();
  // The first create's 429 held dr-2: the second never left.
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/me/"));
  for (const char* id : {"a1", "a2"}) {
    STRCMP_EQUAL("zoom_daily_limit", Get(id).error.code.c_str());
  }
  executor.defer = false;
  PutFor("b1", "dr-3");
  Run();
  CHECK(Get("b1").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(2, harness->zoom().CountRequests("POST", "/v2/users/me/"));
  CHECK(Get("a2").sync_status == SyncStatus::kPending);
}

// A per-second 429 of one OAuth doctor's account slows that account only.
TEST(SyncEngine, AnOauthDoctorsPerSecond429DoesNotSlowAnother) {
  ConnectOauthDoctor();
  harness->zoom().AddUser("u3", "third@clinic.example");
  PutDoctor("dr-3", "", AuthMode::kOauth);
  Connect("dr-3", "u3");
  test::Fault fault =
      test::MakeFault("POST", "/v2/users/me/", test::FaultKind::kQps429);
  fault.retry_after = "3";
  harness->zoom().InjectFault(fault);
  PutFor("a1", "dr-2");
  Run();
  CHECK(Get("a1").sync_status == SyncStatus::kPending);
  PutFor("b1", "dr-3");
  Run();
  CHECK(Get("b1").sync_status == SyncStatus::kSynced);
  std::vector<int64_t> times =
      harness->zoom().RequestTimesMicros("POST", "/v2/users/me/");
  LONGS_EQUAL(2, times.size());
  CHECK(times[1] - times[0] < 1000000);  // dr-3 did not wait out dr-2's pause
  Run(/*follow_time=*/true);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  times = harness->zoom().RequestTimesMicros("POST", "/v2/users/me/");
  CHECK(times[2] - times[0] >= 3000000);  // dr-2 did
}

TEST(SyncEngine, AnOauthDoctorsDeletionWaitsForAReconnect) {
  ConnectOauthDoctor();
  PutFor("a1", "dr-2");
  Run();
  harness->zoom().RefuseGrants("u2");
  AppointmentRequest cancelled = Request("a1");
  cancelled.doctor_id = "dr-2";
  cancelled.cancelled = true;
  Put(cancelled);
  Run();
  std::vector<PendingDeletion> pending;
  CHECK_TRUE(store->ListDueDeletions(kNow + 86400, 10, {}, &pending).ok());
  LONGS_EQUAL(1, pending.size());
  STRCMP_EQUAL("oauth dr-2", pending[0].host.c_str());
  STRCMP_EQUAL("doctor_reconnect_needed", pending[0].last_error.c_str());
  Connect("dr-2", "u2");
  Run(/*follow_time=*/true, /*horizon=*/3600);
  LONGS_EQUAL(0, MeetingCount());
  CHECK_TRUE(store->ListDueDeletions(kNow + 86400, 10, {}, &pending).ok());
  LONGS_EQUAL(0, pending.size());
}

TEST(SyncEngine, ADoctorMovedFromS2sToOauthKeepsOneMeeting) {
  UseDoctorsClient();
  Put(Request("a1"));
  Run();
  const std::string first = Get("a1").meeting.id;
  PutDoctor("dr-1", "", AuthMode::kOauth);
  Run();
  STRCMP_EQUAL("doctor_not_connected", Get("a1").error.code.c_str());
  Connect("dr-1", "u1");
  Run(/*follow_time=*/true, /*horizon=*/120);
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kSynced);
  CHECK(appointment.meeting.id != first);
  LONGS_EQUAL(1, MeetingCount());
  STRCMP_EQUAL(appointment.meeting.id.c_str(),
               std::to_string(harness->zoom().Meetings()[0].id).c_str());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/me/"));
}

TEST(SyncEngine, AnOauthDoctorsStartUrlComesThroughItsOwnGrant) {
  ConnectOauthDoctor();
  PutFor("a1", "dr-2");
  Run();
  std::string start_url;
  CHECK_TRUE(FetchStartUrl(store.get(), &harness->api(), doctors.get(), &logger,
                           "a1", &start_url)
                 .ok());
  CHECK_FALSE(start_url.empty());
  harness->zoom().RefuseGrants("u2");
  Status s = FetchStartUrl(store.get(), &harness->api(), doctors.get(), &logger,
                           "a1", &start_url);
  STRCMP_EQUAL("doctor_reconnect_needed", s.reason().c_str());
}

TEST(SyncEngine, HostChangeDeletesOnTheOldHostAndCreatesOnTheNew) {
  harness->zoom().AddUser("u2", "second@clinic.example");
  Put(Request("a1"));
  Run();
  int64_t first = harness->zoom().Meetings()[0].id;
  PutDoctor("dr-1", "second@clinic.example", AuthMode::kS2s);
  Run();
  std::vector<test::FakeMeeting> meetings = harness->zoom().Meetings();
  LONGS_EQUAL(1, meetings.size());
  CHECK(meetings[0].id != first);
  STRCMP_EQUAL("u2", meetings[0].host_id.c_str());
  STRCMP_EQUAL(std::to_string(meetings[0].id).c_str(),
               Get("a1").meeting.id.c_str());
}

TEST(SyncEngine, MeetingDeletedOnZoomIsRecreatedAtTheDriftCheck) {
  Put(Request("a1"));
  Run();
  std::string old_id = Get("a1").meeting.id;
  harness->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(old_id));
  clock.AdvanceSeconds(86400);
  Run();
  LONGS_EQUAL(1, MeetingCount());
  CHECK(Get("a1").meeting.id != old_id);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
}

TEST(SyncEngine, RetryOfASyncedAppointmentReadsItBackAndRecreatesIfGone) {
  Put(Request("a1"));
  Run();
  std::string old_id = Get("a1").meeting.id;
  harness->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(old_id));
  CHECK_TRUE(store->RequeueAppointment("a1").ok());  // POST .../retry
  Run();  // no time passes: not the daily drift check
  LONGS_EQUAL(1, harness->zoom().CountRequests("GET", "/v2/meetings/"));
  LONGS_EQUAL(1, MeetingCount());
  CHECK(Get("a1").meeting.id != old_id);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
}

TEST(SyncEngine, AMeetingGoneWhenItsStartUrlIsAskedIsRecreatedAtOnce) {
  Put(Request("a1"));
  Run();
  std::string old_id = Get("a1").meeting.id;
  harness->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(old_id));
  std::string start_url;
  Status s = FetchStartUrl(store.get(), &harness->api(), nullptr, &logger, "a1",
                           &start_url);
  STRCMP_EQUAL("no_meeting", s.reason().c_str());
  CHECK_FALSE(Get("a1").has_meeting);
  CHECK(Get("a1").sync_status == SyncStatus::kPending);
  Run();
  LONGS_EQUAL(1, MeetingCount());
  CHECK(Get("a1").meeting.id != old_id);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  CHECK_TRUE(FetchStartUrl(store.get(), &harness->api(), nullptr, &logger, "a1",
                           &start_url)
                 .ok());
}

TEST(SyncEngine, AMeetingGoneWhenItIsPatchedIsRecreatedAtOnce) {
  Put(Request("a1"));
  Run();
  std::string old_id = Get("a1").meeting.id;
  harness->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(old_id));
  AppointmentRequest moved = Request("a1");
  moved.duration_minutes = 45;
  Put(moved);
  Run();
  LONGS_EQUAL(1, MeetingCount());
  CHECK(Get("a1").meeting.id != old_id);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(45, harness->zoom().Meetings()[0].duration);
}

TEST(SyncEngine, TimeChangedOnZoomIsPutBack) {
  Put(Request("a1"));
  Run();
  int64_t id = harness->zoom().Meetings()[0].id;
  harness->zoom().ChangeMeetingOnZoom(id, "2026-01-04T15:00:00Z", 90);
  clock.AdvanceSeconds(86400);
  Run();
  test::FakeMeeting meeting;
  CHECK_TRUE(harness->zoom().FindMeeting(id, &meeting));
  LONGS_EQUAL(kStart, meeting.start_seconds);
  LONGS_EQUAL(30, meeting.duration);
}

TEST(SyncEngine, PolicyRefusedPasscodeIsRetriedWithZoomsOwn) {
  test::PasscodePolicy policy;
  policy.require_special = true;
  harness->zoom().SetPasscodePolicy("u1", policy);
  Put(Request("a1"));
  Run();
  LONGS_EQUAL(2, harness->zoom().CountRequests("POST", "/v2/users/"));
  LONGS_EQUAL(1, MeetingCount());
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  // Both sends count against the host's daily quota.
  LONGS_EQUAL(2, WritesToday());
}

TEST(SyncEngine, RefusedTimezoneIsDroppedOnceAndRemembered) {
  AppointmentRequest request = Request("a1");
  request.timezone = "Antarctica/Troll";
  Put(request);
  Run();
  LONGS_EQUAL(1, MeetingCount());
  STRCMP_EQUAL("", harness->zoom().Meetings()[0].timezone.c_str());
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  CHECK_TRUE(logger.Contains("refused timezone Antarctica/Troll"));
  request.duration_minutes = 40;
  Put(request);
  Run();
  LONGS_EQUAL(1, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
}

TEST(SyncEngine, PerSecond429PausesUntilRetryAfter) {
  test::Fault fault =
      test::MakeFault("POST", "/v2/users/", test::FaultKind::kQps429);
  fault.retry_after = "3";
  harness->zoom().InjectFault(fault);
  Put(Request("a1"));
  Run(/*follow_time=*/true);
  std::vector<int64_t> times =
      harness->zoom().RequestTimesMicros("POST", "/v2/users/");
  LONGS_EQUAL(2, times.size());
  CHECK(times[1] - times[0] >= 3000000);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
}

TEST(SyncEngine, Daily429HoldsTheHostUntilMidnight) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/v2/users/", test::FaultKind::kDaily429));
  Put(Request("a1"));
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kPending);
  STRCMP_EQUAL("zoom_daily_limit", appointment.error.code.c_str());
  LONGS_EQUAL(kNow + 86400, appointment.error.retry_at);
  clock.SetMicros((kNow + 86400) * 1000000);
  Run();
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
}

TEST(SyncEngine, ADaily429StopsTheHostsCallsAlreadyAdmitted) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/v2/users/", test::FaultKind::kDaily429));
  Put(Request("a1"));
  Put(Request("a2"));
  executor.defer = true;
  int64_t wake = 0;
  CHECK_TRUE(engine->Step(&wake).ok());
  LONGS_EQUAL(2, executor.deferred.size());  // both admitted
  executor.RunDeferred();
  // a1's 429 held the host: a2's create never left.
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/"));
  for (const char* id : {"a1", "a2"}) {
    Appointment appointment = Get(id);
    STRCMP_EQUAL("zoom_daily_limit", appointment.error.code.c_str());
    LONGS_EQUAL(kNow + 86400, appointment.error.retry_at);
  }
  // Nothing was sent for a2, so it has no create in doubt to look for.
  SyncTask task;
  CHECK_TRUE(store->GetSyncTask("a2", &task).ok());
  CHECK_FALSE(task.zoom.create_in_doubt);
}

TEST(SyncEngine, AnOutageIsLoggedOnceAndSummedUpNotPerAppointment) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/v2/users/", test::FaultKind::kServerError, 3));
  Put(Request("a1"));
  Put(Request("a2"));
  Put(Request("a3"));
  Run();
  int full = 0;
  for (const std::string& line : logger.Lines()) {
    if (line.find(": zoom_unavailable (") != std::string::npos) ++full;
  }
  LONGS_EQUAL(1, full);
  clock.AdvanceSeconds(60);
  int64_t wake = 0;
  CHECK_TRUE(engine->Step(&wake).ok());
  CHECK_TRUE(
      logger.Contains("2 more call(s) failed the same way in 60 s: "
                      "zoom_unavailable"));
}

TEST(SyncEngine, MissingScopeFailsWithTheScopeNamed) {
  harness->zoom().SetGrantedScopes({"user:read:user:admin"});
  Put(Request("a1"));
  Run(/*follow_time=*/true);
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kFailed);
  STRCMP_EQUAL("zoom_scope_missing", appointment.error.code.c_str());
  // One scope to add, named as `zoom test` names it, not Zoom's list of
  // alternatives.
  LONGS_EQUAL(1, appointment.error.missing_scopes.size());
  STRCMP_EQUAL("meeting:write:meeting:admin",
               appointment.error.missing_scopes[0].c_str());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/"));
}

TEST(SyncEngine, RevisionDoesNotMoveOnRepeatedSameFailures) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "", test::FaultKind::kServerError, 4));
  Put(Request("a1"));
  Run();
  int64_t revision = Get("a1").revision;
  clock.AdvanceSeconds(2);
  Run();
  clock.AdvanceSeconds(5);
  Run();
  LONGS_EQUAL(revision, Get("a1").revision);
}

TEST(SyncEngine, NoSecretReachesTheLog) {
  Put(Request("a1"));
  Run();
  std::string passcode = Get("a1").meeting.passcode;
  CHECK_FALSE(logger.Contains(passcode));
  CHECK_FALSE(logger.Contains(test::GeneratedS2sClientSecret()));
  CHECK_FALSE(logger.Contains("zak="));
}

TEST(SyncEngine, WithoutAnAppEveryAppointmentFailsAtOnceWithoutSpendingBudget) {
  CHECK_TRUE(ForgetS2sCredentials(store.get()).ok());
  for (int i = 0; i < 60; ++i) Put(Request("a" + std::to_string(i)));
  int commits = 0;
  store->SetWriteListener([&commits] { ++commits; });
  Run();  // no clock movement: 60 > the 20/s create budget
  store->SetWriteListener(nullptr);
  // Settled in batches (one per read of due tasks), not one commit each.
  CHECK_TEXT(commits <= 3, std::to_string(commits).c_str());
  for (int i = 0; i < 60; ++i) {
    Appointment appointment = Get("a" + std::to_string(i));
    CHECK(appointment.sync_status == SyncStatus::kFailed);
    STRCMP_EQUAL("zoom_not_configured", appointment.error.code.c_str());
  }
  LONGS_EQUAL(0, harness->zoom().Requests().size());
}

TEST(SyncEngine, RefusedCredentialsAreNotTriedAgainUntilTheyChange) {
  harness->zoom().RotateCredentials("fake-client-id", "rotated-secret");
  for (int i = 0; i < 5; ++i) Put(Request("a" + std::to_string(i)));
  Run();
  CHECK(Get("a4").sync_status == SyncStatus::kFailed);
  STRCMP_EQUAL("zoom_credentials_invalid", Get("a4").error.code.c_str());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/oauth/token"));
  CHECK_TRUE(
      SaveS2sCredentials(
          store.get(), harness->box(),
          S2sCredentials{"fake-account-id", "fake-client-id", "rotated-secret"})
          .ok());
  int requeued = 0;
  CHECK_TRUE(store->RequeueFailed(&requeued).ok());
  LONGS_EQUAL(5, requeued);
  Run(/*follow_time=*/true);  // 6 Medium calls: past the burst of 5
  CHECK(Get("a4").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(5, MeetingCount());
}

TEST(SyncEngine, LostPatchAnswerIsReadBackNotRepeated) {
  Put(Request("a1"));
  Run();
  harness->zoom().InjectFault(test::MakeFault("PATCH", "/v2/meetings/",
                                              test::FaultKind::kDropAfterWork));
  AppointmentRequest moved = Request("a1");
  moved.duration_minutes = 45;
  Put(moved);
  Run(/*follow_time=*/true);
  // The PATCH was applied and its answer lost: one GET, no second PATCH.
  LONGS_EQUAL(1, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
  LONGS_EQUAL(0, harness->zoom().CountNoOpPatches());
  LONGS_EQUAL(45, harness->zoom().Meetings()[0].duration);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  SyncTask task;
  CHECK_TRUE(store->GetSyncTask("a1", &task).ok());
  CHECK_FALSE(task.zoom.patch_in_doubt);
}

TEST(SyncEngine, RefusedPatchLeavesNoDoubt) {
  Put(Request("a1"));
  Run();
  harness->zoom().SetMeetingStatus(harness->zoom().Meetings()[0].id,
                                   test::MeetingStatus::kStarted);
  AppointmentRequest moved = Request("a1");
  moved.duration_minutes = 45;
  Put(moved);
  Run();
  STRCMP_EQUAL("zoom_meeting_started", Get("a1").error.code.c_str());
  SyncTask task;
  CHECK_TRUE(store->GetSyncTask("a1", &task).ok());
  CHECK_FALSE(task.zoom.patch_in_doubt);
}

// The daemon's watchdog reads the count: it must move with each turn of
// the runner's loop, a wake included.
TEST(SyncEngine, TheRunnerCountsTheTurnsOfItsLoop) {
  SyncRunner runner(engine.get(), &clock, &logger);
  LONGS_EQUAL(0, static_cast<long>(runner.turns()));
  runner.Start();
  CHECK_TRUE(test::WaitUntil([&runner] { return runner.turns() >= 1; },
                             std::chrono::seconds(30)));
  uint64_t before = runner.turns();
  runner.Wake();
  CHECK_TRUE(
      test::WaitUntil([&runner, before] { return runner.turns() > before; },
                      std::chrono::seconds(30)));
  runner.Stop();
}

TEST(SyncEngine, DisconnectKeepsMeetingsAndLaterWorkWaitsForAReconnect) {
  ConnectOauthDoctor();
  PutFor("a1", "dr-2");
  Run();
  const std::string meeting = Get("a1").meeting.id;
  DisconnectResult result = DisconnectNow("dr-2", false);
  STRCMP_EQUAL("not_connected", result.state.c_str());
  STRCMP_EQUAL("", GrantOf("dr-2").c_str());
  CHECK_TRUE(Get("a1").has_meeting);
  AppointmentRequest changed = Request("a1");
  changed.doctor_id = "dr-2";
  changed.duration_minutes = 50;
  Put(changed);
  Run();
  Appointment appointment = Get("a1");
  CHECK(appointment.sync_status == SyncStatus::kPending);
  STRCMP_EQUAL("doctor_not_connected", appointment.error.code.c_str());
  STRCMP_EQUAL(meeting.c_str(), appointment.meeting.id.c_str());
  LONGS_EQUAL(1, MeetingCount());
  LONGS_EQUAL(0, harness->zoom().CountRequests("PATCH", "/v2/meetings/"));
  Connect("dr-2", "u2");
  Run(/*follow_time=*/true, /*horizon=*/120);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(50, harness->zoom().Meetings()[0].duration);
}

TEST(SyncEngine, DisconnectDeletingMeetingsDeletesThatDoctorsOnceThenPurges) {
  ConnectOauthDoctor();
  PutFor("a1", "dr-2");
  PutFor("a2", "dr-2");
  Put(Request("a3"));  // dr-1's, through the clinic's app
  Run();
  LONGS_EQUAL(3, MeetingCount());
  const std::string kept = Get("a3").meeting.id;
  const std::string gone = Get("a1").meeting.id;
  DisconnectResult result = DisconnectNow("dr-2", true);
  LONGS_EQUAL(2, result.meetings_to_delete);
  STRCMP_EQUAL("disconnecting", result.state.c_str());
  STRCMP_EQUAL("disconnecting", GrantOf("dr-2").c_str());
  CHECK_FALSE(Get("a1").has_meeting);
  CHECK(Get("a1").sync_status == SyncStatus::kPending);
  // Still disconnecting while the deletions are queued.
  LONGS_EQUAL(0, FinishDisconnectsNow());
  Run();
  LONGS_EQUAL(1, MeetingCount());
  STRCMP_EQUAL(kept.c_str(),
               std::to_string(harness->zoom().Meetings()[0].id).c_str());
  LONGS_EQUAL(2, harness->zoom().CountRequests("DELETE", "/v2/meetings/"));
  STRCMP_EQUAL("doctor_not_connected", Get("a1").error.code.c_str());
  CHECK(Get("a3").sync_status == SyncStatus::kSynced);
  // The deletions ended: purged and revoked.
  LONGS_EQUAL(1, FinishDisconnectsNow());
  STRCMP_EQUAL("", GrantOf("dr-2").c_str());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/oauth/revoke"));
  Run(/*follow_time=*/true, /*horizon=*/3600);
  LONGS_EQUAL(2, harness->zoom().CountRequests("DELETE", "/v2/meetings/"));
  // A reconnect creates each meeting again, once.
  Connect("dr-2", "u2");
  Run(/*follow_time=*/true, /*horizon=*/120);
  CHECK(Get("a1").sync_status == SyncStatus::kSynced);
  CHECK(Get("a2").sync_status == SyncStatus::kSynced);
  CHECK(Get("a1").meeting.id != gone);
  LONGS_EQUAL(3, MeetingCount());
  LONGS_EQUAL(5, harness->zoom().CountRequests("POST", "/v2/users/"));
}

TEST(SyncEngine, ADisconnectingDoctorIsPurgedTenMinutesOnWhateverIsLeft) {
  ConnectOauthDoctor();
  PutFor("a1", "dr-2");
  Run();
  harness->zoom().InjectFault(test::MakeFault(
      "DELETE", "/v2/meetings/", test::FaultKind::kServerError, 1000));
  DisconnectNow("dr-2", true);
  Run();
  LONGS_EQUAL(1, MeetingCount());
  clock.AdvanceSeconds(kDisconnectGraceSeconds - 1);
  LONGS_EQUAL(0, FinishDisconnectsNow());
  STRCMP_EQUAL("disconnecting", GrantOf("dr-2").c_str());
  clock.AdvanceSeconds(1);
  LONGS_EQUAL(1, FinishDisconnectsNow());
  STRCMP_EQUAL("", GrantOf("dr-2").c_str());
  // The deletion left waits for a reconnect, as any of a doctor not
  // connected.
  std::vector<PendingDeletion> pending;
  CHECK_TRUE(
      store->ListDueDeletions(clock.NowSeconds() + 86400, 10, {}, &pending)
          .ok());
  LONGS_EQUAL(1, pending.size());
}

// A disconnect with delete_meetings while a create of the doctor is at
// Zoom: the create is in doubt, so the disconnect cannot queue its meeting;
// the grant stays disconnecting for it, and the meeting is deleted once
// the create is recorded, exactly once, before the grant is purged.
TEST(SyncEngine, AMeetingMadeAsADisconnectDeletingMeetingsCameIsDeletedOnce) {
  AfterRequest at_zoom(&harness->transport());
  ConnectWithCreateHeld(&at_zoom);
  DisconnectResult result;
  at_zoom.hook = [&] { result = DisconnectNow("dr-2", true); };
  Run();
  LONGS_EQUAL(0, result.meetings_to_delete);
  STRCMP_EQUAL("disconnecting", result.state.c_str());
  // Not purged while the create was in doubt.
  Run();
  LONGS_EQUAL(0, MeetingCount());
  LONGS_EQUAL(1, harness->zoom().CountRequests("DELETE", "/v2/meetings/"));
  CHECK_FALSE(Get("a1").has_meeting);
  CHECK(Get("a1").sync_status == SyncStatus::kPending);
  LONGS_EQUAL(1, FinishDisconnectsNow());
  STRCMP_EQUAL("", GrantOf("dr-2").c_str());
  Run(/*follow_time=*/true, /*horizon=*/3600);
  LONGS_EQUAL(1, harness->zoom().CountRequests("DELETE", "/v2/meetings/"));
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/"));
}

// Without delete_meetings the meeting made meanwhile is kept, as every
// other meeting of the doctor is.
TEST(SyncEngine, AMeetingMadeAsADisconnectKeepingMeetingsCameIsKept) {
  AfterRequest at_zoom(&harness->transport());
  ConnectWithCreateHeld(&at_zoom);
  at_zoom.hook = [&] { DisconnectNow("dr-2", false); };
  Run(/*follow_time=*/true, /*horizon=*/3600);
  LONGS_EQUAL(1, MeetingCount());
  CHECK_TRUE(Get("a1").has_meeting);
  LONGS_EQUAL(0, harness->zoom().CountRequests("DELETE", "/v2/meetings/"));
  STRCMP_EQUAL("", GrantOf("dr-2").c_str());
}

}  // namespace telemed
