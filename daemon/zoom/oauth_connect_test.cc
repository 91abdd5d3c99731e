// The connect flow against the fake Zoom: link, Continue, Zoom's authorize
// page, callback; and each refusal, with what it must not send to Zoom.
#include "zoom/oauth_connect.h"

#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "model/records.h"
#include "secrets/secret_box.h"
#include "store/store.h"
#include "support/oauth_connect_steps.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_harness.h"
#include "zoom/user_token_source.h"

namespace telemed {

namespace {

using test::kPublicUrl;
constexpr char kLinkPrefix[] = "https://bridge.local:8443/oauth/connect/";

}  // namespace

TEST_GROUP_BASE(OAuthConnect, test::OAuthConnectFixture){
    int64_t Now(){return clock.NowSeconds();
}  // namespace telemed

// A new link's id (the URL's last segment).
std::string NewLink(const std::string& doctor_id = "d1") {
  ConnectLink link;
  Status s = CreateConnectLink(deps, doctor_id, Now(), &link);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  return link.url.substr(strlen(kLinkPrefix));
}

// The browser at Zoom's authorize URL, `user_id` signing in ("" declines):
// the callback's query.
OAuthCallback AtZoom(const std::string& authorize_url,
                     const std::string& user_id) {
  const httplib::Params query = AtZoomQuery(authorize_url, user_id);
  OAuthCallback callback;
  auto take = [&](const char* name, std::string* out) {
    auto it = query.find(name);
    if (it != query.end()) *out = it->second;
  };
  take("state", &callback.state);
  take("code", &callback.code);
  take("error", &callback.error);
  return callback;
}

// Link, Continue and Zoom: the callback `user_id` brings back.
OAuthCallback ThroughZoom(const std::string& user_id) {
  std::string authorize_url;
  Status s = BeginAuthorization(deps, NewLink(), Now(), &authorize_url);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  return AtZoom(authorize_url, user_id);
}

Status Finish(const OAuthCallback& callback, ZoomUser* who = nullptr) {
  ZoomUser ignored;
  std::string doctor_id;
  return FinishAuthorization(deps, callback, Now(), &doctor_id,
                             who ? who : &ignored);
}

int TokenRequests() {
  return harness->zoom().CountRequests("POST", "/oauth/token");
}
int Revokes() { return harness->zoom().CountRequests("POST", "/oauth/revoke"); }
}
;

TEST(OAuthConnect, ALinkIsOnThePublicUrlAndLivesFifteenMinutes) {
  ConnectLink link;
  CHECK_TRUE(CreateConnectLink(deps, "d1", Now(), &link).ok());
  CHECK(link.url.rfind(kLinkPrefix, 0) == 0);
  CHECK(link.url.size() > strlen(kLinkPrefix) + 40);
  LONGS_EQUAL(Now() + 900, link.expires_at);
  std::string doctor_id;
  const std::string id = link.url.substr(strlen(kLinkPrefix));
  CHECK_TRUE(FindConnectLink(deps, id, Now(), &doctor_id).ok());
  STRCMP_EQUAL("d1", doctor_id.c_str());
  clock.AdvanceSeconds(900);
  STRCMP_EQUAL("connect_link_invalid",
               FindConnectLink(deps, id, Now(), &doctor_id).reason().c_str());
}

TEST(OAuthConnect, LinksAreRefusedForUnknownAndS2sDoctorsAndWithoutTheApp) {
  ConnectLink link;
  Status s = CreateConnectLink(deps, "nobody", Now(), &link);
  CHECK_TRUE(s.IsNotFound());
  STRCMP_EQUAL("doctor_not_found", s.reason().c_str());
  PutDoctor("d2", AuthMode::kS2s, "d2@clinic.example");
  s = CreateConnectLink(deps, "d2", Now(), &link);
  STRCMP_EQUAL("doctor_not_oauth", s.reason().c_str());
  std::unique_ptr<Store> empty;
  test::TempDir other;
  Store::Options options;
  options.path = other.File("other.db");
  options.clock = &clock;
  CHECK_TRUE(Store::Open(options, &empty).ok());
  OAuthConnectDeps bare = deps;
  bare.records = empty.get();
  bare.settings = empty.get();
  bare.grants = empty.get();
  Doctor doctor;
  doctor.id = "d1";
  doctor.name = "Dr d1";
  doctor.auth = AuthMode::kOauth;
  WriteOutcome outcome;
  CHECK_TRUE(empty->PutDoctor(doctor, &outcome).ok());
  s = CreateConnectLink(bare, "d1", Now(), &link);
  STRCMP_EQUAL("oauth_app_not_configured", s.reason().c_str());
}

TEST(OAuthConnect, ContinueSpendsTheLinkAndSendsTheBrowserToZoomWithPkce) {
  const std::string id = NewLink();
  std::string url;
  CHECK_TRUE(BeginAuthorization(deps, id, Now(), &url).ok());
  CHECK(url.rfind(harness->oauth_url() + "/oauth/authorize?", 0) == 0);
  CHECK(url.find("code_challenge_method=S256") != std::string::npos);
  CHECK(url.find("state=") != std::string::npos);
  STRCMP_EQUAL("connect_link_invalid",
               BeginAuthorization(deps, id, Now(), &url).reason().c_str());
  LONGS_EQUAL(0, TokenRequests());
}

TEST(OAuthConnect, TheCallbackStoresTheGrantNamingTheZoomAccount) {
  ZoomUser who;
  Status s = Finish(ThroughZoom("u1"), &who);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  STRCMP_EQUAL("doctor@clinic.example", who.email.c_str());
  DoctorGrant grant;
  CHECK_TRUE(HasGrant(&grant));
  STRCMP_EQUAL("u1", grant.zoom_user_id.c_str());
  CHECK(grant.state == GrantState::kConnected);
  std::string token;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(source->GetToken("d1", &token, &failure).ok());
  LONGS_EQUAL(0, Revokes());
}

TEST(OAuthConnect, AReplayedStateIsRefusedWithoutATokenRequest) {
  const OAuthCallback callback = ThroughZoom("u1");
  CHECK_TRUE(Finish(callback).ok());
  const int tokens = TokenRequests();
  STRCMP_EQUAL("oauth_state_invalid", Finish(callback).reason().c_str());
  LONGS_EQUAL(tokens, TokenRequests());
}

TEST(OAuthConnect, UnknownOrExpiredStateIsRefusedWithoutATokenRequest) {
  OAuthCallback callback = ThroughZoom("u1");
  OAuthCallback unknown = callback;
  unknown.state = "not-a-state";
  STRCMP_EQUAL("oauth_state_invalid", Finish(unknown).reason().c_str());
  unknown.state = "";
  STRCMP_EQUAL("oauth_state_invalid", Finish(unknown).reason().c_str());
  clock.AdvanceSeconds(600);
  STRCMP_EQUAL("oauth_state_invalid", Finish(callback).reason().c_str());
  LONGS_EQUAL(0, TokenRequests());
  DoctorGrant grant;
  CHECK_FALSE(HasGrant(&grant));
}

TEST(OAuthConnect, AccessDeniedAndAMissingCodeSendNothingAndKeepTheGrant) {
  CHECK_TRUE(Finish(ThroughZoom("u1")).ok());
  DoctorGrant before;
  CHECK_TRUE(HasGrant(&before));
  const int tokens = TokenRequests();
  OAuthCallback denied = ThroughZoom("");
  STRCMP_EQUAL("access_denied", denied.error.c_str());
  STRCMP_EQUAL("zoom_access_denied", Finish(denied).reason().c_str());
  OAuthCallback no_code = ThroughZoom("u1");
  no_code.code = "";
  STRCMP_EQUAL("oauth_code_missing", Finish(no_code).reason().c_str());
  LONGS_EQUAL(tokens, TokenRequests());
  DoctorGrant after;
  CHECK_TRUE(HasGrant(&after));
  LONGS_EQUAL(before.generation, after.generation);
}

TEST(OAuthConnect, ARefusedCodeKeepsTheGrant) {
  CHECK_TRUE(Finish(ThroughZoom("u1")).ok());
  DoctorGrant before;
  CHECK_TRUE(HasGrant(&before));
  OAuthCallback callback = ThroughZoom("u1");
  callback.code = "forged";
  STRCMP_EQUAL("zoom_code_refused", Finish(callback).reason().c_str());
  DoctorGrant after;
  CHECK_TRUE(HasGrant(&after));
  LONGS_EQUAL(before.generation, after.generation);
}

TEST(OAuthConnect, AnotherZoomAccountIsRefusedAndItsGrantRevoked) {
  Status s = Finish(ThroughZoom("u2"));
  STRCMP_EQUAL("zoom_account_mismatch", s.reason().c_str());
  DoctorGrant grant;
  CHECK_FALSE(HasGrant(&grant));
  LONGS_EQUAL(1, Revokes());
}

TEST(OAuthConnect, WithoutMatchingAnyAccountConnects) {
  deps.match_email = false;
  CHECK_TRUE(Finish(ThroughZoom("u2")).ok());
  DoctorGrant grant;
  CHECK_TRUE(HasGrant(&grant));
  STRCMP_EQUAL("u2", grant.zoom_user_id.c_str());
}

// With matching on, a doctor registered without a Zoom user has nothing to
// match: whoever the doctor signs in as is accepted, and that account's
// e-mail is what the doctor's record shows from then on.
TEST(OAuthConnect, MatchingADoctorWithoutAZoomUserAcceptsAndRecordsTheAccount) {
  CHECK_TRUE(deps.match_email);
  PutDoctor("d1", AuthMode::kOauth, "");
  ZoomUser who;
  CHECK_TRUE(Finish(ThroughZoom("u2"), &who).ok());
  STRCMP_EQUAL("other@clinic.example", who.email.c_str());
  DoctorGrant grant;
  CHECK_TRUE(HasGrant(&grant));
  STRCMP_EQUAL("other@clinic.example", grant.zoom_email.c_str());
  LONGS_EQUAL(0, Revokes());
}

TEST(OAuthConnect, ReconnectingRevokesTheOldGrantOnlyForAnotherUser) {
  deps.match_email = false;
  CHECK_TRUE(Finish(ThroughZoom("u1")).ok());
  CHECK_TRUE(Finish(ThroughZoom("u1")).ok());
  LONGS_EQUAL(0, Revokes());
  CHECK_TRUE(Finish(ThroughZoom("u2")).ok());
  LONGS_EQUAL(1, Revokes());
  DoctorGrant grant;
  CHECK_TRUE(HasGrant(&grant));
  STRCMP_EQUAL("u2", grant.zoom_user_id.c_str());
}

TEST(OAuthConnect, ZoomUserMatchesEmailIgnoringCaseOrTheUserId) {
  ZoomUser user;
  user.id = "AbC123";
  user.email = "Doc@Clinic.example";
  CHECK_TRUE(ZoomUserMatches("doc@clinic.EXAMPLE", user));
  CHECK_FALSE(ZoomUserMatches("other@clinic.example", user));
  CHECK_TRUE(ZoomUserMatches("AbC123", user));
  CHECK_FALSE(ZoomUserMatches("abc123", user));
  CHECK_TRUE(ZoomUserMatches("", user));
}

}  // namespace telemed
