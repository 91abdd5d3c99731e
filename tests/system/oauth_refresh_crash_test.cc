// Keeping an OAuth doctor's tokens alive on the real daemon (docs/sync.md,
// zoom/user_token_source.h): the daemon is killed with SIGKILL while Zoom
// holds a refresh before rotating, after the new pair was committed, and
// between Zoom's answer and the commit; Zoom refuses a refresh token; and
// another process uses the same grant while the daemon refreshes it. Each
// time the fake Zoom counts the refreshes: one per rotation, never a storm,
// and every appointment ends with exactly one meeting.
//
// The doctors connect through the real connect steps (support/bridge_oauth.h)
// with an access token about to expire, so the first call refreshes; tokens
// issued after that live an hour, so no other refresh happens by itself.
//
// A killed refresh leaves its process's lease (two minutes, lease_seconds)
// on the doctor; the restarted daemon finds that process gone (same boot,
// no process with its pid and start time) and takes the lease over at
// once (zoom/token_lease.h), so every scenario recovers within seconds of
// the restart. Each scenario is its own group.
#include <CppUTest/TestHarness.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_oauth.h"
#include "support/zoom_bridge.h"
#include "zoom/user_token_source.h"

namespace telemed {
namespace {

using std::chrono::seconds;

constexpr char kTokenPath[] = "/oauth/token";
constexpr char kCreatePath[] = "/v2/users/";
// Inside the 5-minute renew margin, but above the 30 s an old token is
// still used for while another process holds the refresh.
constexpr int64_t kAboutToExpire = 250;
constexpr int64_t kOneHour = 3599;

test::Fault Held(const char* method, const char* path, test::FaultKind kind) {
  test::Fault fault = test::MakeFault(method, path, kind);
  fault.delay_ms = 3000;
  return fault;
}

// Base of the groups: the daemon with Zoom users u1 and u2, the OAuth app
// stored, and the test playing the doctors' browsers.
class OAuthRefreshFixture : public Utest {
 public:
  void setup() override {
    test::ZoomBridge::Options options;
    options.users = {"u1", "u2"};
    bridge = std::make_unique<test::ZoomBridge>(options);
    oauth = std::make_unique<test::BridgeOAuth>(bridge.get());
    Start();
  }
  void teardown() override {
    oauth.reset();
    bridge.reset();
  }

  void Start() {
    Status s = bridge->Start();
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  test::FakeZoom& zoom() { return bridge->zoom(); }

  // Doctor `doctor_id` (auth oauth) connected by Zoom user `user`, whose
  // access token lives `lifetime` seconds; later ones live an hour.
  void PutConnectedDoctor(const std::string& doctor_id, const std::string& user,
                          int64_t lifetime) {
    LONGS_EQUAL(201, oauth->PutDoctor(doctor_id, user));
    Connect(doctor_id, user, lifetime);
  }
  void Connect(const std::string& doctor_id, const std::string& user,
               int64_t lifetime) {
    zoom().SetUserTokenLifetime(lifetime);
    Status s = oauth->Connect(doctor_id, user);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    zoom().SetUserTokenLifetime(kOneHour);
    STRCMP_EQUAL("connected", oauth->OAuthState(doctor_id).c_str());
  }

  void Put(const std::string& id, const std::string& doctor_id) {
    const std::string start = test::UtcFromNow(2 * 86400);
    int status = bridge->PutAppointment(id, doctor_id, start, 30).status;
    CHECK_TRUE(status == 200 || status == 201);
    live.push_back(id);
  }

  // SIGKILL once the fake logged the request (finished or arrived), then
  // waits until the fake has finished every request it held.
  void KillWhenLogged(const char* method, const char* path, bool finished,
                      size_t after) {
    CHECK_TRUE(test::WaitUntil(
        [&] {
          return test::LoggedSince(zoom(), method, path, finished, after);
        },
        seconds(30)));
    bridge->Kill();
    CHECK_TRUE(test::WaitUntil(
        [&] { return test::AllRequestsFinished(zoom()); }, seconds(20)));
  }

  void CheckSynced(seconds timeout = seconds(60)) {
    CHECK_TRUE(bridge->WaitForStatus(live, "synced", timeout));
    STRCMP_EQUAL("", bridge->FindMeetingProblems(live).c_str());
  }

  // Waits until the appointment waits for its doctor to connect again.
  void CheckWaitsForReconnect(const std::string& id) {
    CHECK_TRUE(test::WaitUntil(
        [&] {
          return bridge->Appointment(id).error_code ==
                 "doctor_reconnect_needed";
        },
        seconds(60)));
    STRCMP_EQUAL("pending", bridge->Appointment(id).sync_status.c_str());
    STRCMP_EQUAL("reconnect_needed", oauth->OAuthState("d1").c_str());
  }

  std::unique_ptr<test::ZoomBridge> bridge;
  std::unique_ptr<test::BridgeOAuth> oauth;
  std::vector<std::string> live;
};

}  // namespace

// Zoom holds the refresh and never acts on it (the bridge is gone first):
// the connect's refresh token is still the one Zoom takes. The restarted
// daemon takes over the killed process's lease and refreshes with the old
// token at once.
TEST_GROUP_BASE(OAuthRefreshKilledBeforeRotation, OAuthRefreshFixture){};

TEST(OAuthRefreshKilledBeforeRotation, TheOldRefreshTokenStillWorks) {
  PutConnectedDoctor("d1", "u1", kAboutToExpire);
  const std::string connected = oauth->StoredRefreshToken("d1");
  zoom().InjectFault(Held("POST", kTokenPath, test::FaultKind::kDelayThenDrop));
  const size_t seen = zoom().Requests().size();
  Put("a1", "d1");
  KillWhenLogged("POST", kTokenPath, /*finished=*/false, seen);
  CHECK_TRUE(zoom().IsCurrentRefreshToken(connected));
  Start();
  CheckSynced();
  // The dead refresh and the restarted daemon's; its lease is released.
  LONGS_EQUAL(2, zoom().CountRefreshRequests());
  CHECK_TRUE(oauth->RefreshLeaseFree("d1"));
  Put("a2", "d1");
  CheckSynced();
  LONGS_EQUAL(2, zoom().CountRefreshRequests());
  const std::string rotated = oauth->StoredRefreshToken("d1");
  CHECK(rotated != connected);
  CHECK_TRUE(zoom().IsCurrentRefreshToken(rotated));
  STRCMP_EQUAL("connected", oauth->OAuthState("d1").c_str());
}

// The new pair was committed and the create that follows is held: the
// restarted daemon goes on with the new pair, without another refresh.
TEST_GROUP_BASE(OAuthRefreshKilledAfterCommit, OAuthRefreshFixture){};

TEST(OAuthRefreshKilledAfterCommit, TheNewPairIsUsedAfterARestart) {
  PutConnectedDoctor("d1", "u1", kAboutToExpire);
  const std::string connected = oauth->StoredRefreshToken("d1");
  zoom().InjectFault(
      Held("POST", kCreatePath, test::FaultKind::kDelayThenDrop));
  const size_t seen = zoom().Requests().size();
  Put("a1", "d1");
  KillWhenLogged("POST", kCreatePath, /*finished=*/false, seen);
  const std::string rotated = oauth->StoredRefreshToken("d1");
  CHECK(rotated != connected);
  CHECK_TRUE(zoom().IsCurrentRefreshToken(rotated));
  Start();
  CheckSynced();
  LONGS_EQUAL(1, zoom().CountRefreshRequests());
  STRCMP_EQUAL(rotated.c_str(), oauth->StoredRefreshToken("d1").c_str());
  STRCMP_EQUAL("connected", oauth->OAuthState("d1").c_str());
}

// Zoom rotated and its answer never reached the database: the stored
// refresh token is one Zoom no longer takes. The grant is lost by design;
// the doctor must show reconnect_needed (not a failure loop), and the
// appointment syncs by itself after the doctor connects again.
TEST_GROUP_BASE(OAuthRefreshKilledBeforeCommit, OAuthRefreshFixture){};

TEST(OAuthRefreshKilledBeforeCommit, TheDoctorMustReconnect) {
  PutConnectedDoctor("d1", "u1", kAboutToExpire);
  const std::string connected = oauth->StoredRefreshToken("d1");
  zoom().InjectFault(
      Held("POST", kTokenPath, test::FaultKind::kDelayAfterWork));
  const size_t seen = zoom().Requests().size();
  Put("a1", "d1");
  KillWhenLogged("POST", kTokenPath, /*finished=*/true, seen);
  CHECK_FALSE(zoom().IsCurrentRefreshToken(connected));
  STRCMP_EQUAL(connected.c_str(), oauth->StoredRefreshToken("d1").c_str());
  // The stored access token runs out meanwhile (Zoom answers 401 code 124).
  zoom().ExpireAllTokens();

  // Restarted at once, the daemon takes over the killed process's lease
  // and tries the old refresh token: the doctor must connect again.
  Start();
  CheckWaitsForReconnect("a1");
  // The dead refresh and the one Zoom refused: no retry of a refused token.
  LONGS_EQUAL(2, zoom().CountRefreshRequests());

  Connect("d1", "u1", kOneHour);
  CheckSynced(seconds(90));
  LONGS_EQUAL(2, zoom().CountRefreshRequests());
}

// The doctor removed the app in Zoom: the refresh gets invalid_grant.
TEST_GROUP_BASE(OAuthRefreshRefused, OAuthRefreshFixture){};

TEST(OAuthRefreshRefused, InvalidGrantWaitsForAReconnectThenSyncs) {
  PutConnectedDoctor("d1", "u1", kAboutToExpire);
  zoom().RefuseGrants("u1");
  Put("a1", "d1");
  CheckWaitsForReconnect("a1");
  LONGS_EQUAL(1, zoom().CountRefreshRequests());
  LONGS_EQUAL(0, zoom().CountRequests("POST", kCreatePath));

  Connect("d1", "u1", kOneHour);
  CheckSynced(seconds(90));
  LONGS_EQUAL(1, zoom().CountRefreshRequests());
}

// The daemon and another process (this test, with the bridge's own token
// source on the same database, as the CLI would) need the same doctor's
// token at once: whichever refreshes first holds the lease, the other uses
// the stored token meanwhile. One refresh per doctor, nobody disconnected.
TEST_GROUP_BASE(OAuthRefreshTwoProcesses, OAuthRefreshFixture){};

TEST(OAuthRefreshTwoProcesses, OneRefreshWhoeverComesFirst) {
  PutConnectedDoctor("d1", "u1", kAboutToExpire);
  PutConnectedDoctor("d2", "u2", kAboutToExpire);
  std::unique_ptr<UserTokenSource> other = oauth->NewTokenSource();

  // The other process refreshes d1 first; the daemon syncs meanwhile.
  zoom().InjectFault(Held("POST", kTokenPath, test::FaultKind::kDelay));
  Status other_status;
  std::string token;
  std::thread refreshing([&] {
    ZoomFailure failure = ZoomFailure::kNone;
    other_status = other->GetToken("d1", &token, &failure);
  });
  CHECK_TRUE(test::WaitUntil([&] { return zoom().CountRefreshRequests() == 1; },
                             seconds(30)));
  Put("a1", "d1");
  CheckSynced();
  refreshing.join();
  CHECK_TRUE_TEXT(other_status.ok(), other_status.ToString().c_str());

  // The daemon refreshes d2 first; the other process asks meanwhile.
  zoom().InjectFault(Held("POST", kTokenPath, test::FaultKind::kDelay));
  const size_t seen = zoom().Requests().size();
  Put("a2", "d2");
  CHECK_TRUE(test::WaitUntil(
      [&] {
        return test::LoggedSince(zoom(), "POST", kTokenPath, false, seen);
      },
      seconds(30)));
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = other->GetToken("d2", &token, &failure);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CheckSynced();

  LONGS_EQUAL(2, zoom().CountRefreshRequests());
  for (const char* doctor : {"d1", "d2"}) {
    STRCMP_EQUAL("connected", oauth->OAuthState(doctor).c_str());
    CHECK_TRUE(zoom().IsCurrentRefreshToken(oauth->StoredRefreshToken(doctor)));
  }
}

}  // namespace telemed
