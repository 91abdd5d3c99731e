// Steps of user OAuth for tests (zoom/user_oauth_test.cc,
// zoom/user_token_source_test.cc): the clinic's OAuth app stored, and a
// doctor connected through the fake Zoom's /oauth/authorize as a browser
// would. Header-only; used only by *_test.cc.
#ifndef TELEMED_TESTS_SUPPORT_USER_OAUTH_STEPS_H_
#define TELEMED_TESTS_SUPPORT_USER_OAUTH_STEPS_H_

#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "base/random.h"
#include "base/status.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/zoom_harness.h"
#include "zoom/transport.h"
#include "zoom/user_oauth.h"

namespace telemed {
namespace test {

constexpr char kRedirect[] = "https://bridge.local:8443/oauth/callback";

inline OAuthApp FakeOAuthApp() {
  FakeZoom::Options defaults;
  return OAuthApp{defaults.oauth_client_id, defaults.oauth_client_secret,
                  kRedirect};
}

// The browser at `authorize_url`: the query Zoom redirects back with.
inline httplib::Params FollowAuthorize(ZoomHarness* harness,
                                       const std::string& authorize_url) {
  HttpRequest request;
  request.method = "GET";
  request.url = authorize_url;
  HttpResponse response;
  Status s = harness->transport().Send(request, &response);
  CHECK_TRUE(s.ok());
  LONGS_EQUAL(302, response.status);
  const std::string location = response.Header("location");
  const std::string prefix = std::string(kRedirect) + "?";
  CHECK_TRUE(location.compare(0, prefix.size(), prefix) == 0);
  httplib::Params query;
  httplib::detail::parse_query_text(location.substr(prefix.size()), query);
  return query;
}

// What the browser brings back to the callback: the redirect's query.
inline httplib::Params Authorize(ZoomHarness* harness, const Pkce& pkce,
                                 const std::string& state) {
  return FollowAuthorize(
      harness, AuthorizeUrl(harness->oauth_url(), FakeOAuthApp().client_id,
                            kRedirect, state, pkce.challenge));
}

// The code the fake gave for `pkce` (`user_id` signs in).
inline std::string AuthorizedCode(ZoomHarness* harness, const Pkce& pkce,
                                  const std::string& user_id) {
  harness->zoom().SetAuthorizingUser(user_id);
  httplib::Params query = Authorize(harness, pkce, "state-1");
  STRCMP_EQUAL("state-1", query.find("state")->second.c_str());
  return query.find("code")->second;
}

inline OAuthEndpoint Endpoint(ZoomHarness* harness, const Clock* clock) {
  return OAuthEndpoint{harness->oauth_url(), &harness->transport(), clock};
}

// Base of the user OAuth test groups (TEST_GROUP_BASE): a store on a fresh
// file and the fake Zoom behind a harness.
class UserOAuthFixture : public Utest {
 public:
  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random).ok());
    CHECK_TRUE(OpenStore(&store).ok());
    harness = std::make_unique<ZoomHarness>(&clock, store.get(), random.get());
  }

  // Another handle of the same database (another process's).
  Status OpenStore(std::unique_ptr<Store>* out) {
    Store::Options options;
    options.path = dir.File("bridge.db");
    options.clock = &clock;
    return Store::Open(options, out);
  }

  TempDir dir;
  FakeClock clock;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<Store> store;
  std::unique_ptr<ZoomHarness> harness;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_USER_OAUTH_STEPS_H_
