// `zoom test` with doctors who connect their own Zoom accounts: one line per
// OAuth doctor, the grant tried with GET /users/me (refreshed when due), a
// dead grant marked reconnect_needed, and the exit code 1 while any doctor
// needs someone to act. The doctors are connected in this process by the
// bridge's own code on the data dir (as the callback page would), against a
// fake Zoom served over HTTPS.
#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "config/data_dir.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "store/store.h"
#include "support/daemon_process.h"
#include "support/fake_zoom.h"
#include "support/temp_dir.h"
#include "support/tls_test_server.h"
#include "zoom/https_transport.h"
#include "zoom/user_oauth.h"
#include "zoom/user_token_source.h"

namespace telemed {
namespace {

constexpr char kSecret[] = "Zq8-client-secret-for-oauth-tests";
constexpr char kRedirect[] = "https://bridge.local:8443/oauth/callback";

void CheckExit(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

}  // namespace

TEST_GROUP(ZoomTestOAuthCli) {
  test::TempDir temp;
  RealClock clock;
  std::unique_ptr<test::FakeZoom> zoom;
  std::unique_ptr<test::TlsTestServer> server;
  std::string data_dir;

  void setup() override {
    data_dir = temp.File("data");
    test::FakeZoom::Options options;
    options.client_secret = kSecret;
    options.clock = &clock;
    zoom = std::make_unique<test::FakeZoom>(options);
    zoom->AddUser("u1", "s2s@clinic.example");
    zoom->AddUser("u2", "two@clinic.example");
    zoom->AddUser("u3", "three@clinic.example");
    server = std::make_unique<test::TlsTestServer>();
    zoom->Mount(&server->server());
    server->Start();
    std::string secret = std::string(kSecret) + "\n";
    CheckExit(Zoom({"s2s", "--account-id", "fake-account-id", "--client-id",
                    "fake-client-id", "--client-secret-file", "-"},
                   &secret),
              0);
    std::string oauth_secret = test::FakeZoom::Options().oauth_client_secret;
    CheckExit(Zoom({"oauth-app", "--client-id",
                    test::FakeZoom::Options().oauth_client_id,
                    "--client-secret-file", "-", "--redirect-url", kRedirect},
                   &oauth_secret),
              0);
    PutDoctor("dr-1", "s2s@clinic.example", "s2s");
    PutDoctor("dr-2", "two@clinic.example", "oauth");
    PutDoctor("dr-3", "three@clinic.example", "oauth");
  }

  void teardown() override { server.reset(); }

  test::CliResult Zoom(std::vector<std::string> args,
                       std::string* stdin_text = nullptr) {
    args.insert(args.begin(), "zoom");
    for (const std::string& flag :
         {std::string("--data-dir"), data_dir, std::string("--zoom-oauth-url"),
          server->Url(""), std::string("--zoom-api-url"), server->Url("/v2"),
          std::string("--ca-file"), server->ca_file()}) {
      args.push_back(flag);
    }
    return test::RunCliWithStdin(args, stdin_text);
  }

  void PutDoctor(const std::string& id, const std::string& zoom_user,
                 const std::string& auth) {
    CheckExit(
        test::RunCli({"doctor", "put", id, "--name", "Dr. " + id, "--zoom-user",
                      zoom_user, "--auth", auth, "--data-dir", data_dir}),
        0);
  }

  // Zoom user `user_id` connects `doctor_id`: authorize, exchange and the
  // grant stored, sealed under the data dir's key, by the bridge's code.
  void Connect(const std::string& doctor_id, const std::string& user_id,
               const std::string& email) {
    std::unique_ptr<RandomSource> random;
    CHECK_TRUE(RealRandom::Open(&random).ok());
    std::unique_ptr<SecretKey> key;
    CHECK_TRUE(
        SecretKey::Load({data_dir + "/secret.key", false}, random.get(), &key)
            .ok());
    SecretBox box(key.get(), random.get());
    Store::Options store_options;
    store_options.path = DatabasePath(data_dir);
    store_options.clock = &clock;
    std::unique_ptr<Store> store;
    CHECK_TRUE(Store::Open(store_options, &store).ok());
    HttpsTransport::Options https;
    https.ca_file = server->ca_file();
    https.random = random.get();
    std::unique_ptr<HttpsTransport> transport;
    CHECK_TRUE(HttpsTransport::Open(https, &transport).ok());
    OAuthEndpoint endpoint{server->Url(""), transport.get(), &clock};
    OAuthApp app;
    bool configured = false;
    CHECK_TRUE(LoadOAuthApp(store.get(), box, &app, &configured).ok());
    UserTokens tokens;
    Pkce pkce;
    CHECK_TRUE(NewPkce(random.get(), &pkce).ok());
    zoom->SetAuthorizingUser(user_id);
    ZoomFailure failure = ZoomFailure::kNone;
    CHECK_TRUE(ExchangeCode(endpoint, app,
                            Authorize(transport.get(), app, pkce),
                            pkce.verifier, kRedirect, &tokens, &failure)
                   .ok());
    UserTokenSource::Options source;
    source.oauth_base_url = endpoint.oauth_base_url;
    source.transport = transport.get();
    source.grants = store.get();
    source.settings = store.get();
    source.box = &box;
    source.clock = &clock;
    source.random = random.get();
    ZoomUser user;
    user.id = user_id;
    user.email = email;
    int64_t generation = 0;
    CHECK_TRUE(UserTokenSource(source)
                   .StoreNewGrant(doctor_id, tokens, user, &generation)
                   .ok());
    WipeString(&app.client_secret);
  }

  // The browser at Zoom's authorize URL: the code of the redirect.
  std::string Authorize(ZoomTransport * transport, const OAuthApp& app,
                        const Pkce& pkce) {
    HttpRequest request;
    request.method = "GET";
    request.url = AuthorizeUrl(server->Url(""), app.client_id, kRedirect,
                               "state-1", pkce.challenge);
    HttpResponse response;
    CHECK_TRUE(transport->Send(request, &response).ok());
    LONGS_EQUAL(302, response.status);
    const std::string location = response.Header("location");
    httplib::Params query;
    httplib::detail::parse_query_text(location.substr(location.find('?') + 1),
                                      query);
    return query.find("code")->second;
  }

  std::string DoctorList() {
    test::CliResult list =
        test::RunCli({"doctor", "list", "--data-dir", data_dir});
    CheckExit(list, 0);
    return list.out;
  }
};

TEST(ZoomTestOAuthCli, OneLinePerOAuthDoctorAndExitOneWhileAnyMustAct) {
  Connect("dr-2", "u2", "two@clinic.example");
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 1);
  STRCMP_CONTAINS("ok   doctor dr-1\n", check.out.c_str());
  STRCMP_CONTAINS("ok   doctor dr-2 (Zoom user two@clinic.example)\n",
                  check.out.c_str());
  STRCMP_CONTAINS("FAIL doctor dr-3: connects its own Zoom account",
                  check.out.c_str());
  STRCMP_CONTAINS("doctor connect", check.out.c_str());
  LONGS_EQUAL(1, zoom->CountRequests("GET", "/v2/users/me"));

  Connect("dr-3", "u3", "three@clinic.example");
  check = Zoom({"test"});
  CheckExit(check, 0);
  STRCMP_CONTAINS("ok   doctor dr-3 (Zoom user three@clinic.example)\n",
                  check.out.c_str());
  STRCMP_CONTAINS("All well", check.out.c_str());
}

TEST(ZoomTestOAuthCli, ADeadGrantFailsAndTheDoctorShowsReconnectNeeded) {
  Connect("dr-2", "u2", "two@clinic.example");
  Connect("dr-3", "u3", "three@clinic.example");
  zoom->RefuseGrants("u3");
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 1);
  STRCMP_CONTAINS("ok   doctor dr-2 (Zoom user two@clinic.example)\n",
                  check.out.c_str());
  STRCMP_CONTAINS(
      "FAIL doctor dr-3 (Zoom user three@clinic.example): connects its own "
      "Zoom account (auth oauth), but Zoom no longer accepts",
      check.out.c_str());
  STRCMP_CONTAINS("reconnect_needed", DoctorList().c_str());
  // Known dead: the next test says so without asking Zoom about it.
  const int refreshes = zoom->CountRequests("POST", "/oauth/token");
  CheckExit(Zoom({"test"}), 1);
  // Only the S2S app's fresh token.
  LONGS_EQUAL(refreshes + 1, zoom->CountRequests("POST", "/oauth/token"));
}

// `zoom forget` leaves no sealed OAuth secret the admin believes gone: it
// says what it kept; `zoom oauth-app --forget` removes the app, refused
// while doctors are connected unless --force, which disconnects them.
TEST(ZoomTestOAuthCli,
     ForgettingSaysWhatIsKeptAndTheOAuthAppGoesOnlyOnPurpose) {
  Connect("dr-2", "u2", "two@clinic.example");
  test::CliResult forget = Zoom({"forget", "--yes"});
  CheckExit(forget, 0);
  STRCMP_CONTAINS("Kept: the Zoom OAuth app", forget.out.c_str());
  STRCMP_CONTAINS("zoom oauth-app --forget", forget.out.c_str());
  STRCMP_CONTAINS("Kept: 1 doctor connection(s)", forget.out.c_str());
  test::CliResult refused = Zoom({"oauth-app", "--forget", "--yes"});
  CheckExit(refused, 1);
  STRCMP_CONTAINS("dr-2", refused.err.c_str());
  STRCMP_CONTAINS("--force", refused.err.c_str());
  STRCMP_CONTAINS("client id fake-oauth-client-id", Zoom({"show"}).out.c_str());
  CheckExit(Zoom({"oauth-app", "--forget", "--client-id", "x"}), 2);
  test::CliResult forced = Zoom({"oauth-app", "--forget", "--force", "--yes"});
  CheckExit(forced, 0);
  STRCMP_CONTAINS("Disconnected 1 doctor(s)", forced.out.c_str());
  STRCMP_CONTAINS("Nothing encrypted with the key file is left",
                  forced.out.c_str());
  STRCMP_CONTAINS("oauth app:     none", Zoom({"show"}).out.c_str());
  // Again, with nothing left: said so, not "Removed".
  test::CliResult again = Zoom({"oauth-app", "--forget", "--yes"});
  CheckExit(again, 0);
  STRCMP_EQUAL("No Zoom OAuth app is stored: nothing to remove.\n",
               again.out.c_str());
  CHECK(DoctorList().find("reconnect_needed") == std::string::npos);
  STRCMP_CONTAINS("not_connected", DoctorList().c_str());
}

// A clinic whose doctors all connect their own Zoom accounts has no S2S
// app: that is no failure of `zoom test`.
TEST(ZoomTestOAuthCli, AClinicWithoutAnS2sAppAndOnlyOAuthDoctorsIsAllWell) {
  CheckExit(Zoom({"forget", "--yes"}), 0);
  CheckExit(test::RunCli({"doctor", "remove", "dr-1", "--data-dir", data_dir}),
            0);
  Connect("dr-2", "u2", "two@clinic.example");
  Connect("dr-3", "u3", "three@clinic.example");
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 0);
  STRCMP_CONTAINS("ok   credentials\n", check.out.c_str());
  STRCMP_CONTAINS("ok   doctor dr-3 (Zoom user three@clinic.example)\n",
                  check.out.c_str());
}

}  // namespace telemed
