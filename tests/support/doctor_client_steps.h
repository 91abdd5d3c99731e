// Steps for tests of code that acts for OAuth doctors over the fake Zoom: a
// ZoomClient with the grants role on a ZoomBed (as the daemon's), the
// clinic's OAuth app stored, and a doctor connected as the callback would
// connect it. Header-only; used only by *_test.cc.
#ifndef TELEMED_TESTS_SUPPORT_DOCTOR_CLIENT_STEPS_H_
#define TELEMED_TESTS_SUPPORT_DOCTOR_CLIENT_STEPS_H_

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "support/user_oauth_steps.h"
#include "support/zoom_bed.h"
#include "zoom/zoom_client.h"

namespace telemed {
namespace test {

// Stores the fake's OAuth app and opens a client that acts for doctors.
inline std::unique_ptr<ZoomClient> OpenDoctorsClient(ZoomBed* bed) {
  ZoomHarness* harness = bed->harness.get();
  CHECK_TRUE(
      SaveOAuthApp(bed->store.get(), harness->box(), FakeOAuthApp()).ok());
  ZoomClient::Options client;
  client.oauth_url = harness->oauth_url();
  client.api_url = harness->api_url();
  client.transport = &harness->transport();
  client.store = bed->store.get();
  client.grants = bed->store.get();
  client.box = &harness->box();
  client.clock = &bed->clock;
  client.random = bed->random.get();
  std::unique_ptr<ZoomClient> out;
  CHECK_TRUE(ZoomClient::Open(client, &out).ok());
  return out;
}

// Zoom user `user_id` (an AddUser id with e-mail `email`) connects doctor
// `doctor_id`: code, exchange and the grant stored through `client`.
inline void ConnectDoctor(ZoomBed* bed, ZoomClient* client,
                          const std::string& doctor_id,
                          const std::string& user_id,
                          const std::string& email) {
  Pkce pkce;
  CHECK_TRUE(NewPkce(bed->random.get(), &pkce).ok());
  const std::string code = AuthorizedCode(bed->harness.get(), pkce, user_id);
  UserTokens tokens;
  ZoomFailure failure = ZoomFailure::kNone;
  CHECK_TRUE(ExchangeCode(Endpoint(bed->harness.get(), &bed->clock),
                          FakeOAuthApp(), code, pkce.verifier, kRedirect,
                          &tokens, &failure)
                 .ok());
  ZoomUser user;
  user.id = user_id;
  user.email = email;
  int64_t generation = 0;
  CHECK_TRUE(client->user_tokens()
                 ->StoreNewGrant(doctor_id, tokens, user, &generation)
                 .ok());
}

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_DOCTOR_CLIENT_STEPS_H_
