#include "zoom/user_oauth.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "store/store.h"
#include "store/testutil.h"
#include "support/temp_dir.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_harness.h"

namespace telemed {

TEST_GROUP_BASE(UserOAuth, test::UserOAuthFixture){
    Status Exchange(const std::string& code, const Pkce& pkce,
                    const std::string& redirect, UserTokens* out,
                    ZoomFailure* failure){
        return ExchangeCode(test::Endpoint(harness.get(), &clock),
                            test::FakeOAuthApp(), code, pkce.verifier, redirect,
                            out, failure);
}
}
;

// RFC 7636, appendix B.
TEST(UserOAuth, PkceChallengeMatchesTheRfcVector) {
  STRCMP_EQUAL(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").c_str());
}

TEST(UserOAuth, EachAttemptGetsAFreshVerifier) {
  test::CountingRandom counting;
  Pkce first, second;
  CHECK_TRUE(NewPkce(&counting, &first).ok());
  CHECK_TRUE(NewPkce(&counting, &second).ok());
  LONGS_EQUAL(43, first.verifier.size());  // 32 bytes, base64url unpadded
  CHECK(first.verifier.find('=') == std::string::npos);
  CHECK(first.verifier != second.verifier);
  STRCMP_EQUAL(PkceChallenge(first.verifier).c_str(), first.challenge.c_str());
}

TEST(UserOAuth, AuthorizeUrlCarriesS256AndTheEncodedState) {
  const std::string url =
      AuthorizeUrl("https://zoom.us", "client id",
                   "https://box:8443/oauth/callback", "s&t=1", "CHALLENGE");
  STRCMP_EQUAL(
      "https://zoom.us/oauth/authorize?response_type=code&client_id=client%20id"
      "&redirect_uri=https%3A%2F%2Fbox%3A8443%2Foauth%2Fcallback"
      "&state=s%26t%3D1&code_challenge=CHALLENGE&code_challenge_method=S256",
      url.c_str());
}

TEST(UserOAuth, TheCodeIsExchangedOnceWithItsVerifier) {
  Pkce pkce;
  CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
  const std::string code = test::AuthorizedCode(harness.get(), pkce, "u1");
  UserTokens tokens;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(Exchange(code, pkce, test::kRedirect, &tokens, &failure).ok());
  CHECK_FALSE(tokens.access_token.empty());
  CHECK_TRUE(harness->zoom().IsCurrentRefreshToken(tokens.refresh_token));
  LONGS_EQUAL(clock.NowSeconds() + 3599, tokens.expires_at);
  ZoomUser me;
  ZoomError error;
  CHECK_TRUE(FetchMe(harness->api_url(), &harness->transport(), &clock,
                     tokens.access_token, &me, &error)
                 .ok());
  STRCMP_EQUAL("u1", me.id.c_str());
  STRCMP_EQUAL("doctor@clinic.example", me.email.c_str());
  // The token went in a header, never in a URL.
  for (const auto& request : harness->zoom().Requests()) {
    CHECK(request.query.find(tokens.access_token) == std::string::npos);
  }
  Status again = Exchange(code, pkce, test::kRedirect, &tokens, &failure);
  STRCMP_EQUAL("zoom_code_refused", again.reason().c_str());
  CHECK(failure == ZoomFailure::kRefused);
}

// The fake's controls the refresh tests lean on: a user token lifetime
// that applies to tokens issued from then on, and a count of refreshes.
TEST(UserOAuth, TheFakeSetsUserTokenLifetimesAndCountsRefreshes) {
  harness->zoom().SetUserTokenLifetime(200);
  Pkce pkce;
  CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
  const std::string code = test::AuthorizedCode(harness.get(), pkce, "u1");
  UserTokens tokens, refreshed;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(Exchange(code, pkce, test::kRedirect, &tokens, &failure).ok());
  LONGS_EQUAL(clock.NowSeconds() + 200, tokens.expires_at);
  LONGS_EQUAL(0, harness->zoom().CountRefreshRequests());
  harness->zoom().SetUserTokenLifetime(3599);
  OAuthEndpoint endpoint = test::Endpoint(harness.get(), &clock);
  CHECK_TRUE(RefreshUserTokens(endpoint, test::FakeOAuthApp(),
                               tokens.refresh_token, &refreshed, &failure)
                 .ok());
  LONGS_EQUAL(clock.NowSeconds() + 3599, refreshed.expires_at);
  LONGS_EQUAL(1, harness->zoom().CountRefreshRequests());
}

TEST(UserOAuth, AWrongVerifierOrRedirectIsRefused) {
  Pkce pkce, other;
  CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
  CHECK_TRUE(NewPkce(random.get(), &other).ok());
  UserTokens tokens;
  ZoomFailure failure = ZoomFailure::kNone;
  std::string code = test::AuthorizedCode(harness.get(), pkce, "u1");
  CHECK_FALSE(Exchange(code, other, test::kRedirect, &tokens, &failure).ok());
  CHECK(failure == ZoomFailure::kRefused);
  code = test::AuthorizedCode(harness.get(), pkce, "u1");
  CHECK_FALSE(
      Exchange(code, pkce, "https://elsewhere/cb", &tokens, &failure).ok());
  CHECK(failure == ZoomFailure::kRefused);
}

TEST(UserOAuth, ADeniedAuthorizationRedirectsWithoutACode) {
  Pkce pkce;
  CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
  harness->zoom().SetAuthorizingUser("");
  httplib::Params query = test::Authorize(harness.get(), pkce, "st");
  STRCMP_EQUAL("access_denied", query.find("error")->second.c_str());
  CHECK(query.find("code") == query.end());
}

TEST(UserOAuth, RevokingEndsTheGrant) {
  Pkce pkce;
  CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
  UserTokens tokens, refreshed;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(Exchange(test::AuthorizedCode(harness.get(), pkce, "u1"), pkce,
                      test::kRedirect, &tokens, &failure)
                 .ok());
  const OAuthEndpoint endpoint = test::Endpoint(harness.get(), &clock);
  CHECK_TRUE(RevokeUserToken(endpoint, test::FakeOAuthApp(),
                             tokens.refresh_token, &failure)
                 .ok());
  Status s = RefreshUserTokens(endpoint, test::FakeOAuthApp(),
                               tokens.refresh_token, &refreshed, &failure);
  STRCMP_EQUAL("doctor_reconnect_needed", s.reason().c_str());
  CHECK(failure == ZoomFailure::kReconnectNeeded);
}

TEST(UserOAuth, TheAppIsStoredWithItsSecretSealed) {
  OAuthApp app = test::FakeOAuthApp();
  CHECK_TRUE(SaveOAuthApp(store.get(), harness->box(), app).ok());
  std::string sealed;
  bool found = false;
  CHECK_TRUE(
      store->GetSetting("zoom.oauth.client_secret", &sealed, &found).ok());
  CHECK_TRUE(found);
  CHECK(sealed.find(app.client_secret) == std::string::npos);
  OAuthApp loaded, ids;
  bool configured = false;
  CHECK_TRUE(
      LoadOAuthApp(store.get(), harness->box(), &loaded, &configured).ok());
  CHECK_TRUE(configured);
  STRCMP_EQUAL(app.client_secret.c_str(), loaded.client_secret.c_str());
  STRCMP_EQUAL(test::kRedirect, loaded.redirect_url.c_str());
  CHECK_TRUE(LoadOAuthAppIds(store.get(), &ids, &configured).ok());
  STRCMP_EQUAL(app.client_id.c_str(), ids.client_id.c_str());
  CHECK_TRUE(ids.client_secret.empty());
  app.redirect_url.clear();
  CHECK_TRUE(SaveOAuthApp(store.get(), harness->box(), app).ok());
  CHECK_TRUE(LoadOAuthAppIds(store.get(), &ids, &configured).ok());
  CHECK_TRUE(ids.redirect_url.empty());
}

TEST(UserOAuth, RedirectUrlsMustBeHttpsOrLoopback) {
  for (const char* good :
       {"https://bridge.local:8443/oauth/callback", "https://b/x?y=1",
        "http://localhost:8080/cb", "http://127.0.0.1/cb"}) {
    CHECK_TRUE_TEXT(CheckRedirectUrl(good).ok(), good);
  }
  for (const char* bad :
       {"", "http://bridge.local/cb", "http://localhost.evil.example/cb",
        "https://", "https://b/c d", "https://b/cb#frag", "ftp://b/cb",
        "https://b/\x01"}) {
    Status s = CheckRedirectUrl(bad);
    CHECK_FALSE_TEXT(s.ok(), bad);
    STRCMP_EQUAL("redirect_url", s.field().c_str());
  }
}

}  // namespace telemed
