#include "web/zoom_routes.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/log.h"
#include "secrets/secret_box.h"
#include "support/doctor_client_steps.h"
#include "support/zoom_bed.h"
#include "web/fake_admin_router.h"
#include "web/screen_test_support.h"
#include "web/zoom_user_cache.h"
#include "zoom/s2s_app.h"
#include "zoom/user_oauth.h"

namespace telemed {
namespace web {

namespace {

// The fake Zoom's app secret (tests/support/fake_zoom.h).
const std::string& Secret() { return test::GeneratedS2sClientSecret(); }

std::string Body(const char* account, const char* client,
                 const std::string& secret) {
  return std::string("{\"account_id\":\"") + account + "\",\"client_id\":\"" +
         client + "\",\"client_secret\":\"" + secret + "\"}";
}

}  // namespace

TEST_GROUP(AdminZoomRoutes) {
  std::unique_ptr<test::ZoomBed> bed;
  std::unique_ptr<ZoomUserCache> users;
  RecordingAudit audit;
  NullLogger logger;
  FakeAdminRouter router;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>(int64_t{1780000000} * 1000000);
    bed->PutDoctor("dr-known", "doctor@clinic.example");
    test::ZoomHarness& harness = *bed->harness;
    ZoomUserCache::Options cache;
    cache.settings = bed->store.get();
    cache.tokens = &harness.tokens();
    cache.api = &harness.api();
    cache.clock = &bed->clock;
    cache.logger = &logger;
    users = std::make_unique<ZoomUserCache>(cache);
    AddZoomRoutes(Deps(), &router);
  }

  ZoomRoutesDeps Deps() {
    test::ZoomHarness& harness = *bed->harness;
    ZoomRoutesDeps deps;
    deps.store = bed->store.get();
    deps.box = &harness.box();
    deps.transport = &harness.transport();
    deps.oauth_url = harness.oauth_url();
    deps.tokens = &harness.tokens();
    deps.api = &harness.api();
    deps.users = users.get();
    deps.clock = &bed->clock;
    deps.audit = &audit;
    deps.logger = &logger;
    deps.public_url = "https://bridge.local:8443";
    return deps;
  }

  test::FakeZoom& zoom() { return bed->harness->zoom(); }

  // Nothing of the app's secret or of a token issued for it (looked at
  // only when one was: Current() would ask for one).
  void CheckNoSecret(const httplib::Response& res) {
    CHECK(res.body.find(Secret()) == std::string::npos);
    S2sToken token;
    if (zoom().CountRequests("POST", "/oauth/token") > 0 &&
        bed->harness->tokens().Current(&token).ok()) {
      CHECK(res.body.find(token.access_token) == std::string::npos);
    }
  }

  // The app's ids as stored now ("" when none).
  std::string StoredClientId() {
    S2sCredentials ids;
    bool configured = false;
    CHECK_TRUE(LoadS2sAppIds(bed->store.get(), &ids, &configured).ok());
    return ids.client_id;
  }

  void CheckRefused(const std::string& body, int status, const char* code,
                    const char* field) {
    httplib::Response res = router.Call("PUT", "/admin/api/zoom/s2s", body);
    LONGS_EQUAL_TEXT(status, res.status, body.c_str());
    STRCMP_EQUAL(code, ErrorCode(res).c_str());
    STRCMP_EQUAL(field, ErrorField(res).c_str());
    CheckNoSecret(res);
  }
};

TEST(AdminZoomRoutes, ShowsTheStoredAppButNeverItsSecret) {
  httplib::Response res = router.Call("GET", "/admin/api/zoom");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(
      R"({"s2s":{"configured":true,"account_id":"fake-account-id","client_id":"fake-client-id"},"oauth":{"configured":false,"client_id":"","redirect_url":"https://bridge.local:8443/oauth/callback","connected_doctors":[]},"last_test":null})",
      res.body.c_str());
}

TEST(AdminZoomRoutes, SavesAnAppZoomAcceptsAndRecordsIt) {
  CHECK_TRUE(ForgetS2sApp(bed->store.get()).ok());
  std::string version_before;
  CHECK_TRUE(ReadZoomConfigVersion(bed->store.get(), &version_before).ok());
  // Spaces pasted along are not part of the secret.
  httplib::Response res = router.Call("PUT", "/admin/api/zoom/s2s",
                                      Body("fake-account-id", "fake-client-id",
                                           std::string(" ") + Secret() + " "));
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(R"("configured":true)", res.body.c_str());
  LONGS_EQUAL(1, zoom().CountRequests("POST", "/oauth/token"));
  CheckNoSecret(res);
  S2sCredentials stored;
  bool configured = false;
  CHECK_TRUE(LoadS2sCredentials(bed->store.get(), bed->harness->box(), &stored,
                                &configured)
                 .ok());
  STRCMP_EQUAL(Secret().c_str(), stored.client_secret.c_str());
  std::string version_after;
  CHECK_TRUE(ReadZoomConfigVersion(bed->store.get(), &version_after).ok());
  CHECK(version_after != version_before);
  LONGS_EQUAL(1, audit.entries().size());
  STRCMP_EQUAL("zoom_app_saved", audit.entries()[0].action.c_str());
  STRCMP_EQUAL("192.0.2.10", audit.entries()[0].address.c_str());
  STRCMP_CONTAINS("fake-client-id", audit.entries()[0].detail.c_str());
  CHECK(audit.entries()[0].detail.find(Secret()) == std::string::npos);
}

TEST(AdminZoomRoutes, StoresNothingWhenZoomRefusesTheCredentials) {
  const std::string wrong = "wrong-secret-0123456789";
  httplib::Response res =
      router.Call("PUT", "/admin/api/zoom/s2s",
                  Body("fake-account-id", "another-client-id", wrong));
  LONGS_EQUAL(422, res.status);
  STRCMP_EQUAL("zoom_credentials_refused", ErrorCode(res).c_str());
  STRCMP_EQUAL("client_secret", ErrorField(res).c_str());
  CHECK(res.body.find(wrong) == std::string::npos);
  STRCMP_EQUAL("fake-client-id", StoredClientId().c_str());
  LONGS_EQUAL(0, audit.entries().size());
}

TEST(AdminZoomRoutes, StoresNothingWhenZoomCannotBeReached) {
  zoom().InjectFault(test::MakeFault("POST", "/oauth/token",
                                     test::FaultKind::kDropBeforeWork, 3));
  httplib::Response res =
      router.Call("PUT", "/admin/api/zoom/s2s",
                  Body("fake-account-id", "new-client-id", Secret()));
  LONGS_EQUAL(503, res.status);
  STRCMP_EQUAL("zoom_unavailable", ErrorCode(res).c_str());
  CheckNoSecret(res);
  STRCMP_EQUAL("fake-client-id", StoredClientId().c_str());
  LONGS_EQUAL(0, audit.entries().size());
}

TEST(AdminZoomRoutes, ADaemonWithAnotherSecretKeyStoresNothing) {
  S2sTokenSource::Options options =
      bed->harness->TokenOptions(bed->store.get());
  options.refused = Status::Conflict("secret_key_mismatch",
                                     "the secret key is not the database's");
  S2sTokenSource refused(options);
  FakeAdminRouter other;
  ZoomRoutesDeps deps = Deps();
  deps.tokens = &refused;
  AddZoomRoutes(deps, &other);
  httplib::Response res =
      other.Call("PUT", "/admin/api/zoom/s2s",
                 Body("fake-account-id", "new-client-id", Secret()));
  LONGS_EQUAL(409, res.status);
  STRCMP_EQUAL("secret_key_mismatch", ErrorCode(res).c_str());
  STRCMP_EQUAL("fake-client-id", StoredClientId().c_str());
  LONGS_EQUAL(0, zoom().CountRequests("POST", "/oauth/token"));
}

TEST(AdminZoomRoutes, RefusesMalformedInputBeforeAskingZoom) {
  CheckRefused("{not json", 400, "invalid_json", "");
  CheckRefused("[]", 400, "invalid_json", "");
  CheckRefused(R"({"account_id":1,"client_id":"c","client_secret":"s"})", 400,
               "invalid_type", "account_id");
  CheckRefused(R"({"account_id":"a","client_id":"c"})", 422, "missing_field",
               "client_secret");
  CheckRefused(Body("a", "", "s"), 422, "missing_field", "client_id");
  CheckRefused(Body("with space", "c", "s"), 422, "invalid_value",
               "account_id");
  CheckRefused(Body("a", std::string(257, 'c').c_str(), "s"), 422,
               "invalid_value", "client_id");
  CheckRefused(Body("a", "c", std::string(5000, 's')), 422, "invalid_value",
               "client_secret");
  CheckRefused(Body("a", "c", "two words"), 422, "invalid_value",
               "client_secret");
  CheckRefused(Body("a", "c", "tab\\there"), 400, "invalid_string",
               "client_secret");
  LONGS_EQUAL(0, zoom().CountRequests("POST", "/oauth/token"));
  STRCMP_EQUAL("fake-client-id", StoredClientId().c_str());
}

// The OAuth app doctors connect to: stored sealed without asking Zoom
// (a user app can only be tried by a doctor signing in), never shown back.
TEST(AdminZoomRoutes, SavesTheOAuthAppAndShowsItsRedirectUrl) {
  const std::string secret = "oauth-secret-0123456789";
  std::string version_before;
  CHECK_TRUE(ReadZoomConfigVersion(bed->store.get(), &version_before).ok());
  httplib::Response res = router.Call(
      "PUT", "/admin/api/zoom/oauth-app",
      R"({"client_id":"oauth-client","client_secret":" )" + secret + R"( "})");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(
      R"("oauth":{"configured":true,"client_id":"oauth-client","redirect_url":"https://bridge.local:8443/oauth/callback","connected_doctors":[]})",
      res.body.c_str());
  CHECK(res.body.find(secret) == std::string::npos);
  LONGS_EQUAL(0, zoom().CountRequests("", "/oauth/"));
  OAuthApp stored;
  bool configured = false;
  CHECK_TRUE(
      LoadOAuthApp(bed->store.get(), bed->harness->box(), &stored, &configured)
          .ok());
  CHECK_TRUE(configured);
  STRCMP_EQUAL(secret.c_str(), stored.client_secret.c_str());
  std::string version_after;
  CHECK_TRUE(ReadZoomConfigVersion(bed->store.get(), &version_after).ok());
  CHECK(version_after != version_before);
  LONGS_EQUAL(1, audit.entries().size());
  STRCMP_EQUAL("oauth_app_saved", audit.entries()[0].action.c_str());
  STRCMP_EQUAL("client oauth-client", audit.entries()[0].detail.c_str());
  // The S2S app is left as it was.
  STRCMP_EQUAL("fake-client-id", StoredClientId().c_str());
}

// A redirect URL stored with `zoom oauth-app --redirect-url` is what the
// admin entered at Zoom: saving on the page keeps it, and shows it.
TEST(AdminZoomRoutes, SavingTheOAuthAppKeepsARedirectUrlTheCliStored) {
  CHECK_TRUE(SaveOAuthApp(bed->store.get(), bed->harness->box(),
                          {"old-client", "old-secret",
                           "https://bridge.clinic.example/oauth/callback"})
                 .ok());
  httplib::Response res =
      router.Call("PUT", "/admin/api/zoom/oauth-app",
                  R"({"client_id":"new-client","client_secret":"s3cret"})");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(
      R"("client_id":"new-client","redirect_url":"https://bridge.clinic.example/oauth/callback")",
      res.body.c_str());
}

TEST(AdminZoomRoutes, RefusesAMalformedOAuthAppAndStoresNothing) {
  const char* const kPath = "/admin/api/zoom/oauth-app";
  httplib::Response res = router.Call("PUT", kPath, "{not json");
  LONGS_EQUAL(400, res.status);
  res = router.Call("PUT", kPath, R"({"client_id":"c"})");
  LONGS_EQUAL(422, res.status);
  STRCMP_EQUAL("client_secret", ErrorField(res).c_str());
  res = router.Call("PUT", kPath,
                    R"({"client_id":"with space","client_secret":"s"})");
  STRCMP_EQUAL("client_id", ErrorField(res).c_str());
  res = router.Call("PUT", kPath,
                    R"({"client_id":"c","client_secret":"two words"})");
  LONGS_EQUAL(422, res.status);
  STRCMP_EQUAL("client_secret", ErrorField(res).c_str());
  OAuthApp stored;
  bool configured = true;
  CHECK_TRUE(LoadOAuthAppIds(bed->store.get(), &stored, &configured).ok());
  CHECK_FALSE(configured);
  LONGS_EQUAL(0, audit.entries().size());
}

TEST(AdminZoomRoutes, ForgetsTheAppAndRecordsIt) {
  httplib::Response res = router.Call("DELETE", "/admin/api/zoom/s2s");
  LONGS_EQUAL(204, res.status);
  STRCMP_EQUAL("", StoredClientId().c_str());
  res = router.Call("GET", "/admin/api/zoom");
  STRCMP_CONTAINS(R"("configured":false)", res.body.c_str());
  LONGS_EQUAL(1, audit.entries().size());
  STRCMP_EQUAL("zoom_app_forgotten", audit.entries()[0].action.c_str());
}

// As `zoom oauth-app --forget`: refused while doctors are connected (the
// page shows who beforehand), unless they are disconnected with it.
TEST(AdminZoomRoutes, ForgetsTheOAuthAppDisconnectingDoctorsOnlyWhenAsked) {
  const char* const kPath = "/admin/api/zoom/oauth-app";
  std::unique_ptr<ZoomClient> doctors = test::OpenDoctorsClient(bed.get());
  zoom().AddUser("u2", "two@clinic.example");
  bed->PutDoctor("dr-two", "two@clinic.example", AuthMode::kOauth);
  test::ConnectDoctor(bed.get(), doctors.get(), "dr-two", "u2",
                      "two@clinic.example");
  httplib::Response res = router.Call("GET", "/admin/api/zoom");
  STRCMP_CONTAINS(R"("connected_doctors":["dr-two"])", res.body.c_str());
  res = router.Call("DELETE", kPath);
  LONGS_EQUAL(409, res.status);
  STRCMP_EQUAL("oauth_doctors_connected", ErrorCode(res).c_str());
  STRCMP_CONTAINS("dr-two", res.body.c_str());
  res = router.Call("DELETE", std::string(kPath) + "?disconnect_doctors=yes");
  LONGS_EQUAL(422, res.status);
  STRCMP_EQUAL("disconnect_doctors", ErrorField(res).c_str());
  LONGS_EQUAL(0, audit.entries().size());
  OAuthApp app;
  bool configured = false;
  CHECK_TRUE(LoadOAuthAppIds(bed->store.get(), &app, &configured).ok());
  CHECK_TRUE(configured);

  res = router.Call("DELETE", std::string(kPath) + "?disconnect_doctors=true");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(R"({"disconnected":["dr-two"]})", res.body.c_str());
  CHECK_TRUE(LoadOAuthAppIds(bed->store.get(), &app, &configured).ok());
  CHECK_FALSE(configured);
  DoctorGrant grant;
  bool found = true;
  CHECK_TRUE(bed->store->GetGrant("dr-two", &grant, &found).ok());
  CHECK_FALSE(found);
  LONGS_EQUAL(1, audit.entries().size());
  STRCMP_EQUAL("oauth_app_forgotten", audit.entries()[0].action.c_str());
  STRCMP_EQUAL("disconnected dr-two", audit.entries()[0].detail.c_str());
  res = router.Call("GET", "/admin/api/zoom");
  STRCMP_CONTAINS(R"("oauth":{"configured":false,)", res.body.c_str());
  STRCMP_CONTAINS(R"("connected_doctors":[])", res.body.c_str());
  // Nobody connected: forgetting needs no flag.
  CHECK_TRUE(
      SaveOAuthApp(bed->store.get(), bed->harness->box(), {"c", "s", ""}).ok());
  res = router.Call("DELETE", kPath);
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(R"({"disconnected":[]})", res.body.c_str());
}

// The last test shown is judged against the doctors as they are now: an
// S2S doctor registered since makes the missing app a failure.
TEST(AdminZoomRoutes, TheLastTestOfAClinicOfOAuthDoctorsOnlyFollowsTheDoctors) {
  CHECK_TRUE(ForgetS2sApp(bed->store.get()).ok());
  Doctor removed;
  CHECK_TRUE(bed->store->RemoveDoctor("dr-known", &removed, nullptr).ok());
  bed->PutDoctor("dr-own", "", AuthMode::kOauth);
  httplib::Response res = router.Call("POST", "/admin/api/zoom/test");
  STRCMP_CONTAINS(R"("ok":true,"configured":false,"s2s_app_needed":false)",
                  res.body.c_str());
  bed->PutDoctor("dr-s2s", "doctor@clinic.example");
  res = router.Call("GET", "/admin/api/zoom");
  STRCMP_CONTAINS(
      R"("last_test":{"checked_at":"2026-05-28T20:26:40Z","ok":false,"configured":false,"s2s_app_needed":true)",
      res.body.c_str());
}

TEST(AdminZoomRoutes, TestRunsTheZoomCheckAndKeepsItsVerdict) {
  httplib::Response res = router.Call("POST", "/admin/api/zoom/test");
  LONGS_EQUAL(200, res.status);
  CheckNoSecret(res);
  CjsonPtr root = BodyJson(res);
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root.get(), "ok")));
  STRCMP_CONTAINS(R"("subject":"doctor dr-known","ok":true)", res.body.c_str());
  STRCMP_CONTAINS("2026-05-28T", res.body.c_str());
  res = router.Call("GET", "/admin/api/zoom");
  STRCMP_CONTAINS(R"("last_test":{"checked_at")", res.body.c_str());
}

TEST(AdminZoomRoutes, TestSaysWhatIsWrongAndWhatToDo) {
  zoom().SetGrantedScopes({"meeting:write:meeting:admin"});
  bed->PutDoctor("dr-gone", "nobody@clinic.example");
  httplib::Response res = router.Call("POST", "/admin/api/zoom/test");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(R"("ok":false)", res.body.c_str());
  STRCMP_CONTAINS("user:read:user:admin", res.body.c_str());
  STRCMP_CONTAINS("Scopes page", res.body.c_str());
  CheckNoSecret(res);
}

TEST(AdminZoomRoutes, TestTriesTheOAuthDoctorsConnectionsButStoresNot) {
  std::unique_ptr<ZoomClient> doctors = test::OpenDoctorsClient(bed.get());
  zoom().AddUser("u2", "two@clinic.example");
  bed->PutDoctor("dr-two", "two@clinic.example", AuthMode::kOauth);
  bed->PutDoctor("dr-new", "new@clinic.example", AuthMode::kOauth);
  test::ConnectDoctor(bed.get(), doctors.get(), "dr-two", "u2",
                      "two@clinic.example");
  ZoomRoutesDeps deps = Deps();
  deps.doctors = doctors.get();
  FakeAdminRouter with_doctors;
  AddZoomRoutes(deps, &with_doctors);
  httplib::Response res = with_doctors.Call("POST", "/admin/api/zoom/test");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(
      R"x("subject":"doctor dr-two (Zoom user two@clinic.example)","ok":true)x",
      res.body.c_str());
  STRCMP_CONTAINS(R"("subject":"doctor dr-new","ok":false)", res.body.c_str());
  CjsonPtr root = BodyJson(res);
  CHECK_FALSE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root.get(), "ok")));
  // The stored verdict is the app's: a doctor yet to connect does not make
  // the app's check fail.
  ZoomCheckResult stored;
  bool found = false;
  CHECK_TRUE(LoadZoomCheck(bed->store.get(), &stored, &found).ok());
  CHECK_TRUE(stored.ok);
}

TEST(AdminZoomRoutes, TestOfAnUnreachableZoomIsAVerdictNotAnError) {
  zoom().InjectFault(test::MakeFault("POST", "/oauth/token",
                                     test::FaultKind::kDropBeforeWork, 3));
  httplib::Response res = router.Call("POST", "/admin/api/zoom/test");
  LONGS_EQUAL(200, res.status);
  STRCMP_CONTAINS(R"("subject":"credentials","ok":false)", res.body.c_str());
  STRCMP_CONTAINS("could not be used", res.body.c_str());
}

TEST(AdminZoomRoutes, ListsTheAccountsUsersAndKeepsThemAMinute) {
  zoom().AddUser("u2", "lee@clinic.example");
  httplib::Response res = router.Call("GET", "/admin/api/zoom/users");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(
      R"({"available":true,"users":[{"id":"u1","email":"doctor@clinic.example","name":"Fake u1"},{"id":"u2","email":"lee@clinic.example","name":"Fake u2"}]})",
      res.body.c_str());
  CheckNoSecret(res);
  router.Call("GET", "/admin/api/zoom/users");
  LONGS_EQUAL(1, zoom().CountRequests("GET", "/v2/users"));
  bed->clock.AdvanceSeconds(60);
  router.Call("GET", "/admin/api/zoom/users");
  LONGS_EQUAL(2, zoom().CountRequests("GET", "/v2/users"));
}

TEST(AdminZoomRoutes, UsersAreNotAvailableWithoutTheScope) {
  std::vector<std::string> scopes = test::AllS2sScopes();
  scopes.pop_back();  // user:read:list_users:admin
  zoom().SetGrantedScopes(scopes);
  httplib::Response res = router.Call("GET", "/admin/api/zoom/users");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(R"({"available":false,"users":[]})", res.body.c_str());
  LONGS_EQUAL(0, zoom().CountRequests("GET", "/v2/users"));
}

TEST(AdminZoomRoutes, UsersAreNotAvailableWhileZoomDoesNotAnswer) {
  zoom().InjectFault(
      test::MakeFault("GET", "/v2/users", test::FaultKind::kServerError, 5));
  httplib::Response res = router.Call("GET", "/admin/api/zoom/users");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(R"({"available":false,"users":[]})", res.body.c_str());
}

TEST(AdminZoomRoutes, UsersAreNotAvailableWithoutAnAppAndComeWithIt) {
  LONGS_EQUAL(200, router.Call("GET", "/admin/api/zoom/users").status);
  CHECK_TRUE(ForgetS2sApp(bed->store.get()).ok());
  httplib::Response res = router.Call("GET", "/admin/api/zoom/users");
  STRCMP_EQUAL(R"({"available":false,"users":[]})", res.body.c_str());
  // A saved app is asked again at once, not a minute later.
  router.Call("PUT", "/admin/api/zoom/s2s",
              Body("fake-account-id", "fake-client-id", Secret()));
  res = router.Call("GET", "/admin/api/zoom/users");
  STRCMP_CONTAINS(R"("available":true)", res.body.c_str());
}

}  // namespace web
}  // namespace telemed
