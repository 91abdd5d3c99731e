// The real daemon against the fake Zoom over HTTPS, driven through its API
// as clinic software would: a PUT becomes exactly one meeting whose link
// arrives through the feed, a reschedule becomes one PATCH with only the
// changed field, a cancel deletes the meeting (docs/sync.md).
#include <CppUTest/TestHarness.h>
#include <cJSON.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/cjson.h"
#include "support/daemon_process.h"
#include "support/zoom_bridge.h"

namespace telemed {
namespace {

using std::chrono::seconds;

constexpr char kCreatePath[] = "/v2/users/";
constexpr char kMeetingPath[] = "/v2/meetings/";

// The names of a JSON object's members ("<not json>" when it is none).
std::set<std::string> Keys(const std::string& json) {
  CjsonPtr root(cJSON_Parse(json.c_str()));
  if (!cJSON_IsObject(root.get())) return {"<not json>"};
  std::set<std::string> keys;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, root.get()) keys.insert(item->string);
  return keys;
}

// The body of the `n`th (0-based) request with this method and prefix.
std::string NthBody(const test::FakeZoom& zoom, const std::string& method,
                    const std::string& prefix, int n) {
  for (const test::LoggedRequest& entry : zoom.Requests()) {
    if (entry.method == method && entry.path.rfind(prefix, 0) == 0 &&
        n-- == 0) {
      return entry.body;
    }
  }
  return "<none>";
}

}  // namespace

TEST_GROUP(ZoomSync) {
  std::unique_ptr<test::ZoomBridge> bridge;
  std::string start = test::UtcFromNow(2 * 86400);

  void setup() override {
    bridge = std::make_unique<test::ZoomBridge>();
    Status s = bridge->Start();
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    LONGS_EQUAL(201, bridge->PutDoctor("d1", "u1").status);
  }
  void teardown() override {
    LONGS_EQUAL(0, bridge->zoom().CountNoOpPatches());
    bridge.reset();
  }

  // PUTs `id` and waits until the fake has its meeting and it reads synced.
  void CreateSynced(const std::string& id) {
    LONGS_EQUAL(201, bridge->PutAppointment(id, "d1", start, 30).status);
    CHECK_TRUE(bridge->WaitForStatus({id}, "synced", seconds(20)));
  }
  // Waits until `count` PATCHes reached the fake and `id` reads synced.
  bool WaitForPatches(const std::string& id, int count) {
    return test::WaitUntil(
        [&] {
          return bridge->zoom().CountRequests("PATCH", kMeetingPath) >= count &&
                 bridge->Appointment(id).sync_status == "synced";
        },
        seconds(20));
  }
};

TEST(ZoomSync, APutBecomesOneMeetingWhoseLinkArrivesThroughTheFeed) {
  std::string cursor = bridge->Feed("", 0).next_cursor;
  test::AppointmentView delivered;
  int pages = 0;
  // Clinic software following the feed with long-polls, started before
  // the PUT.
  std::thread follower([&] {
    const auto deadline = std::chrono::steady_clock::now() + seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      test::FeedPage page = bridge->Feed(cursor, 10);
      ++pages;
      if (page.status != 200) return;
      cursor = page.next_cursor;
      for (const test::AppointmentView& item : page.items) {
        if (item.id == "a1" && item.has_meeting) delivered = item;
      }
      if (delivered.has_meeting) return;
    }
  });
  LONGS_EQUAL(201, bridge->PutAppointment("a1", "d1", start, 30).status);
  follower.join();

  CHECK_TRUE_TEXT(delivered.has_meeting, "the feed never carried the link");
  CHECK_TRUE(pages <= 3);  // the PUT itself, then the link
  STRCMP_EQUAL("synced", delivered.sync_status.c_str());
  LONGS_EQUAL(1, bridge->zoom().CountRequests("POST", kCreatePath));
  std::vector<test::FakeMeeting> meetings = bridge->zoom().Meetings();
  LONGS_EQUAL(1, meetings.size());
  const test::FakeMeeting& meeting = meetings[0];
  STRCMP_EQUAL(std::to_string(meeting.id).c_str(),
               delivered.meeting_id.c_str());
  CHECK_TRUE(meeting.id > (int64_t{1} << 32));
  STRCMP_EQUAL(meeting.password.c_str(), delivered.passcode.c_str());
  STRCMP_CONTAINS(("/j/" + delivered.meeting_id).c_str(),
                  delivered.join_url.c_str());
  STRCMP_EQUAL("u1", meeting.host_id.c_str());
  STRCMP_EQUAL(start.c_str(), meeting.start_time.c_str());
  LONGS_EQUAL(30, meeting.duration);
  STRCMP_EQUAL("Europe/Berlin", meeting.timezone.c_str());
  STRNCMP_EQUAL("[tb:", meeting.agenda.c_str(), 4);
  test::AppointmentView read = bridge->Appointment("a1");
  STRCMP_EQUAL("synced", read.sync_status.c_str());
  STRCMP_EQUAL(delivered.meeting_id.c_str(), read.meeting_id.c_str());
  STRCMP_EQUAL("", bridge->FindMeetingProblems({"a1"}).c_str());
}

TEST(ZoomSync, ARescheduleIsOnePatchOfOnlyTheChangedField) {
  CreateSynced("a1");
  const std::string later = test::UtcFromNow(3 * 86400);
  LONGS_EQUAL(200, bridge->PutAppointment("a1", "d1", later, 30).status);
  CHECK_TRUE(WaitForPatches("a1", 1));
  std::string body = NthBody(bridge->zoom(), "PATCH", kMeetingPath, 0);
  CHECK_TRUE_TEXT(Keys(body) == std::set<std::string>{"start_time"},
                  body.c_str());
  STRCMP_EQUAL(later.c_str(),
               bridge->zoom().Meetings().at(0).start_time.c_str());

  LONGS_EQUAL(200, bridge->PutAppointment("a1", "d1", later, 45).status);
  CHECK_TRUE(WaitForPatches("a1", 2));
  body = NthBody(bridge->zoom(), "PATCH", kMeetingPath, 1);
  CHECK_TRUE_TEXT(Keys(body) == std::set<std::string>{"duration"},
                  body.c_str());
  LONGS_EQUAL(45, bridge->zoom().Meetings().at(0).duration);
  // The same PUT again changes nothing, so Zoom hears nothing more.
  LONGS_EQUAL(200, bridge->PutAppointment("a1", "d1", later, 45).status);
  LONGS_EQUAL(1, bridge->zoom().CountRequests("POST", kCreatePath));
  STRCMP_EQUAL("", bridge->FindMeetingProblems({"a1"}).c_str());
}

TEST(ZoomSync, ACancelDeletesTheMeeting) {
  CreateSynced("a1");
  CreateSynced("a2");
  LONGS_EQUAL(200, bridge->Delete("/appointments/a1").status);
  CHECK_TRUE(test::WaitUntil(
      [&] { return bridge->zoom().Meetings().size() == 1; }, seconds(20)));
  LONGS_EQUAL(1, bridge->zoom().CountRequests("DELETE", kMeetingPath));
  CHECK_TRUE(bridge->WaitForStatus({"a1"}, "synced", seconds(20)));
  test::AppointmentView cancelled = bridge->Appointment("a1");
  CHECK_TRUE(cancelled.cancelled);
  CHECK_FALSE(cancelled.has_meeting);
  LONGS_EQUAL(0, bridge->zoom().CountRequests("PATCH", kMeetingPath));
  STRCMP_EQUAL("", bridge->FindMeetingProblems({"a2"}).c_str());
}

TEST(ZoomSync, ChangesWhileAPatchIsPendingAreMergedIntoOne) {
  CreateSynced("a1");
  test::Fault slow;
  slow.method = "PATCH";
  slow.path_prefix = kMeetingPath;
  slow.kind = test::FaultKind::kDelay;
  slow.delay_ms = 1500;
  bridge->zoom().InjectFault(slow);
  LONGS_EQUAL(200, bridge->PutAppointment("a1", "d1", start, 40).status);
  CHECK_TRUE(test::WaitUntil(
      [&] { return bridge->zoom().CountRequests("PATCH", kMeetingPath) == 1; },
      seconds(20)));
  // While Zoom holds the first PATCH, the clinic changes its mind twice.
  for (int minutes : {50, 60}) {
    LONGS_EQUAL(200, bridge->PutAppointment("a1", "d1", start, minutes).status);
  }
  CHECK_TRUE(WaitForPatches("a1", 2));
  CHECK_TRUE(bridge->WaitForStatus({"a1"}, "synced", seconds(20)));
  LONGS_EQUAL(2, bridge->zoom().CountRequests("PATCH", kMeetingPath));
  LONGS_EQUAL(60, bridge->zoom().Meetings().at(0).duration);
}

// The daemon's start and its Zoom check reuse the token stored in the
// database while it is valid: a restart asks Zoom for none.
TEST(ZoomSync, ARestartReusesTheStoredToken) {
  CreateSynced("a1");
  auto checks = [&] {
    const std::string log = bridge->Stderr();
    int count = 0;
    for (size_t at = log.find("zoom check: ok"); at != std::string::npos;
         at = log.find("zoom check: ok", at + 1)) {
      ++count;
    }
    return count;
  };
  CHECK_TRUE(test::WaitUntil([&] { return checks() == 1; }, seconds(20)));
  const int tokens = bridge->zoom().CountRequests("POST", "/oauth/token");
  LONGS_EQUAL(1, tokens);
  LONGS_EQUAL(0, bridge->Terminate());
  Status s = bridge->Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(test::WaitUntil([&] { return checks() == 2; }, seconds(20)));
  LONGS_EQUAL(201, bridge->PutAppointment("a2", "d1", start, 30).status);
  CHECK_TRUE(bridge->WaitForStatus({"a2"}, "synced", seconds(20)));
  LONGS_EQUAL(tokens, bridge->zoom().CountRequests("POST", "/oauth/token"));
}

// The admin adds a missing scope in Zoom and runs `zoom test`: its new token
// is the daemon's from then on, and the appointment that failed syncs.
TEST(ZoomSync, AScopeFixTakesEffectInTheDaemonThroughZoomTest) {
  std::vector<std::string> scopes;
  for (const std::string& scope : test::AllS2sScopes()) {
    if (scope != "meeting:write:meeting:admin") scopes.push_back(scope);
  }
  bridge->zoom().SetGrantedScopes(scopes);
  bridge->zoom().ExpireAllTokens();  // the daemon's next token lacks it
  LONGS_EQUAL(201, bridge->PutAppointment("a1", "d1", start, 30).status);
  CHECK_TRUE(bridge->WaitForStatus({"a1"}, "failed", seconds(20)));
  STRCMP_EQUAL("zoom_scope_missing",
               bridge->Appointment("a1").error_code.c_str());
  bridge->zoom().SetGrantedScopes(test::AllS2sScopes());
  const int tokens = bridge->zoom().CountRequests("POST", "/oauth/token");
  std::vector<std::string> args = {"zoom", "test"};
  for (const std::string& flag : bridge->CliFlags()) args.push_back(flag);
  test::CliResult check = test::RunCli(args);
  LONGS_EQUAL_TEXT(0, check.exit_code, (check.out + check.err).c_str());
  STRCMP_CONTAINS("1 failed appointment(s) will be retried", check.out.c_str());
  CHECK_TRUE(bridge->WaitForStatus({"a1"}, "synced", seconds(20)));
  // `zoom test` minted the one new token; the daemon minted none.
  LONGS_EQUAL(tokens + 1, bridge->zoom().CountRequests("POST", "/oauth/token"));
  STRCMP_EQUAL("", bridge->FindMeetingProblems({"a1"}).c_str());
}

// A meeting someone deleted in Zoom's web portal: whichever call finds it
// gone (here the start link, or a retry's read-back), the bridge makes a new
// one at once, not at the next drift check.
TEST(ZoomSync, AMeetingDeletedInZoomIsRecreatedWhenItsStartLinkIsAsked) {
  CreateSynced("a1");
  const std::string old_id = bridge->Appointment("a1").meeting_id;
  bridge->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(old_id));
  test::ApiAnswer answer = bridge->Get("/appointments/a1/start_url");
  LONGS_EQUAL(409, answer.status);
  CHECK_TRUE(test::WaitUntil(
      [&] {
        test::AppointmentView view = bridge->Appointment("a1");
        return view.sync_status == "synced" && view.meeting_id != old_id;
      },
      seconds(20)));
  LONGS_EQUAL(200, bridge->Get("/appointments/a1/start_url").status);
  STRCMP_EQUAL("", bridge->FindMeetingProblems({"a1"}).c_str());
}

TEST(ZoomSync, ARetryOfASyncedAppointmentFindsItsMeetingGoneAndRecreatesIt) {
  CreateSynced("a1");
  const std::string old_id = bridge->Appointment("a1").meeting_id;
  bridge->zoom().DeleteMeetingBehindTheBridgesBack(std::stoll(old_id));
  LONGS_EQUAL(200, bridge->Post("/appointments/a1/retry").status);
  CHECK_TRUE(test::WaitUntil(
      [&] {
        test::AppointmentView view = bridge->Appointment("a1");
        return view.sync_status == "synced" && view.meeting_id != old_id;
      },
      seconds(20)));
  STRCMP_EQUAL("", bridge->FindMeetingProblems({"a1"}).c_str());
}

}  // namespace telemed
