#include "zoom/user_token_source.h"

#include <CppUTest/TestHarness.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/cjson.h"
#include "base/fake_clock.h"
#include "base/fake_process_identity.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "store/grant_revokes.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_harness.h"
#include "zoom/revoke_queue.h"
#include "zoom/transport.h"

namespace telemed {

constexpr char kLease[] = "zoom.oauth.refresh.d1";  // the doctor's lease
namespace {

// Passes requests on; once a refresh's answer is back, keeps its refresh
// token and runs `after_refresh` before the source sees the answer: what
// happens to the grant while a refresh is at Zoom.
class RefreshInterposer final : public ZoomTransport {
 public:
  explicit RefreshInterposer(ZoomTransport* next) : next_(next) {}
  Status Send(const HttpRequest& request, HttpResponse* response) override {
    Status s = next_->Send(request, response);
    const bool refresh =
        request.body.find("grant_type=refresh_token") != std::string::npos;
    if (!s.ok() || !refresh || !after_refresh) return s;
    CjsonPtr json(cJSON_Parse(response->body.c_str()));
    const cJSON* token =
        cJSON_GetObjectItemCaseSensitive(json.get(), "refresh_token");
    if (cJSON_IsString(token)) fresh_refresh_token = token->valuestring;
    std::function<void()> hook = std::move(after_refresh);
    after_refresh = nullptr;
    hook();
    return s;
  }
  std::function<void()> after_refresh;
  std::string fresh_refresh_token;

 private:
  ZoomTransport* const next_;
};

}  // namespace

TEST_GROUP_BASE(UserTokenSource, test::UserOAuthFixture) {
  // The processes of the machine: this one, and `holder`, another process
  // (the daemon, the CLI) that may hold d1's refresh lease.
  FakeMachine machine;
  FakeProcessIdentity self{&machine, 200, 6000};
  FakeProcessIdentity holder{&machine, 100, 5000};
  std::unique_ptr<UserTokenSource> source;
  UserTokens connected;  // as the doctor connected

  void setup() override {
    UserOAuthFixture::setup();
    CHECK_TRUE(
        SaveOAuthApp(store.get(), harness->box(), test::FakeOAuthApp()).ok());
    source = SourceOn(store.get());
  }

  UserTokenSource::Options OptionsOn(Store * on) {
    UserTokenSource::Options options;
    options.oauth_base_url = harness->oauth_url();
    options.transport = &harness->transport();
    options.grants = on;
    options.settings = on;
    options.box = &harness->box();
    options.clock = &clock;
    options.random = random.get();
    options.processes = &self;
    return options;
  }

  // The source of a process using `on` (another handle of the database).
  std::unique_ptr<UserTokenSource> SourceOn(Store * on) {
    return std::make_unique<UserTokenSource>(OptionsOn(on));
  }

  // A source that revokes what it cannot commit, its refreshes through
  // `interposer`.
  std::unique_ptr<UserTokenSource> RevokingSource(RefreshInterposer *
                                                  interposer) {
    UserTokenSource::Options options = OptionsOn(store.get());
    options.transport = interposer;
    options.revokes = store.get();
    return std::make_unique<UserTokenSource>(options);
  }

  int RevokeRequests() {
    return harness->zoom().CountRequests("POST", "/oauth/revoke");
  }

  // Doctor "d1" connects Zoom user `user`, as the callback would store it.
  void Connect(const char* user = "u1") {
    Pkce pkce;
    CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
    const std::string code = test::AuthorizedCode(harness.get(), pkce, user);
    ZoomFailure failure = ZoomFailure::kNone;
    CHECK_TRUE(ExchangeCode(test::Endpoint(harness.get(), &clock),
                            test::FakeOAuthApp(), code, pkce.verifier,
                            test::kRedirect, &connected, &failure)
                   .ok());
    ZoomUser me;
    me.id = user;
    me.email = "doctor@clinic.example";
    int64_t generation = 0;
    CHECK_TRUE(source->StoreNewGrant("d1", connected, me, &generation).ok());
  }

  std::string StoredRefreshToken() {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(store->GetGrant("d1", &grant, &found).ok());
    CHECK_TRUE(found);
    std::string refresh;
    CHECK_TRUE(harness->box()
                   .Open(GrantPurpose("refresh", "d1"),
                         grant.sealed_refresh_token, &refresh)
                   .ok());
    return refresh;
  }

  GrantState StoredState() {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(store->GetGrant("d1", &grant, &found).ok());
    CHECK_TRUE(found);
    return grant.state;
  }

  int TokenRequests() {
    return harness->zoom().CountRequests("POST", "/oauth/token");
  }
  int Refreshes() { return TokenRequests() - 1; }  // after Connect

  // d1 connected, its token with 19 s left (too little to hand out while
  // another process refreshes), and its lease held by `holder` for the
  // two minutes of a refresh.
  void HoldLeaseForAKilledRefresh() {
    Connect();
    clock.AdvanceSeconds(3599 - 19);
    const int64_t now = clock.NowSeconds();
    bool taken = false;
    CHECK_TRUE(store
                   ->TryTakeLease(kLease, LeaseOwnerName(holder, "killed"), now,
                                  now + 120, &taken)
                   .ok());
    CHECK_TRUE(taken);
  }

  // d1's GetToken: "ok", or the error's reason.
  std::string Get() {
    std::string token;
    ZoomFailure failure = ZoomFailure::kNone;
    Status s = source->GetToken("d1", &token, &failure);
    return s.ok() ? "ok" : s.reason();
  }
};

TEST(UserTokenSource, TheStoredTokenServesUntilFiveMinutesBeforeExpiry) {
  Connect();
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  clock.AdvanceSeconds(3599 - 301);
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  STRCMP_EQUAL(connected.access_token.c_str(), token.c_str());
  LONGS_EQUAL(1, TokenRequests());  // the exchange
  clock.AdvanceSeconds(2);          // inside the margin
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  CHECK(token != connected.access_token);
  LONGS_EQUAL(2, TokenRequests());
  // Rotation: the stored refresh token is the newest, the old one dead.
  CHECK_TRUE(harness->zoom().IsCurrentRefreshToken(StoredRefreshToken()));
  CHECK_FALSE(harness->zoom().IsCurrentRefreshToken(connected.refresh_token));
  // The new pair serves another process at once.
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  std::string other;
  CHECK_TRUE(
      SourceOn(other_store.get())->GetToken("d1", &other, &failure).ok());
  STRCMP_EQUAL(token.c_str(), other.c_str());
  LONGS_EQUAL(2, TokenRequests());
}

TEST(UserTokenSource, ConcurrentCallersInTwoProcessesCauseOneRefresh) {
  Connect();
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  std::unique_ptr<UserTokenSource> other = SourceOn(other_store.get());
  clock.AdvanceSeconds(3599 - 200);
  // The refresh is slow, so every caller arrives while it is out.
  test::Fault slow =
      test::MakeFault("POST", "/oauth/token", test::FaultKind::kDelay);
  slow.delay_ms = 300;
  harness->zoom().InjectFault(slow);
  Status results[4];
  std::string tokens[4];
  std::thread threads[4];
  for (int i = 0; i < 4; ++i) {
    UserTokenSource* by = i % 2 == 0 ? source.get() : other.get();
    threads[i] = std::thread([&, i, by] {
      ZoomFailure failure = ZoomFailure::kNone;
      results[i] = by->GetToken("d1", &tokens[i], &failure);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& result : results) CHECK_TRUE(result.ok());
  LONGS_EQUAL(2, TokenRequests());  // the exchange and one refresh
  CHECK_TRUE(harness->zoom().IsCurrentRefreshToken(StoredRefreshToken()));
}

TEST(UserTokenSource, ARefusedRefreshTokenMeansReconnectNeeded) {
  Connect();
  harness->zoom().RefuseGrants("u1");
  clock.AdvanceSeconds(3599 - 200);
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = source->GetToken("d1", &token, &failure);
  STRCMP_EQUAL("doctor_reconnect_needed", s.reason().c_str());
  CHECK(failure == ZoomFailure::kReconnectNeeded);
  CHECK(StoredState() == GrantState::kReconnectNeeded);
  CHECK(source->CheckUsable("d1", &failure).reason() ==
        "doctor_reconnect_needed");
  // Settled: later calls fail at once without asking Zoom.
  CHECK_FALSE(source->GetToken("d1", &token, &failure).ok());
  CHECK(failure == ZoomFailure::kReconnectNeeded);
  LONGS_EQUAL(2, TokenRequests());
  // Reconnecting makes the doctor usable again.
  Connect();
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  STRCMP_EQUAL(connected.access_token.c_str(), token.c_str());
}

TEST(UserTokenSource, A401Code124CausesOneRefreshAndOneRetry) {
  Connect();
  ZoomApi::Options options;
  options.api_base_url = harness->api_url();
  options.transport = &harness->transport();
  options.clock = &clock;
  std::unique_ptr<TokenSource> tokens = source->ForDoctor("d1");
  options.tokens = tokens.get();
  ZoomApi api(options);
  harness->zoom().ExpireAllTokens();
  ZoomUser me;
  ZoomError error;
  CHECK_TRUE(api.GetUser("me", &me, &error).ok());
  STRCMP_EQUAL("u1", me.id.c_str());
  LONGS_EQUAL(2, TokenRequests());
  LONGS_EQUAL(2, harness->zoom().CountRequests("GET", "/v2/users/me"));
  // The meeting lives on the doctor's own account.
  MeetingSpec spec;
  spec.topic = "Consultation";
  spec.start_time = clock.NowSeconds() + 86400;
  spec.duration_minutes = 30;
  spec.default_password = true;
  ZoomMeeting meeting;
  CHECK_TRUE(api.CreateMeeting("me", spec, &meeting, &error).ok());
  LONGS_EQUAL(1, harness->zoom().CountRequests("POST", "/v2/users/me/"));
  STRCMP_EQUAL("u1", harness->zoom().Meetings().back().host_id.c_str());
  LONGS_EQUAL(2, TokenRequests());
}

TEST(UserTokenSource, AnAnswerLostBeforeTheCommitEndsInReconnectNeeded) {
  Connect();
  clock.AdvanceSeconds(3599 - 200);
  // Zoom rotates the pair but the answer never arrives.
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/oauth/token", test::FaultKind::kDropAfterWork));
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  // The old token still has minutes left: it serves this call.
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  STRCMP_EQUAL(connected.access_token.c_str(), token.c_str());
  CHECK(StoredState() == GrantState::kConnected);
  // The next call refreshes with the old token, which Zoom refuses.
  Status s = source->GetToken("d1", &token, &failure);
  STRCMP_EQUAL("doctor_reconnect_needed", s.reason().c_str());
  CHECK(StoredState() == GrantState::kReconnectNeeded);
}

TEST(UserTokenSource, AnUnreachableTokenEndpointFailsOnlyOnceTheTokenIsSpent) {
  Connect();
  harness->zoom().InjectFault(test::MakeFault(
      "POST", "/oauth/token", test::FaultKind::kServerError, 2));
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  clock.AdvanceSeconds(3599 - 200);
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  STRCMP_EQUAL(connected.access_token.c_str(), token.c_str());
  clock.AdvanceSeconds(180);  // 19 s left: too little to hand out
  CHECK_FALSE(source->GetToken("d1", &token, &failure).ok());
  CHECK(failure == ZoomFailure::kTokenUnavailable);
  CHECK(StoredState() == GrantState::kConnected);
  // Zoom answers again: the grant refreshes as if nothing happened.
  LONGS_EQUAL(0, harness->zoom().PendingFaults());
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  CHECK(token != connected.access_token);
}

TEST(UserTokenSource, ADoctorWithoutAGrantOrAnAppIsToldApart) {
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = source->GetToken("d1", &token, &failure);
  STRCMP_EQUAL("doctor_not_connected", s.reason().c_str());
  CHECK(failure == ZoomFailure::kNotConnected);
  std::unique_ptr<TokenSource> doctor = source->ForDoctor("d1");
  STRCMP_EQUAL("doctor_not_connected",
               doctor->CheckUsable(&failure).reason().c_str());
  Connect();
  CHECK_TRUE(doctor->CheckUsable(&failure).ok());
  CHECK_TRUE(store->DeleteSettings("zoom.oauth.").ok());
  STRCMP_EQUAL("oauth_app_not_configured",
               doctor->CheckUsable(&failure).reason().c_str());
  clock.AdvanceSeconds(3599 - 200);
  s = source->GetToken("d1", &token, &failure);
  STRCMP_EQUAL("oauth_app_not_configured", s.reason().c_str());
  CHECK(failure == ZoomFailure::kNotConfigured);
  bool applied = false;
  CHECK_TRUE(
      store->SetGrantState("d1", 0, GrantState::kDisconnecting, &applied).ok());
  s = source->GetToken("d1", &token, &failure);
  CHECK(failure == ZoomFailure::kNotConnected);
  CHECK(doctor->CheckUsable(&failure).reason() == "doctor_not_connected");
}

TEST(UserTokenSource, TokensAreSealedPerDoctor) {
  Connect();
  DoctorGrant grant;
  bool found = false;
  CHECK_TRUE(store->GetGrant("d1", &grant, &found).ok());
  CHECK(grant.sealed_access_token.find(connected.access_token) ==
        std::string::npos);
  std::string opened;
  CHECK_FALSE(harness->box()
                  .Open(GrantPurpose("access", "d2"), grant.sealed_access_token,
                        &opened)
                  .ok());
  STRCMP_EQUAL("u1", grant.zoom_user_id.c_str());
  STRCMP_EQUAL("doctor@clinic.example", grant.zoom_email.c_str());
}

TEST(UserTokenSource, AKilledHoldersLeaseIsTakenOverAtOnce) {
  HoldLeaseForAKilledRefresh();
  holder.Kill();
  STRCMP_EQUAL("ok", Get().c_str());
  LONGS_EQUAL(1, Refreshes());
  // Released after the refresh: nothing is left to block the next one.
  std::string owner;
  bool found = true;
  CHECK_TRUE(store->GetLeaseOwner(kLease, &owner, &found).ok());
  CHECK_FALSE(found);
}

TEST(UserTokenSource, APidReusedByAnotherProcessDoesNotKeepTheLease) {
  HoldLeaseForAKilledRefresh();
  holder.Kill();
  holder.Restart(9000);
  STRCMP_EQUAL("ok", Get().c_str());
  LONGS_EQUAL(1, Refreshes());
}

TEST(UserTokenSource, ALiveHoldersLeaseIsKeptUntilItRunsOut) {
  HoldLeaseForAKilledRefresh();
  STRCMP_EQUAL("zoom_token_renewing", Get().c_str());
  LONGS_EQUAL(0, Refreshes());
  clock.AdvanceSeconds(121);
  // (The stored token has expired meanwhile; the refresh token serves.)
  STRCMP_EQUAL("ok", Get().c_str());
  LONGS_EQUAL(1, Refreshes());
}

TEST(UserTokenSource, AHolderOfAnotherBootOrUnreadableIsTakenAsAlive) {
  HoldLeaseForAKilledRefresh();
  holder.Kill();
  machine.scope = "boot-b/pid:[4026531836]";
  STRCMP_EQUAL("zoom_token_renewing", Get().c_str());
  machine.scope = "boot-a/pid:[4026531836]";
  machine.proc_readable = false;
  STRCMP_EQUAL("zoom_token_renewing", Get().c_str());
  LONGS_EQUAL(0, Refreshes());
  machine.proc_readable = true;
  STRCMP_EQUAL("ok", Get().c_str());
  LONGS_EQUAL(1, Refreshes());
}

// A refresh that reached Zoom as the grant was purged (a disconnect
// without deletions, the doctor removed): Zoom refuses the revoke of the
// old refresh token, rotated away, so the fresh one is revoked instead of
// staying valid at Zoom with no one holding it.
TEST(UserTokenSource, AFreshPairForAPurgedGrantIsRevoked) {
  Connect();
  RefreshInterposer interposer(&harness->transport());
  std::unique_ptr<UserTokenSource> revoking = RevokingSource(&interposer);
  interposer.after_refresh = [&] { CHECK_TRUE(store->PurgeGrant("d1").ok()); };
  clock.AdvanceSeconds(3599 - 200);
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = revoking->GetToken("d1", &token, &failure);
  STRCMP_EQUAL("doctor_not_connected", s.reason().c_str());
  CHECK_FALSE(interposer.fresh_refresh_token.empty());
  CHECK_FALSE(
      harness->zoom().IsCurrentRefreshToken(interposer.fresh_refresh_token));
  LONGS_EQUAL(1, RevokeRequests());
  std::vector<PendingRevoke> queued;
  CHECK_TRUE(
      store->ListDueRevokes(clock.NowSeconds() + 86400, 50, &queued).ok());
  LONGS_EQUAL(0, queued.size());
}

// Another Zoom user's connection replaced the grant while the refresh was
// out: the old user's fresh pair is revoked, the new connection kept.
TEST(UserTokenSource, AFreshPairForAGrantOfAnotherUserIsRevoked) {
  Connect();
  RefreshInterposer interposer(&harness->transport());
  std::unique_ptr<UserTokenSource> revoking = RevokingSource(&interposer);
  interposer.after_refresh = [&] { Connect("u2"); };
  clock.AdvanceSeconds(3599 - 200);
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(revoking->GetToken("d1", &token, &failure).ok());
  STRCMP_EQUAL(connected.access_token.c_str(), token.c_str());  // u2's
  CHECK_FALSE(
      harness->zoom().IsCurrentRefreshToken(interposer.fresh_refresh_token));
  CHECK_TRUE(harness->zoom().IsCurrentRefreshToken(StoredRefreshToken()));
  LONGS_EQUAL(1, RevokeRequests());
}

// The same Zoom user connected again meanwhile: nothing is revoked, as the
// callback revokes nothing then (revoking may end the new grant).
TEST(UserTokenSource, AFreshPairOfTheSameUserReconnectingIsNotRevoked) {
  Connect();
  RefreshInterposer interposer(&harness->transport());
  std::unique_ptr<UserTokenSource> revoking = RevokingSource(&interposer);
  interposer.after_refresh = [&] { Connect("u1"); };
  clock.AdvanceSeconds(3599 - 200);
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(revoking->GetToken("d1", &token, &failure).ok());
  STRCMP_EQUAL(connected.access_token.c_str(), token.c_str());
  LONGS_EQUAL(0, RevokeRequests());
  std::vector<PendingRevoke> queued;
  CHECK_TRUE(
      store->ListDueRevokes(clock.NowSeconds() + 86400, 50, &queued).ok());
  LONGS_EQUAL(0, queued.size());
}

// A disconnect with delete_meetings came while the refresh was out: the
// grant's access token still deletes the doctor's meetings, and revoking
// ends it too, so the fresh refresh token is queued for the end of the
// disconnect's grace, not sent now.
TEST(UserTokenSource, AFreshPairForADisconnectingGrantIsRevokedAfterTheGrace) {
  Connect();
  RefreshInterposer interposer(&harness->transport());
  std::unique_ptr<UserTokenSource> revoking = RevokingSource(&interposer);
  bool applied = false;
  interposer.after_refresh = [&] {
    CHECK_TRUE(
        store->SetGrantState("d1", 0, GrantState::kDisconnecting, &applied)
            .ok());
  };
  clock.AdvanceSeconds(3599 - 200);
  const int64_t disconnected_at = clock.NowSeconds();
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_FALSE(revoking->GetToken("d1", &token, &failure).ok());
  CHECK(failure == ZoomFailure::kNotConnected);
  LONGS_EQUAL(0, RevokeRequests());
  CHECK_TRUE(
      harness->zoom().IsCurrentRefreshToken(interposer.fresh_refresh_token));
  std::vector<PendingRevoke> queued;
  CHECK_TRUE(store
                 ->ListDueRevokes(disconnected_at + kDisconnectGraceSeconds - 1,
                                  50, &queued)
                 .ok());
  LONGS_EQUAL(0, queued.size());
  CHECK_TRUE(store
                 ->ListDueRevokes(disconnected_at + kDisconnectGraceSeconds, 50,
                                  &queued)
                 .ok());
  LONGS_EQUAL(1, queued.size());
  std::string opened;
  CHECK_TRUE(harness->box()
                 .Open(RevokePurpose("d1"), queued[0].sealed_token, &opened)
                 .ok());
  STRCMP_EQUAL(interposer.fresh_refresh_token.c_str(), opened.c_str());
}

}  // namespace telemed
