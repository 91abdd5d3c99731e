// Disconnecting an OAuth doctor against the fake Zoom: the revoke Zoom sees
// (at once, or retried after a 5xx or no answer), the grant purged at once,
// the refusals, and the callback's revokes going through the same queue.
// The deletions of delete_meetings are in sync/sync_engine_test.cc.
#include "sync/doctor_disconnect.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "model/records.h"
#include "store/store.h"
#include "support/oauth_connect_steps.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_harness.h"
#include "zoom/revoke_queue.h"
#include "zoom/user_token_source.h"

namespace telemed {

TEST_GROUP_BASE(DoctorDisconnect, test::OAuthConnectFixture){
    int64_t Now(){return clock.NowSeconds();
}  // namespace telemed

// Zoom user `user_id` connects d1, stored as the callback stores it; the
// refresh token Zoom issued.
std::string Connect(const std::string& user_id = "u1") {
  Pkce pkce;
  CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
  const std::string code = test::AuthorizedCode(harness.get(), pkce, user_id);
  UserTokens tokens;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(ExchangeCode(deps.oauth, test::FakeOAuthApp(), code, pkce.verifier,
                          test::kRedirect, &tokens, &failure)
                 .ok());
  ZoomUser user;
  user.id = user_id;
  user.email = "doctor@clinic.example";
  int64_t generation = 0;
  CHECK_TRUE(source->StoreNewGrant("d1", tokens, user, &generation).ok());
  return tokens.refresh_token;
}

DisconnectResult Disconnect(const std::string& doctor_id = "d1") {
  DisconnectResult result;
  Status s = DisconnectDoctor(deps, doctor_id, false, Now(), &result);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  return result;
}

std::vector<PendingRevoke> Queued(int64_t at) {
  std::vector<PendingRevoke> due;
  CHECK_TRUE(store->ListDueRevokes(at, 10, &due).ok());
  return due;
}

int Revokes() { return harness->zoom().CountRequests("POST", "/oauth/revoke"); }

void FailRevokes(test::FaultKind kind, int times) {
  harness->zoom().InjectFault(
      test::MakeFault("POST", "/oauth/revoke", kind, times));
}
}
;

TEST(DoctorDisconnect, RevokesAtZoomAndPurgesTheGrantAtOnce) {
  const std::string refresh = Connect();
  DisconnectResult result = Disconnect();
  CHECK_TRUE(result.was_connected);
  STRCMP_EQUAL("not_connected", result.state.c_str());
  LONGS_EQUAL(0, result.meetings_to_delete);
  CHECK_FALSE(HasGrant());
  LONGS_EQUAL(1, Revokes());
  CHECK_FALSE(harness->zoom().IsCurrentRefreshToken(refresh));
  LONGS_EQUAL(0, Queued(Now() + 86400).size());
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  STRCMP_EQUAL("doctor_not_connected",
               source->GetToken("d1", &token, &failure).reason().c_str());
}

TEST(DoctorDisconnect, ADoctorNotConnectedIsANoOp) {
  DisconnectResult result = Disconnect();
  CHECK_FALSE(result.was_connected);
  STRCMP_EQUAL("not_connected", result.state.c_str());
  Connect();
  Disconnect();
  result = Disconnect();
  CHECK_FALSE(result.was_connected);
  LONGS_EQUAL(1, Revokes());
}

TEST(DoctorDisconnect, UnknownAndS2sDoctorsAreRefused) {
  PutDoctor("d2", AuthMode::kS2s, "s2s@clinic.example");
  DisconnectResult result;
  Status s = DisconnectDoctor(deps, "nobody", false, Now(), &result);
  STRCMP_EQUAL("doctor_not_found", s.reason().c_str());
  CHECK(s.code() == Status::Code::kNotFound);
  s = DisconnectDoctor(deps, "d2", true, Now(), &result);
  STRCMP_EQUAL("doctor_not_oauth", s.reason().c_str());
  CHECK(s.code() == Status::Code::kConflict);
  STRCMP_EQUAL("auth", s.field().c_str());
  LONGS_EQUAL(0, Revokes());
}

TEST(DoctorDisconnect, ARevokeZoomDidNotTakeIsRetriedWithBackoff) {
  const std::string refresh = Connect();
  FailRevokes(test::FaultKind::kServerError, 1);
  Disconnect();
  // The grant is gone at once; the revoke waits, sealed.
  CHECK_FALSE(HasGrant());
  std::vector<PendingRevoke> queued = Queued(Now() + 86400);
  LONGS_EQUAL(1, queued.size());
  LONGS_EQUAL(1, queued[0].attempts);
  LONGS_EQUAL(Now() + 60, queued[0].next_attempt_at);
  STRCMP_EQUAL("zoom_no_answer", queued[0].last_error.c_str());
  CHECK(queued[0].sealed_token.find(refresh) == std::string::npos);
  CHECK_TRUE(harness->zoom().IsCurrentRefreshToken(refresh));
  // Not due yet: nothing is sent.
  RevokeRound round;
  CHECK_TRUE(RetryDueRevokes(RevokeDepsOf(deps), Now(), &round).ok());
  LONGS_EQUAL(1, Revokes());
  // No answer at all the second time: twice as long.
  clock.AdvanceSeconds(60);
  FailRevokes(test::FaultKind::kDropBeforeWork, 1);
  CHECK_TRUE(RetryDueRevokes(RevokeDepsOf(deps), Now(), &round).ok());
  LONGS_EQUAL(1, round.waiting);
  queued = Queued(Now() + 86400);
  LONGS_EQUAL(2, queued[0].attempts);
  LONGS_EQUAL(Now() + 120, queued[0].next_attempt_at);
  clock.AdvanceSeconds(120);
  CHECK_TRUE(RetryDueRevokes(RevokeDepsOf(deps), Now(), &round).ok());
  LONGS_EQUAL(1, round.revoked);
  LONGS_EQUAL(3, Revokes());
  CHECK_FALSE(harness->zoom().IsCurrentRefreshToken(refresh));
  LONGS_EQUAL(0, Queued(Now() + 86400).size());
}

TEST(DoctorDisconnect, ATokenThatDoesNotOpenWaitsWithoutHoldingUpOthers) {
  PendingRevoke broken;
  broken.doctor_id = "d9";
  broken.sealed_token = "not sealed by this key";
  CHECK_TRUE(store->QueueRevoke(broken, &broken.id).ok());
  const std::string refresh = Connect();
  PendingRevoke entry;
  CHECK_TRUE(
      QueueRevoke(RevokeDepsOf(deps), "d1", refresh, Now(), &entry).ok());
  RevokeRound round;
  CHECK_TRUE(RetryDueRevokes(RevokeDepsOf(deps), Now(), &round).ok());
  LONGS_EQUAL(1, round.revoked);
  LONGS_EQUAL(1, round.waiting);
  CHECK_FALSE(harness->zoom().IsCurrentRefreshToken(refresh));
  std::vector<PendingRevoke> queued = Queued(Now() + 86400);
  LONGS_EQUAL(1, queued.size());
  STRCMP_EQUAL("d9", queued[0].doctor_id.c_str());
  LONGS_EQUAL(1, queued[0].attempts);
}

TEST(DoctorDisconnect, ATokenZoomNoLongerKnowsIsNotRetried) {
  CHECK_TRUE(
      RevokeOrQueue(RevokeDepsOf(deps), "d1", "not-a-token", Now()).ok());
  LONGS_EQUAL(1, Revokes());
  LONGS_EQUAL(0, Queued(Now() + 86400).size());
}

TEST(DoctorDisconnect, BackoffDoublesUpToSixHours) {
  LONGS_EQUAL(60, RevokeBackoffSeconds(1));
  LONGS_EQUAL(120, RevokeBackoffSeconds(2));
  LONGS_EQUAL(3840, RevokeBackoffSeconds(7));
  LONGS_EQUAL(21600, RevokeBackoffSeconds(10));
  LONGS_EQUAL(21600, RevokeBackoffSeconds(1000));
}

TEST(DoctorDisconnect, TheCallbacksRevokeOfAReplacedGrantIsRetriedToo) {
  deps.match_email = false;
  const std::string old_refresh = Connect("u1");
  FailRevokes(test::FaultKind::kServerError, 1);
  std::string authorize_url;
  ConnectLink link;
  CHECK_TRUE(CreateConnectLink(deps, "d1", Now(), &link).ok());
  const std::string id = link.url.substr(link.url.rfind('/') + 1);
  CHECK_TRUE(BeginAuthorization(deps, id, Now(), &authorize_url).ok());
  const httplib::Params query = AtZoomQuery(authorize_url, "u2");
  OAuthCallback callback;
  callback.state = query.find("state")->second;
  callback.code = query.find("code")->second;
  std::string doctor_id;
  ZoomUser who;
  CHECK_TRUE(FinishAuthorization(deps, callback, Now(), &doctor_id, &who).ok());
  STRCMP_EQUAL("u2", who.id.c_str());
  LONGS_EQUAL(1, Queued(Now() + 86400).size());
  CHECK_TRUE(harness->zoom().IsCurrentRefreshToken(old_refresh));
  clock.AdvanceSeconds(60);
  RevokeRound round;
  CHECK_TRUE(RetryDueRevokes(RevokeDepsOf(deps), Now(), &round).ok());
  LONGS_EQUAL(1, round.revoked);
  CHECK_FALSE(harness->zoom().IsCurrentRefreshToken(old_refresh));
  // The new grant stays.
  CHECK_TRUE(HasGrant());
}

TEST(DoctorDisconnect, ARemovedDoctorsGrantIsRevokedAndPurged) {
  const std::string refresh = Connect();
  Doctor removed;
  CHECK_TRUE(store->RemoveDoctor("d1", &removed, nullptr).ok());
  CHECK_TRUE(DropGrantOfRemovedDoctor(deps, "d1", Now()).ok());
  CHECK_FALSE(HasGrant());
  CHECK_FALSE(harness->zoom().IsCurrentRefreshToken(refresh));
  CHECK_TRUE(DropGrantOfRemovedDoctor(deps, "d1", Now()).ok());
  LONGS_EQUAL(1, Revokes());
}

// The admin disconnects while the doctor is at Zoom's consent page, or
// holds a link not yet opened: neither finishes after the disconnect (the
// callback finds no attempt, so no code is exchanged, no grant stored).
TEST(DoctorDisconnect, AConnectionBegunBeforeADisconnectStoresNothing) {
  const std::string refresh = Connect("u1");
  ConnectLink at_zoom, unopened;
  CHECK_TRUE(CreateConnectLink(deps, "d1", Now(), &at_zoom).ok());
  CHECK_TRUE(CreateConnectLink(deps, "d1", Now(), &unopened).ok());
  std::string authorize_url;
  CHECK_TRUE(BeginAuthorization(deps,
                                at_zoom.url.substr(at_zoom.url.rfind('/') + 1),
                                Now(), &authorize_url)
                 .ok());
  const httplib::Params query = AtZoomQuery(authorize_url, "u1");
  Disconnect();
  CHECK_FALSE(HasGrant());
  const int token_requests =
      harness->zoom().CountRequests("POST", "/oauth/token");
  OAuthCallback callback;
  callback.state = query.find("state")->second;
  callback.code = query.find("code")->second;
  std::string doctor_id;
  ZoomUser who;
  Status s = FinishAuthorization(deps, callback, Now(), &doctor_id, &who);
  STRCMP_EQUAL("oauth_state_invalid", s.reason().c_str());
  CHECK_FALSE(HasGrant());
  LONGS_EQUAL(token_requests,
              harness->zoom().CountRequests("POST", "/oauth/token"));
  std::string opened_for;
  s = FindConnectLink(deps, unopened.url.substr(unopened.url.rfind('/') + 1),
                      Now(), &opened_for);
  STRCMP_EQUAL("connect_link_invalid", s.reason().c_str());
  // A link made after the disconnect works.
  ConnectLink after;
  CHECK_TRUE(CreateConnectLink(deps, "d1", Now(), &after).ok());
  CHECK_TRUE(FindConnectLink(deps, after.url.substr(after.url.rfind('/') + 1),
                             Now(), &opened_for)
                 .ok());
}

// Disconnecting a doctor who is not connected still withdraws its links.
TEST(DoctorDisconnect, ADisconnectWithoutAGrantWithdrawsTheLinks) {
  ConnectLink link;
  CHECK_TRUE(CreateConnectLink(deps, "d1", Now(), &link).ok());
  CHECK_FALSE(Disconnect().was_connected);
  std::string doctor_id;
  Status s = FindConnectLink(deps, link.url.substr(link.url.rfind('/') + 1),
                             Now(), &doctor_id);
  STRCMP_EQUAL("connect_link_invalid", s.reason().c_str());
}

}  // namespace telemed
