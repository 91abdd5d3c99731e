// Base of the connect-flow test groups (zoom/oauth_connect_test.cc,
// web/oauth_pages_test.cc): the OAuth app stored, doctor d1 (auth oauth,
// zoom_user doctor@clinic.example), Zoom users u1 (that e-mail) and u2
// (another), a UserTokenSource and the steps' deps on the public URL
// https://bridge.local:8443. Header-only; used only by *_test.cc.
#ifndef TELEMED_TESTS_SUPPORT_OAUTH_CONNECT_STEPS_H_
#define TELEMED_TESTS_SUPPORT_OAUTH_CONNECT_STEPS_H_

#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "model/records.h"
#include "store/store.h"
#include "support/user_oauth_steps.h"
#include "zoom/oauth_connect.h"
#include "zoom/user_token_source.h"

namespace telemed {
namespace test {

constexpr char kPublicUrl[] = "https://bridge.local:8443";

class OAuthConnectFixture : public UserOAuthFixture {
 public:
  void setup() override {
    UserOAuthFixture::setup();
    CHECK_TRUE(SaveOAuthApp(store.get(), harness->box(), FakeOAuthApp()).ok());
    PutDoctor("d1", AuthMode::kOauth, "Doctor@Clinic.example");
    harness->zoom().AddUser("u1", "doctor@clinic.example");
    harness->zoom().AddUser("u2", "other@clinic.example");
    UserTokenSource::Options options;
    options.oauth_base_url = harness->oauth_url();
    options.transport = &harness->transport();
    options.grants = store.get();
    options.settings = store.get();
    options.box = &harness->box();
    options.clock = &clock;
    options.random = random.get();
    source = std::make_unique<UserTokenSource>(options);
    deps.records = store.get();
    deps.grants = store.get();
    deps.settings = store.get();
    deps.box = &harness->box();
    deps.random = random.get();
    deps.public_url = kPublicUrl;
    deps.oauth = Endpoint(harness.get(), &clock);
    deps.api_base_url = harness->api_url();
    deps.user_tokens = source.get();
    deps.revokes = store.get();
  }

  void PutDoctor(const std::string& id, AuthMode auth,
                 const std::string& zoom_user) {
    Doctor doctor;
    doctor.id = id;
    doctor.name = "Dr " + id;
    doctor.auth = auth;
    doctor.zoom_user = zoom_user;
    WriteOutcome outcome;
    CHECK_TRUE(store->PutDoctor(doctor, &outcome).ok());
  }

  // Whether doctor d1 has a grant (*out when given).
  bool HasGrant(DoctorGrant* out = nullptr) {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(store->GetGrant("d1", out ? out : &grant, &found).ok());
    return found;
  }

  // The browser at Zoom's authorize URL, `user_id` signing in ("" declines):
  // the query Zoom redirects back to the callback with.
  httplib::Params AtZoomQuery(const std::string& authorize_url,
                              const std::string& user_id) {
    harness->zoom().SetAuthorizingUser(user_id);
    return FollowAuthorize(harness.get(), authorize_url);
  }

  std::unique_ptr<UserTokenSource> source;
  OAuthConnectDeps deps;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_OAUTH_CONNECT_STEPS_H_
