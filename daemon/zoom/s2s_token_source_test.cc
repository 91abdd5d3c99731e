#include "zoom/s2s_token_source.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "base/fake_process_identity.h"
#include "base/random.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/zoom_harness.h"

namespace telemed {

TEST_GROUP(S2sTokenSource) {
  test::TempDir dir;
  FakeClock clock;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<Store> store;
  std::unique_ptr<test::ZoomHarness> harness;

  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random).ok());
    CHECK_TRUE(OpenStore(&store).ok());
    harness =
        std::make_unique<test::ZoomHarness>(&clock, store.get(), random.get());
  }

  Status OpenStore(std::unique_ptr<Store> * out) {
    Store::Options options;
    options.path = dir.File("bridge.db");
    options.clock = &clock;
    return Store::Open(options, out);
  }

  // A second process's token source: its own store handle and transport.
  std::unique_ptr<S2sTokenSource> OtherProcess(Store * other_store) {
    return std::make_unique<S2sTokenSource>(harness->TokenOptions(other_store));
  }

  int TokenRequests() {
    return harness->zoom().CountRequests("POST", "/oauth/token");
  }
};

TEST(S2sTokenSource, ARefusedSourceNeverTouchesTheAppOrZoom) {
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());  // one stored token
  S2sTokenSource::Options options = harness->TokenOptions(store.get());
  options.refused = Status::Conflict("secret_key_mismatch", "another key");
  S2sTokenSource refused(options);
  std::string got;
  STRCMP_EQUAL("secret_key_mismatch", refused.GetToken(&got).reason().c_str());
  CHECK_TRUE(got.empty());
  STRCMP_EQUAL("secret_key_mismatch", refused.CheckUsable().reason().c_str());
  S2sToken fresh;
  STRCMP_EQUAL("secret_key_mismatch",
               refused.FetchFresh(&fresh).reason().c_str());
  refused.Invalidate(token);
  LONGS_EQUAL(1, TokenRequests());
  // The stored token is untouched: another process still reads it.
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  CHECK_TRUE(OtherProcess(other_store.get())->GetToken(&got).ok());
  STRCMP_EQUAL(token.c_str(), got.c_str());
  LONGS_EQUAL(1, TokenRequests());
}

TEST(S2sTokenSource, OneTokenServesEveryProcessUntilNearExpiry) {
  std::string first, second;
  CHECK_TRUE(harness->tokens().GetToken(&first).ok());
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  auto other = OtherProcess(other_store.get());
  CHECK_TRUE(other->GetToken(&second).ok());
  STRCMP_EQUAL(first.c_str(), second.c_str());
  LONGS_EQUAL(1, TokenRequests());
  clock.AdvanceSeconds(3599 - 200);  // inside the 5-minute margin
  CHECK_TRUE(other->GetToken(&second).ok());
  CHECK(first != second);
  CHECK_TRUE(harness->tokens().GetToken(&first).ok());
  STRCMP_EQUAL(second.c_str(), first.c_str());
  LONGS_EQUAL(2, TokenRequests());
}

TEST(S2sTokenSource, ATokenAnotherProcessMintedReplacesTheCachedOne) {
  std::string first, used;
  CHECK_TRUE(harness->tokens().GetToken(&first).ok());
  clock.AdvanceSeconds(5);
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  S2sToken fresh;  // `zoom test` in another process
  CHECK_TRUE(OtherProcess(other_store.get())->FetchFresh(&fresh).ok());
  CHECK_TRUE(harness->tokens().GetToken(&used).ok());
  STRCMP_EQUAL(fresh.access_token.c_str(), used.c_str());
  LONGS_EQUAL(2, TokenRequests());
}

TEST(S2sTokenSource, OnlyATokenAMinuteOldMayPredateAScopeFix) {
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  CHECK_FALSE(harness->tokens().MayPredateScopeFix(token));
  clock.AdvanceSeconds(60);
  CHECK_TRUE(harness->tokens().MayPredateScopeFix(token));
}

TEST(S2sTokenSource, WhileAnotherRenewsItsStillValidTokenIsBorrowed) {
  std::string token, borrowed;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  clock.AdvanceSeconds(3599 - 200);
  bool taken = false;
  CHECK_TRUE(store
                 ->TryTakeLease("zoom.s2s.token", "other-process",
                                clock.NowSeconds(), clock.NowSeconds() + 30,
                                &taken)
                 .ok());
  CHECK_TRUE(taken);
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  CHECK_TRUE(OtherProcess(other_store.get())->GetToken(&borrowed).ok());
  STRCMP_EQUAL(token.c_str(), borrowed.c_str());
  LONGS_EQUAL(1, TokenRequests());
}

TEST(S2sTokenSource, InvalidatedTokenIsNotReusedByAnyone) {
  std::string token, fresh;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  harness->tokens().Invalidate(token);
  std::unique_ptr<Store> other_store;
  CHECK_TRUE(OpenStore(&other_store).ok());
  CHECK_TRUE(OtherProcess(other_store.get())->GetToken(&fresh).ok());
  CHECK(fresh != token);
}

TEST(S2sTokenSource, WrongSecretIsACredentialsError) {
  harness->zoom().RotateCredentials("fake-client-id", "another-secret");
  std::string token;
  Status s = harness->tokens().GetToken(&token);
  STRCMP_EQUAL("zoom_credentials_invalid", s.reason().c_str());
  CHECK(s.message().find(test::GeneratedS2sClientSecret()) ==
        std::string::npos);
}

TEST(S2sTokenSource, MissingAppIsNotConfigured) {
  CHECK_TRUE(ForgetS2sCredentials(store.get()).ok());
  std::string token;
  STRCMP_EQUAL("zoom_not_configured",
               harness->tokens().GetToken(&token).reason().c_str());
}

TEST(S2sTokenSource, SecretAndTokenAreSealedAtRest) {
  std::string token, value;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  bool found = false;
  CHECK_TRUE(store->GetSetting("zoom.s2s.client_secret", &value, &found).ok());
  CHECK_TRUE(found);
  CHECK(value.find(test::GeneratedS2sClientSecret()) == std::string::npos);
  CHECK_TRUE(store->GetSetting("zoom.s2s.token", &value, &found).ok());
  CHECK(value.find(token) == std::string::npos);
}

TEST(S2sTokenSource, FetchFreshReportsGrantedScopes) {
  S2sToken token;
  CHECK_TRUE(harness->tokens().FetchFresh(&token).ok());
  CHECK(token.scopes.size() >= 6);
  CHECK(token.expires_at > clock.NowSeconds());
}

TEST(S2sTokenSource, NewCredentialsWorkAfterARefusal) {
  harness->zoom().RotateCredentials("fake-client-id", "rotated-secret");
  std::string token;
  CHECK_FALSE(harness->tokens().GetToken(&token).ok());
  STRCMP_EQUAL("zoom_credentials_invalid",
               harness->tokens().CheckUsable().reason().c_str());
  CHECK_TRUE(
      SaveS2sCredentials(
          store.get(), harness->box(),
          S2sCredentials{"fake-account-id", "fake-client-id", "rotated-secret"})
          .ok());
  CHECK_TRUE(harness->tokens().CheckUsable().ok());
  Status s = harness->tokens().GetToken(&token);
  STRCMP_EQUAL("OK", s.ToString().c_str());
}

TEST(S2sTokenSource, EveryFailureCarriesItsKind) {
  std::string token;
  ZoomFailure kind = ZoomFailure::kNone;
  S2sTokenSource::Options options = harness->TokenOptions(store.get());
  options.refused = Status::Conflict("secret_key_mismatch", "another key");
  S2sTokenSource refused(options);
  CHECK_FALSE(refused.GetToken(&token, &kind).ok());
  CHECK(kind == ZoomFailure::kKeyMismatch);
  kind = ZoomFailure::kNone;
  CHECK_FALSE(refused.CheckUsable(&kind).ok());
  CHECK(kind == ZoomFailure::kKeyMismatch);

  harness->zoom().RotateCredentials("fake-client-id", "another-secret");
  CHECK_FALSE(harness->tokens().GetToken(&token, &kind).ok());
  CHECK(kind == ZoomFailure::kCredentialsRefused);
  kind = ZoomFailure::kNone;
  CHECK_FALSE(harness->tokens().CheckUsable(&kind).ok());
  CHECK(kind == ZoomFailure::kCredentialsRefused);

  CHECK_TRUE(ForgetS2sCredentials(store.get()).ok());
  CHECK_FALSE(harness->tokens().GetToken(&token, &kind).ok());
  CHECK(kind == ZoomFailure::kNotConfigured);
  kind = ZoomFailure::kNone;
  CHECK_FALSE(harness->tokens().CheckUsable(&kind).ok());
  CHECK(kind == ZoomFailure::kNotConfigured);
}

TEST(S2sTokenSource, ATokenEndpointOutOfReachIsNotTheCredentials) {
  const S2sCredentials app{"fake-account-id", "fake-client-id",
                           test::GeneratedS2sClientSecret()};
  S2sToken token;
  ZoomFailure kind = ZoomFailure::kNone;
  // Port 1 on the loopback: nothing listens there.
  CHECK_FALSE(RequestS2sToken(&harness->transport(), "https://127.0.0.1:1",
                              &clock, app, &token, &kind)
                  .ok());
  CHECK(kind == ZoomFailure::kTokenUnavailable);
  // Not https: the bridge's own mistake, not Zoom's answer.
  Status s = RequestS2sToken(&harness->transport(), "http://127.0.0.1:1",
                             &clock, app, &token, &kind);
  CHECK(s.code() == Status::Code::kInvalidArgument);
  CHECK(kind == ZoomFailure::kNone);
}

TEST(S2sTokenSource, CheckUsableFollowsTheStoredAppAcrossChanges) {
  harness->zoom().RotateCredentials("fake-client-id", "rotated-secret");
  std::string token;
  CHECK_FALSE(harness->tokens().GetToken(&token).ok());
  // Asked again and again about the same stored app: the same verdict.
  for (int i = 0; i < 3; ++i) {
    STRCMP_EQUAL("zoom_credentials_invalid",
                 harness->tokens().CheckUsable().reason().c_str());
  }
  CHECK_TRUE(ForgetS2sCredentials(store.get()).ok());
  STRCMP_EQUAL("zoom_not_configured",
               harness->tokens().CheckUsable().reason().c_str());
  // The refused app stored again (sealed anew): refused again.
  CHECK_TRUE(
      SaveS2sCredentials(store.get(), harness->box(),
                         S2sCredentials{"fake-account-id", "fake-client-id",
                                        test::GeneratedS2sClientSecret()})
          .ok());
  STRCMP_EQUAL("zoom_credentials_invalid",
               harness->tokens().CheckUsable().reason().c_str());
}

// A process killed while it renewed the token left the lease (30 s): the
// next renewal takes it over at once when that process provably ended,
// and waits for it otherwise.
TEST(S2sTokenSource, AKilledRenewersLeaseIsTakenOverAtOnce) {
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  clock.AdvanceSeconds(3600);  // the stored token has expired
  FakeMachine machine;
  FakeProcessIdentity killed(&machine, 100, 5000);
  FakeProcessIdentity self(&machine, 200, 6000);
  const int64_t now = clock.NowSeconds();
  bool taken = false;
  CHECK_TRUE(store
                 ->TryTakeLease("zoom.s2s.token",
                                LeaseOwnerName(killed, "renewing"), now,
                                now + 30, &taken)
                 .ok());
  CHECK_TRUE(taken);
  S2sTokenSource::Options options = harness->TokenOptions(store.get());
  options.processes = &self;
  S2sTokenSource source(options);
  Status s = source.GetToken(&token);
  STRCMP_EQUAL("zoom_token_renewing", s.reason().c_str());
  machine.scope = "boot-b/pid:[4026531836]";  // after a reboot: unprovable
  killed.Kill();
  STRCMP_EQUAL("zoom_token_renewing", source.GetToken(&token).reason().c_str());
  LONGS_EQUAL(1, TokenRequests());
  machine.scope = "boot-a/pid:[4026531836]";
  s = source.GetToken(&token);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(2, TokenRequests());
}

}  // namespace telemed
