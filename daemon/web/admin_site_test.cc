// The admin site through its real router: each session endpoint and the
// refusals of docs/admin-api.md, with real httplib requests.
#include "web/admin_site.h"

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/cjson.h"
#include "base/log.h"
#include "secrets/setup_code.h"
#include "store/testutil.h"

namespace telemed {
namespace web {

namespace {

constexpr char kCode[] = "ABCD-EFGH-JKMN-PQRS";
constexpr char kPassword[] = "correct horse battery";
constexpr char kHost[] = "bridge.local:8443";

// The value the answer's Set-Cookie gives the session cookie.
std::string CookieFrom(const httplib::Response& res) {
  std::string header = res.get_header_value("Set-Cookie");
  size_t eq = header.find('=');
  return header.substr(eq + 1, header.find(';') - eq - 1);
}

std::string JsonText(const httplib::Response& res, const char* name) {
  CjsonPtr root(cJSON_Parse(res.body.c_str()));
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root.get(), name);
  return cJSON_IsString(item) ? item->valuestring : "";
}

std::string ErrorPart(const httplib::Response& res, const char* name) {
  CjsonPtr root(cJSON_Parse(res.body.c_str()));
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(error, name);
  return cJSON_IsString(item) ? item->valuestring : "";
}

}  // namespace

TEST_GROUP_BASE(AdminSite, test::StoreFixture) {
  test::CountingRandom random;
  CapturingLogger logger;
  bool imported = false;
  std::unique_ptr<AdminSite> site;
  // The signed-in browser's cookie and token.
  std::string cookie;
  std::string csrf;

  void setup() override {
    test::StoreFixture::setup();
    AdminSiteOptions options;
    options.access.accounts = store.get();
    options.access.clock = &clock;
    options.access.random = &random;
    options.access.logger = &logger;
    options.access.hash_iterations = 10;
    options.serve_asset = [](const httplib::Request&, httplib::Response* res) {
      res->set_content("<!doctype html>", "text/html");
    };
    options.certificate_imported = [this] { return imported; };
    site = std::make_unique<AdminSite>(options);
  }
  void teardown() override {
    site.reset();
    test::StoreFixture::teardown();
  }

  // A request as the page sends it: Host, Origin, and the session's cookie
  // and CSRF token when signed in; `extra` adds or replaces headers ("" as
  // a value drops one).
  httplib::Response Send(const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::map<std::string, std::string>& extra = {},
                         const std::string& address = "192.0.2.10") {
    httplib::Request req;
    req.method = method;
    req.target = target;
    const size_t query = target.find('?');
    req.path = target.substr(0, query);
    if (query != std::string::npos) {
      httplib::detail::parse_query_text(target.substr(query + 1), req.params);
    }
    req.body = body;
    req.remote_addr = address;
    std::map<std::string, std::string> headers = {
        {"Host", kHost}, {"Origin", std::string("https://") + kHost}};
    if (!cookie.empty()) headers["Cookie"] = "__Host-tb_session=" + cookie;
    if (!csrf.empty()) headers["X-CSRF-Token"] = csrf;
    for (const auto& [name, value] : extra) headers[name] = value;
    for (const auto& [name, value] : headers) {
      if (!value.empty()) req.set_header(name, value);
    }
    httplib::Response res;
    site->Serve(req, &res);
    return res;
  }

  httplib::Response SetUp(const std::string& code = kCode,
                          const std::string& password = kPassword) {
    // Once an admin exists no code can be made; the request is still sent.
    Status made = store->PutSetupCode(
        SetupCodeDigest(kCode), clock.NowSeconds() + kSetupCodeLifetimeSeconds);
    CHECK(made.ok() || made.reason() == "already_set_up");
    httplib::Response res =
        Send("POST", "/admin/api/setup",
             "{\"setup_code\":\"" + code + "\",\"password\":\"" + password +
                 "\",\"confirm_password\":\"" + password + "\"}");
    if (res.status == 201) SignedInBy(res);
    return res;
  }
  void SignedInBy(const httplib::Response& res) {
    cookie = CookieFrom(res);
    csrf = JsonText(res, "csrf_token");
  }
  httplib::Response Login(const std::string& password,
                          const std::string& address = "192.0.2.10",
                          const std::string& origin = "") {
    std::map<std::string, std::string> extra;
    if (!origin.empty()) extra["Origin"] = origin;
    return Send("POST", "/admin/api/login",
                "{\"password\":\"" + password + "\"}", extra, address);
  }
  void SignOutLocally() {
    cookie.clear();
    csrf.clear();
  }
  void CheckRefused(const httplib::Response& res, int status, const char* code,
                    const char* field = "") {
    LONGS_EQUAL(status, res.status);
    STRCMP_EQUAL(code, ErrorPart(res, "code").c_str());
    STRCMP_EQUAL(field, ErrorPart(res, "field").c_str());
  }
};

TEST(AdminSite, SessionProbeFollowsSetupAndSignIn) {
  httplib::Response res = Send("GET", "/admin/api/session");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL("setup_needed", JsonText(res, "state").c_str());
  LONGS_EQUAL(201, SetUp().status);
  res = Send("GET", "/admin/api/session");
  STRCMP_EQUAL("signed_in", JsonText(res, "state").c_str());
  STRCMP_EQUAL(csrf.c_str(), JsonText(res, "csrf_token").c_str());
  SignOutLocally();
  res = Send("GET", "/admin/api/session");
  STRCMP_EQUAL("signed_out", JsonText(res, "state").c_str());
  STRCMP_EQUAL("", JsonText(res, "csrf_token").c_str());
}

TEST(AdminSite, SetupMakesTheAdminOnceAndSetsTheSessionCookie) {
  httplib::Response res = SetUp("abcd efgh jkmn pqrs");
  LONGS_EQUAL(201, res.status);
  const std::string set_cookie = res.get_header_value("Set-Cookie");
  STRCMP_CONTAINS("__Host-tb_session=", set_cookie.c_str());
  STRCMP_CONTAINS("; Secure; HttpOnly; SameSite=Strict; Path=/",
                  set_cookie.c_str());
  LONGS_EQUAL(43, cookie.size());
  LONGS_EQUAL(43, csrf.size());
  SignOutLocally();
  CheckRefused(SetUp(), 409, "already_set_up");
  LONGS_EQUAL(200, Login(kPassword).status);
}

TEST(AdminSite, SetupRefusesBadInputNamingTheField) {
  CheckRefused(SetUp("ABCD-EFGH-JKMN-PQRT"), 400, "setup_code_invalid",
               "setup_code");
  CheckRefused(SetUp("not a code"), 400, "setup_code_invalid", "setup_code");
  CheckRefused(SetUp(kCode, "short pass"), 422, "password_too_short",
               "password");
  CheckRefused(
      Send("POST", "/admin/api/setup",
           "{\"setup_code\":\"" + std::string(kCode) + "\",\"password\":\"" +
               kPassword + "\",\"confirm_password\":\"other password!\"}"),
      422, "password_mismatch", "confirm_password");
  CheckRefused(Send("POST", "/admin/api/setup", "{\"setup_code\":"), 400,
               "invalid_json");
  CheckRefused(Send("POST", "/admin/api/setup", "[1]"), 400, "invalid_json");
  CheckRefused(Send("POST", "/admin/api/login",
                    "{\"password\":\"correct horse\\u0000battery\"}"),
               400, "invalid_json");
  CheckRefused(Send("POST", "/admin/api/setup", "{\"setup_code\":5}"), 400,
               "invalid_field", "setup_code");
  CheckRefused(SetUp(std::string(65, 'A')), 422, "field_too_long",
               "setup_code");
  CheckRefused(SetUp(kCode, std::string(5000, 'p')), 422, "field_too_long",
               "password");
  STRCMP_EQUAL("setup_needed",
               JsonText(Send("GET", "/admin/api/session"), "state").c_str());
  CHECK_TRUE(logger.Contains("wrong setup code from 192.0.2.10"));
}

TEST(AdminSite, WrongSetupCodesLockTheAddressOut) {
  for (int i = 0; i < 5; ++i) {
    CheckRefused(SetUp("ABCD-EFGH-JKMN-PQRT"), 400, "setup_code_invalid",
                 "setup_code");
  }
  httplib::Response res = SetUp();
  CheckRefused(res, 429, "too_many_attempts");
  CHECK(!res.get_header_value("Retry-After").empty());
  std::vector<AuditEntry> entries;
  CHECK_OK(store->ListAuditEntries(0, 10, &entries));
  LONGS_EQUAL(5, entries.size());
  STRCMP_EQUAL("sign_in_failed", entries[0].action.c_str());
  clock.AdvanceSeconds(900);
  LONGS_EQUAL(201, SetUp().status);
  CHECK_TRUE(logger.Contains("admin_created from 192.0.2.10"));
}

TEST(AdminSite, HeadIsAnsweredAsGet) {
  LONGS_EQUAL(200, Send("HEAD", "/admin/api/session").status);
}

TEST(AdminSite, SetupAndSignInNeedTheirOwnOrigin) {
  CHECK_OK(
      store->PutSetupCode(SetupCodeDigest(kCode), clock.NowSeconds() + 60));
  const std::string body = "{\"setup_code\":\"" + std::string(kCode) +
                           "\",\"password\":\"" + kPassword +
                           "\",\"confirm_password\":\"" + kPassword + "\"}";
  CheckRefused(Send("POST", "/admin/api/setup", body, {{"Origin", ""}}), 403,
               "origin_invalid");
  CheckRefused(Send("POST", "/admin/api/setup", body,
                    {{"Origin", std::string("http://") + kHost}}),
               403, "origin_invalid");
  CheckRefused(Send("POST", "/admin/api/setup", body,
                    {{"Origin", "https://evil.example"}}),
               403, "origin_invalid");
  CheckRefused(Send("POST", "/admin/api/login", "{\"password\":\"x\"}",
                    {{"Origin", "https://evil.example"}}),
               403, "origin_invalid");
  LONGS_EQUAL(201, Send("POST", "/admin/api/setup", body).status);
}

// The Origin must match Host exactly: another port of the same host is
// another origin (another program on the box).
TEST(AdminSite, AnOriginOnAnotherPortOrSchemeIsRefused) {
  SetUp();
  SignOutLocally();
  const std::string host = kHost;
  const std::string name = host.substr(0, host.rfind(':'));
  for (const std::string& origin :
       {"https://" + name, "https://" + name + ":1", "https://" + host + ".",
        "https://" + host + "/", std::string("null")}) {
    CheckRefused(Login(kPassword, "192.0.2.10", origin), 403, "origin_invalid");
  }
  LONGS_EQUAL(200, Login(kPassword).status);
  // A box reached by its IPv6 address: Host and Origin carry it alike.
  const std::string v6 = "[fd00::7]:8443";
  LONGS_EQUAL(200, Send("POST", "/admin/api/login",
                        "{\"password\":\"" + std::string(kPassword) + "\"}",
                        {{"Host", v6}, {"Origin", "https://" + v6}})
                       .status);
}

// A cookie the browser held before signing in (planted, or left from an
// old session) is never the one signed in: every sign-in makes a new id.
TEST(AdminSite, SignInMakesAFreshSessionIdWhateverCookieCameWithIt) {
  SetUp();
  cookie = "chosen-by-an-attacker";
  csrf.clear();
  SignedInBy(Login(kPassword));
  CHECK_TRUE(cookie != "chosen-by-an-attacker");
  cookie = "chosen-by-an-attacker";
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
}

// The CSRF token is bound to its session: another session's token (the
// same admin's, in another browser) does not do.
TEST(AdminSite, ACsrfTokenWorksOnlyWithItsOwnSession) {
  SetUp();
  const std::string first_csrf = csrf;
  SignOutLocally();
  SignedInBy(Login(kPassword));
  const std::string own_csrf = csrf;
  csrf = first_csrf;
  CheckRefused(Send("POST", "/admin/api/logout"), 403, "csrf_invalid");
  csrf = own_csrf;
  LONGS_EQUAL(204, Send("POST", "/admin/api/logout").status);
}

// The setup code is spent by the first admin made: setups racing with the
// right code make one admin, the others are refused.
TEST(AdminSite, RacingSetupsWithTheRightCodeMakeOneAdmin) {
  CHECK_OK(
      store->PutSetupCode(SetupCodeDigest(kCode), clock.NowSeconds() + 60));
  const std::string body = "{\"setup_code\":\"" + std::string(kCode) +
                           "\",\"password\":\"" + kPassword +
                           "\",\"confirm_password\":\"" + kPassword + "\"}";
  constexpr int kRacers = 4;  // within the hashing queue: none is "busy"
  int statuses[kRacers] = {};
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      statuses[i] = Send("POST", "/admin/api/setup", body, {},
                         "192.0.2." + std::to_string(20 + i))
                        .status;
    });
  }
  for (std::thread& racer : racers) racer.join();
  int made = 0;
  for (int status : statuses) {
    if (status == 201) {
      ++made;
    } else {
      LONGS_EQUAL(409, status);
    }
  }
  LONGS_EQUAL(1, made);
}

TEST(AdminSite, SignInBeforeSetupIsRefused) {
  CheckRefused(Login(kPassword), 409, "setup_needed");
}

TEST(AdminSite, WrongPasswordIsRefusedLoggedAndAuditedWithoutThePassword) {
  SetUp();
  SignOutLocally();
  CheckRefused(Login("wrong password 123"), 401, "password_wrong", "password");
  CHECK_TRUE(logger.Contains("wrong password from 192.0.2.10"));
  CHECK_FALSE(logger.Contains("wrong password 123"));
  std::vector<AuditEntry> entries;
  CHECK_OK(store->ListAuditEntries(0, 10, &entries));
  STRCMP_EQUAL("sign_in_failed", entries[0].action.c_str());
  STRCMP_EQUAL("192.0.2.10", entries[0].address.c_str());
  CHECK(entries[0].detail.find("123") == std::string::npos);
  httplib::Response res = Login(kPassword);
  LONGS_EQUAL(200, res.status);
  CHECK(!JsonText(res, "csrf_token").empty());
  CHECK(!CookieFrom(res).empty());
}

TEST(AdminSite, FiveFailuresLockTheAddressOutWithRetryAfter) {
  SetUp();
  SignOutLocally();
  for (int i = 0; i < 5; ++i) LONGS_EQUAL(401, Login("wrong password!").status);
  httplib::Response res = Login(kPassword);
  CheckRefused(res, 429, "too_many_attempts");
  STRCMP_EQUAL("900", res.get_header_value("Retry-After").c_str());
  CjsonPtr root(cJSON_Parse(res.body.c_str()));
  LONGS_EQUAL(900, cJSON_GetObjectItemCaseSensitive(root.get(), "retry_after_s")
                       ->valuedouble);
  // Another address is not locked out; this one is after the window.
  LONGS_EQUAL(200, Login(kPassword, "192.0.2.11").status);
  clock.AdvanceSeconds(900);
  LONGS_EQUAL(200, Login(kPassword).status);
}

TEST(AdminSite, PasswordCheckIsLimitedLikeSignIn) {
  SetUp();
  int wait = 0;
  CHECK_OK(site->password_check()->Verify(kPassword, "192.0.2.20", &wait));
  for (int i = 0; i < 5; ++i) {
    STRCMP_EQUAL("password_wrong", site->password_check()
                                       ->Verify("nope", "192.0.2.20", &wait)
                                       .reason()
                                       .c_str());
  }
  Status s = site->password_check()->Verify(kPassword, "192.0.2.20", &wait);
  STRCMP_EQUAL("too_many_attempts", s.reason().c_str());
  CHECK(wait > 0);
}

TEST(AdminSite, SessionRoutesNeedALiveSession) {
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_required");
  SetUp();
  const std::string live = cookie;
  cookie = "made-up";
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
  cookie = live;
  LONGS_EQUAL(200, Send("GET", "/admin/api/audit").status);
  clock.AdvanceSeconds(31 * 60);
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
  CheckRefused(Send("POST", "/admin/api/logout"), 401, "session_expired");
}

TEST(AdminSite, StateChangesNeedTheSessionsCsrfToken) {
  SetUp();
  const std::string token = csrf;
  csrf.clear();
  CheckRefused(Send("POST", "/admin/api/logout"), 403, "csrf_invalid");
  csrf = "x" + token.substr(1);
  CheckRefused(Send("POST", "/admin/api/logout-everywhere"), 403,
               "csrf_invalid");
  // A GET needs none.
  LONGS_EQUAL(200, Send("GET", "/admin/api/audit").status);
  csrf = token;
  LONGS_EQUAL(204, Send("POST", "/admin/api/logout").status);
}

TEST(AdminSite, LogoutEndsThisSessionAndClearsTheCookie) {
  SetUp();
  SignOutLocally();
  SignedInBy(Login(kPassword));
  const std::string other_cookie = cookie, other_csrf = csrf;
  SignedInBy(Login(kPassword));
  httplib::Response res = Send("POST", "/admin/api/logout");
  LONGS_EQUAL(204, res.status);
  STRCMP_CONTAINS("Max-Age=0", res.get_header_value("Set-Cookie").c_str());
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
  cookie = other_cookie;
  csrf = other_csrf;
  LONGS_EQUAL(200, Send("GET", "/admin/api/audit").status);
}

TEST(AdminSite, LogoutEverywhereEndsEverySession) {
  SetUp();
  const std::string first = cookie;
  SignedInBy(Login(kPassword));
  LONGS_EQUAL(204, Send("POST", "/admin/api/logout-everywhere").status);
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
  cookie = first;
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
}

TEST(AdminSite, PasswordChangeEndsOtherSessionsAndSignsInAgain) {
  SetUp();
  const std::string first = cookie;
  const std::string body_wrong =
      "{\"current_password\":\"not it at all\",\"new_password\":"
      "\"a brand new password\",\"confirm_password\":\"a brand new password\"}";
  CheckRefused(Send("POST", "/admin/api/password", body_wrong), 401,
               "password_wrong", "current_password");
  CheckRefused(Send("POST", "/admin/api/password",
                    "{\"current_password\":\"" + std::string(kPassword) +
                        "\",\"new_password\":\"short\",\"confirm_password\":"
                        "\"short\"}"),
               422, "password_too_short", "new_password");
  httplib::Response res = Send(
      "POST", "/admin/api/password",
      "{\"current_password\":\"" + std::string(kPassword) +
          "\",\"new_password\":\"a brand new password\",\"confirm_password\":"
          "\"a brand new password\"}");
  LONGS_EQUAL(200, res.status);
  SignedInBy(res);
  CHECK(cookie != first);
  LONGS_EQUAL(200, Send("GET", "/admin/api/audit").status);
  cookie = first;
  CheckRefused(Send("GET", "/admin/api/audit"), 401, "session_expired");
  SignOutLocally();
  CheckRefused(Login(kPassword), 401, "password_wrong", "password");
  LONGS_EQUAL(200, Login("a brand new password").status);
}

TEST(AdminSite, AuditIsPagedNewestFirst) {
  SetUp();
  for (int i = 0; i < 4; ++i) {
    CHECK_OK(store->AddAuditEntry(AuditEntry{0, 0, "doctor_added", "192.0.2.3",
                                             "doctor d" + std::to_string(i)}));
  }
  httplib::Response res = Send("GET", "/admin/api/audit?limit=3");
  LONGS_EQUAL(200, res.status);
  CjsonPtr root(cJSON_Parse(res.body.c_str()));
  const cJSON* entries =
      cJSON_GetObjectItemCaseSensitive(root.get(), "entries");
  LONGS_EQUAL(3, cJSON_GetArraySize(entries));
  const cJSON* first = cJSON_GetArrayItem(entries, 0);
  STRCMP_EQUAL("doctor d3",
               cJSON_GetObjectItemCaseSensitive(first, "detail")->valuestring);
  STRCMP_EQUAL("2026-01-01T00:00:00Z",
               cJSON_GetObjectItemCaseSensitive(first, "at")->valuestring);
  const int next = static_cast<int>(
      cJSON_GetObjectItemCaseSensitive(root.get(), "next_before")->valuedouble);
  res = Send("GET", "/admin/api/audit?limit=3&before=" + std::to_string(next));
  root.reset(cJSON_Parse(res.body.c_str()));
  entries = cJSON_GetObjectItemCaseSensitive(root.get(), "entries");
  // d0 and the admin's creation.
  LONGS_EQUAL(2, cJSON_GetArraySize(entries));
  CHECK_TRUE(cJSON_IsNull(
      cJSON_GetObjectItemCaseSensitive(root.get(), "next_before")));
  CheckRefused(Send("GET", "/admin/api/audit?limit=0"), 400, "invalid_query",
               "limit");
  CheckRefused(Send("GET", "/admin/api/audit?limit=201"), 400, "invalid_query",
               "limit");
  CheckRefused(Send("GET", "/admin/api/audit?before=x"), 400, "invalid_query",
               "before");
}

TEST(AdminSite, AuthorizationHeaderIsRefused) {
  SetUp();
  CheckRefused(Send("GET", "/admin/api/session", "",
                    {{"Authorization", "Bearer tbk_x"}}),
               401, "api_key_not_accepted");
  CheckRefused(
      Send("GET", "/admin/api/audit", "", {{"Authorization", "Bearer tbk_x"}}),
      401, "api_key_not_accepted");
}

TEST(AdminSite, UnknownPathsAndMethodsAndLargeBodies) {
  CheckRefused(Send("GET", "/admin/api/nothing"), 404, "not_found");
  CheckRefused(Send("GET", "/admin/api"), 404, "not_found");
  httplib::Response res = Send("GET", "/admin/api/login");
  CheckRefused(res, 405, "method_not_allowed");
  STRCMP_EQUAL("POST", res.get_header_value("Allow").c_str());
  CheckRefused(
      Send("POST", "/admin/api/login", std::string(64 * 1024 + 1, ' ')), 413,
      "body_too_large");
}

TEST(AdminSite, EveryAnswerCarriesTheSecurityHeaders) {
  SetUp();
  const httplib::Response answers[] = {
      Send("GET", "/admin/api/session"),
      Send("GET", "/admin/api/nothing"),
      Send("PUT", "/admin/api/session"),
      Send("POST", "/admin/api/logout", "", {{"X-CSRF-Token", "bad"}}),
      Send("GET", "/admin/api/audit", "", {{"Authorization", "Basic eA=="}}),
      Send("GET", "/"),
  };
  for (const httplib::Response& res : answers) {
    STRCMP_EQUAL("default-src 'self'; frame-ancestors 'none'",
                 res.get_header_value("Content-Security-Policy").c_str());
    STRCMP_EQUAL("nosniff",
                 res.get_header_value("X-Content-Type-Options").c_str());
    STRCMP_EQUAL("no-referrer",
                 res.get_header_value("Referrer-Policy").c_str());
    STRCMP_EQUAL("no-store", res.get_header_value("Cache-Control").c_str());
    CHECK_FALSE(res.has_header("Strict-Transport-Security"));
    CHECK_FALSE(res.has_header("WWW-Authenticate"));
  }
  STRCMP_EQUAL("<!doctype html>", answers[5].body.c_str());
  imported = true;
  STRCMP_EQUAL("max-age=31536000",
               Send("GET", "/admin/api/session")
                   .get_header_value("Strict-Transport-Security")
                   .c_str());
}

TEST(AdminSite, AssetsKeepTheirOwnCaching) {
  AdminSiteOptions options;
  options.access.accounts = store.get();
  options.access.clock = &clock;
  options.access.random = &random;
  options.access.logger = &logger;
  options.serve_asset = [](const httplib::Request&, httplib::Response* res) {
    res->set_header("Cache-Control", "no-cache");
    res->set_header("ETag", "\"abc\"");
    res->set_content("body{}", "text/css");
  };
  site = std::make_unique<AdminSite>(options);
  httplib::Response res = Send("GET", "/app.css");
  STRCMP_EQUAL("no-cache", res.get_header_value("Cache-Control").c_str());
  STRCMP_EQUAL("nosniff",
               res.get_header_value("X-Content-Type-Options").c_str());
}

// Behind cpp-httplib's own server (as the HTTPS listener will run it): the
// peer's address, the cookie and the headers travel as in a browser.
TEST(AdminSite, ServesBehindAnHttplibServer) {
  httplib::Server server;
  // Routes, not the pre-routing handler: that one runs before the body is
  // read.
  auto serve = [this](const httplib::Request& req, httplib::Response& res) {
    site->Serve(req, &res);
  };
  server.Get(".*", serve);
  server.Post(".*", serve);
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  CHECK_OK(
      store->PutSetupCode(SetupCodeDigest(kCode), clock.NowSeconds() + 60));
  httplib::Client client("127.0.0.1", port);
  const std::string origin = "https://127.0.0.1:" + std::to_string(port);
  auto setup = client.Post("/admin/api/setup", {{"Origin", origin}},
                           "{\"setup_code\":\"" + std::string(kCode) +
                               "\",\"password\":\"" + kPassword +
                               "\",\"confirm_password\":\"" + kPassword + "\"}",
                           "application/json");
  const std::string cookie_header =
      "__Host-tb_session=" + (setup ? CookieFrom(*setup) : "");
  auto probe = client.Get("/admin/api/session", {{"Cookie", cookie_header}});
  server.stop();
  thread.join();
  CHECK_TRUE(setup && probe);
  LONGS_EQUAL_TEXT(201, setup->status, setup->body.c_str());
  STRCMP_EQUAL("signed_in", JsonText(*probe, "state").c_str());
  STRCMP_EQUAL("no-store", probe->get_header_value("Cache-Control").c_str());
  std::vector<AuditEntry> entries;
  CHECK_OK(store->ListAuditEntries(0, 10, &entries));
  STRCMP_EQUAL("admin_created", entries[0].action.c_str());
  STRCMP_EQUAL("127.0.0.1", entries[0].address.c_str());
}

}  // namespace web
}  // namespace telemed
