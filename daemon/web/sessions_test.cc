#include "web/sessions.h"

#include <string>

#include "store/testutil.h"

namespace telemed {
namespace web {

TEST_GROUP_BASE(Sessions, test::StoreFixture) {
  test::CountingRandom random;
  std::unique_ptr<Sessions> sessions;
  void setup() override {
    test::StoreFixture::setup();
    sessions = std::make_unique<Sessions>(store.get(), &clock, &random);
  }
  void teardown() override {
    sessions.reset();
    test::StoreFixture::teardown();
  }
  Sessions::Started Start() {
    Sessions::Started started;
    CHECK_OK(sessions->Start("192.0.2.5", &started));
    return started;
  }
  std::string CheckReason(const std::string& cookie_id) {
    AdminSession session;
    return sessions->Check(cookie_id, &session).reason();
  }
};

TEST(Sessions, StartedSessionChecksWithItsCsrfTokenAndStoresOnlyAHash) {
  Sessions::Started started = Start();
  LONGS_EQUAL(43, started.cookie_id.size());  // 256 bits, base64url
  LONGS_EQUAL(43, started.csrf_token.size());
  CHECK(started.cookie_id != started.csrf_token);
  AdminSession session;
  CHECK_OK(sessions->Check(started.cookie_id, &session));
  STRCMP_EQUAL(started.csrf_token.c_str(), session.csrf_token.c_str());
  STRCMP_EQUAL("192.0.2.5", session.address.c_str());
  bool found = false;
  CHECK_OK(store->GetSession(started.cookie_id, &session, &found));
  CHECK_FALSE(found);
  CHECK_OK(store->GetSession(started.id_sha256, &session, &found));
  CHECK_TRUE(found);
}

TEST(Sessions, NoCookieIsRequiredAndAnUnknownOneExpired) {
  STRCMP_EQUAL("session_required", CheckReason("").c_str());
  STRCMP_EQUAL("session_expired", CheckReason("made-up").c_str());
}

TEST(Sessions, EndsAfterThirtyIdleMinutes) {
  Sessions::Started started = Start();
  clock.AdvanceSeconds(Sessions::kIdleSeconds - 1);
  STRCMP_EQUAL("", CheckReason(started.cookie_id).c_str());
  // That use counted: another 29 minutes are fine.
  clock.AdvanceSeconds(Sessions::kIdleSeconds - 1);
  STRCMP_EQUAL("", CheckReason(started.cookie_id).c_str());
  clock.AdvanceSeconds(Sessions::kIdleSeconds);
  STRCMP_EQUAL("session_expired", CheckReason(started.cookie_id).c_str());
  // And it stays ended.
  clock.SetMicros(clock.NowMicros() - Sessions::kIdleSeconds * 1000000);
  STRCMP_EQUAL("session_expired", CheckReason(started.cookie_id).c_str());
}

TEST(Sessions, EndsTwelveHoursAfterSignInHoweverBusy) {
  Sessions::Started started = Start();
  for (int64_t t = 0; t + 600 < Sessions::kAbsoluteSeconds; t += 600) {
    clock.AdvanceSeconds(600);
    STRCMP_EQUAL("", CheckReason(started.cookie_id).c_str());
  }
  clock.AdvanceSeconds(600);
  STRCMP_EQUAL("session_expired", CheckReason(started.cookie_id).c_str());
}

TEST(Sessions, CookieHasTheHostPrefixAndItsAttributes) {
  STRCMP_EQUAL(
      "__Host-tb_session=abc; Secure; HttpOnly; SameSite=Strict; "
      "Path=/",
      Sessions::SetCookie("abc").c_str());
  STRCMP_CONTAINS("Max-Age=0", Sessions::ClearCookie().c_str());
  STRCMP_EQUAL("v1", Sessions::CookieId("__Host-tb_session=v1").c_str());
  STRCMP_EQUAL("v2",
               Sessions::CookieId("a=b;  __Host-tb_session=v2 ; c=d").c_str());
  STRCMP_EQUAL("", Sessions::CookieId("tb_session=v3").c_str());
  STRCMP_EQUAL("", Sessions::CookieId("").c_str());
}

}  // namespace web
}  // namespace telemed
