// The `zoom` commands and the daemon's Zoom check, driven as an admin would,
// against a fake Zoom served over HTTPS from this test process.
#include <CppUTest/TestHarness.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/clock.h"
#include "support/daemon_process.h"
#include "support/fake_zoom.h"
#include "support/temp_dir.h"
#include "support/tls_test_server.h"

namespace telemed {
namespace {

// Distinctive, so a search of any output or file cannot match by chance.
constexpr char kSecret[] = "Zq8-client-secret-never-shown-41";

std::string ReadFileBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

void CheckExit(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

std::vector<std::string> AllScopesBut(const std::string& scope) {
  std::vector<std::string> scopes;
  for (const std::string& s : test::AllS2sScopes()) {
    if (s != scope) scopes.push_back(s);
  }
  return scopes;
}

test::FakeZoom::Options ZoomOptions(const Clock* clock) {
  test::FakeZoom::Options options;
  options.client_secret = kSecret;
  options.clock = clock;
  return options;
}

}  // namespace

TEST_GROUP(ZoomCli) {
  test::TempDir temp;
  RealClock clock;
  std::unique_ptr<test::FakeZoom> zoom;
  std::unique_ptr<test::TlsTestServer> server;
  std::string data_dir;
  std::string secret_file;

  void setup() override {
    data_dir = temp.File("data");
    secret_file = temp.File("client-secret.txt");
    test::TlsTestServer::WriteFile(secret_file, std::string(kSecret) + "\n");
    zoom = std::make_unique<test::FakeZoom>(ZoomOptions(&clock));
    zoom->AddUser("u1", "doctor@clinic.example");
    server = std::make_unique<test::TlsTestServer>();
    zoom->Mount(&server->server());
    server->Start();
  }

  void teardown() override { server.reset(); }

  std::vector<std::string> ZoomFlags() const {
    return {"--data-dir",    data_dir,         "--zoom-oauth-url",
            server->Url(""), "--zoom-api-url", server->Url("/v2"),
            "--ca-file",     server->ca_file()};
  }

  // `zoom WORDS...` with the fake's URLs and the test's data dir.
  test::CliResult Zoom(std::vector<std::string> args,
                       const std::string* stdin_text = nullptr) {
    args.insert(args.begin(), "zoom");
    for (const std::string& flag : ZoomFlags()) args.push_back(flag);
    return test::RunCliWithStdin(args, stdin_text);
  }

  test::CliResult S2s(const std::string& file,
                      const std::string* stdin_text = nullptr) {
    return Zoom({"s2s", "--account-id", "fake-account-id", "--client-id",
                 "fake-client-id", "--client-secret-file", file},
                stdin_text);
  }

  // `zoom s2s` with the data dir and only the Zoom flags in `flags`.
  test::CliResult S2sWithOnly(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"zoom",
                                     "s2s",
                                     "--account-id",
                                     "fake-account-id",
                                     "--client-id",
                                     "fake-client-id",
                                     "--client-secret-file",
                                     secret_file,
                                     "--data-dir",
                                     data_dir};
    args.insert(args.end(), flags.begin(), flags.end());
    return test::RunCli(args);
  }

  void PutDoctor(const std::string& id, const std::string& zoom_user) {
    CheckExit(test::RunCli({"doctor", "put", id, "--name", "Dr. " + id,
                            "--zoom-user", zoom_user, "--data-dir", data_dir}),
              0);
  }
};

TEST(ZoomCli, SecretFromAFileThenTheCheckPasses) {
  test::CliResult stored = S2s(secret_file);
  CheckExit(stored, 0);
  STRCMP_CONTAINS("Stored the Zoom Server-to-Server app", stored.out.c_str());
  STRCMP_CONTAINS("zoom test", stored.out.c_str());
  PutDoctor("dr-1", "doctor@clinic.example");
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 0);
  STRCMP_CONTAINS("ok   credentials\n", check.out.c_str());
  STRCMP_CONTAINS("ok   scopes\n", check.out.c_str());
  STRCMP_CONTAINS("ok   doctor dr-1\n", check.out.c_str());
  CHECK_FALSE(
      Contains(stored.out + stored.err + check.out + check.err, kSecret));
}

TEST(ZoomCli, SecretFromStdinWithOrWithoutANewline) {
  std::string piped = kSecret;
  CheckExit(S2s("-", &piped), 0);
  CheckExit(Zoom({"test"}), 0);
  piped += "\n";
  CheckExit(S2s("-", &piped), 0);
  CheckExit(Zoom({"test"}), 0);
}

TEST(ZoomCli, EmptyOrMissingSecretIsRefusedAndNothingStored) {
  std::string empty = "\n";
  test::CliResult result = S2s("-", &empty);
  CheckExit(result, 1);
  STRCMP_CONTAINS("client secret read from stdin is empty", result.err.c_str());
  result = S2s(temp.File("no-such-file"));
  CheckExit(result, 1);
  STRCMP_CONTAINS("cannot read --client-secret-file", result.err.c_str());
  // Nothing stored: not even a database was created for it.
  test::CliResult shown = Zoom({"show"});
  CheckExit(shown, 1);
  STRCMP_CONTAINS("no database at", shown.err.c_str());
}

TEST(ZoomCli, ShowPrintsTheIdsAndLastVerdictNeverTheSecret) {
  CheckExit(S2s(secret_file), 0);
  test::CliResult shown = Zoom({"show"});
  CheckExit(shown, 0);
  STRCMP_CONTAINS("account id:    fake-account-id", shown.out.c_str());
  STRCMP_CONTAINS("client id:     fake-client-id", shown.out.c_str());
  STRCMP_CONTAINS("client secret: set", shown.out.c_str());
  STRCMP_CONTAINS("last check:    none", shown.out.c_str());
  CheckExit(Zoom({"test"}), 0);
  shown = Zoom({"show"});
  STRCMP_CONTAINS("Z, all well", shown.out.c_str());
  CHECK_FALSE(Contains(shown.out + shown.err, kSecret));
}

TEST(ZoomCli, TestNamesAMissingScopeAndAnUnknownUser) {
  CheckExit(S2s(secret_file), 0);
  PutDoctor("dr-1", "doctor@clinic.example");
  PutDoctor("dr-2", "nobody@clinic.example");
  zoom->SetGrantedScopes(AllScopesBut("meeting:update:meeting:admin"));
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 1);
  STRCMP_CONTAINS(
      "FAIL scopes: missing meeting:update:meeting:admin — add it in the "
      "Zoom app's Scopes page",
      check.out.c_str());
  STRCMP_CONTAINS("ok   doctor dr-1\n", check.out.c_str());
  STRCMP_CONTAINS(
      "FAIL doctor dr-2: Zoom user nobody@clinic.example not a user of this "
      "Zoom account",
      check.out.c_str());
  STRCMP_CONTAINS("FAIL (scopes, doctor dr-2)", Zoom({"show"}).out.c_str());
}

TEST(ZoomCli, AWrongSecretIsRefusedBeforeItIsStored) {
  std::string wrong = "not-the-secret\n";
  test::CliResult refused = S2s("-", &wrong);
  CheckExit(refused, 1);
  STRCMP_CONTAINS("nothing was stored", refused.err.c_str());
  STRCMP_CONTAINS("Zoom refused the client ID or client secret",
                  refused.err.c_str());
  STRCMP_CONTAINS("No Zoom Server-to-Server app is configured",
                  Zoom({"show"}).out.c_str());
  // Stored anyway on request; the check then says the same.
  CheckExit(Zoom({"s2s", "--account-id", "fake-account-id", "--client-id",
                  "fake-client-id", "--client-secret-file", "-", "--no-check"},
                 &wrong),
            0);
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 1);
  STRCMP_CONTAINS(
      "FAIL credentials: Zoom refused the client ID or client secret",
      check.out.c_str());
}

TEST(ZoomCli, AWrongAccountIdIsToldApartFromAWrongSecret) {
  test::CliResult refused =
      Zoom({"s2s", "--account-id", "no-such-account", "--client-id",
            "fake-client-id", "--client-secret-file", secret_file});
  CheckExit(refused, 1);
  STRCMP_CONTAINS("Zoom does not know the account ID no-such-account",
                  refused.err.c_str());
  CHECK_FALSE(Contains(refused.err, "client secret ("));
}

TEST(ZoomCli, AWrongTokenUrlIsNotBlamedOnTheCredentials) {
  test::CliResult refused =
      S2sWithOnly({"--zoom-oauth-url", server->Url("/wrong"), "--ca-file",
                   server->ca_file()});
  CheckExit(refused, 1);
  STRCMP_CONTAINS("HTTP 404, which is not Zoom's token endpoint",
                  refused.err.c_str());
  STRCMP_CONTAINS("--zoom-oauth-url", refused.err.c_str());
  CHECK_FALSE(Contains(refused.err, "client secret"));
}

TEST(ZoomCli, AnUnknownHostAndAnUntrustedCertificateAreNamed) {
  test::CliResult dns =
      S2sWithOnly({"--zoom-oauth-url", "https://no-such-host.invalid",
                   "--ca-file", server->ca_file()});
  CheckExit(dns, 1);
  STRCMP_CONTAINS("cannot find the host no-such-host.invalid", dns.err.c_str());
  // The fake's own CA is not among the system's.
  test::CliResult tls = S2sWithOnly({"--zoom-oauth-url", server->Url("")});
  CheckExit(tls, 1);
  STRCMP_CONTAINS("unknown CA", tls.err.c_str());
  STRCMP_CONTAINS("--ca-file", tls.err.c_str());
}

TEST(ZoomCli, SurroundingWhitespaceOfTheSecretIsDroppedInnerRefused) {
  std::string padded = std::string("  ") + kSecret + " \r\n";
  CheckExit(S2s("-", &padded), 0);
  CheckExit(Zoom({"test"}), 0);
  std::string inner = std::string(kSecret) + " x\n";
  test::CliResult refused = S2s("-", &inner);
  CheckExit(refused, 1);
  STRCMP_CONTAINS("holds a space, tab or line break inside it",
                  refused.err.c_str());
}

TEST(ZoomCli, StoringAgainSaysWhichAppItReplaces) {
  test::CliResult first = S2s(secret_file);
  CheckExit(first, 0);
  CHECK_FALSE(Contains(first.out, "Replaced"));
  STRCMP_CONTAINS("Zoom issued a token for it", first.out.c_str());
  test::CliResult second = S2s(secret_file);
  CheckExit(second, 0);
  STRCMP_CONTAINS(
      "Replaced the stored Zoom app (account ID fake-account-id, client ID "
      "fake-client-id)",
      second.out.c_str());
}

TEST(ZoomCli, TheUrlsAndCaGivenToS2sServeLaterCommandsWithoutFlags) {
  CheckExit(S2s(secret_file), 0);
  PutDoctor("dr-1", "doctor@clinic.example");
  // No Zoom flags at all: the stored URLs and CA (not zoom.us) are used.
  test::CliResult check =
      test::RunCli({"zoom", "test", "--data-dir", data_dir});
  CheckExit(check, 0);
  STRCMP_CONTAINS("ok   credentials", check.out.c_str());
  test::CliResult shown =
      test::RunCli({"zoom", "show", "--data-dir", data_dir});
  STRCMP_CONTAINS(("oauth url:     " + server->Url("") + "\n").c_str(),
                  shown.out.c_str());
  STRCMP_CONTAINS("trusted CAs:   the CA certificate stored with the Zoom app",
                  shown.out.c_str());
  // The CA file may go: its PEM text was stored.
  CHECK_EQUAL(0, unlink(server->ca_file().c_str()));
  CheckExit(test::RunCli({"zoom", "test", "--data-dir", data_dir}), 0);
  // The environment wins over what is stored, and a flag over both.
  test::CliResult from_env =
      test::RunCli({"zoom", "test", "--data-dir", data_dir},
                   {"TELEMED_ZOOM_OAUTH_URL=https://env-host.invalid"});
  CheckExit(from_env, 1);
  STRCMP_CONTAINS("env-host.invalid", from_env.out.c_str());
  test::CliResult flagged =
      test::RunCli({"zoom", "test", "--data-dir", data_dir, "--zoom-oauth-url",
                    "https://no-such-host.invalid"},
                   {"TELEMED_ZOOM_OAUTH_URL=https://env-host.invalid"});
  CheckExit(flagged, 1);
  STRCMP_CONTAINS("no-such-host.invalid", flagged.out.c_str());
}

TEST(ZoomCli, ForgetAsksOrNeedsYes) {
  CheckExit(S2s(secret_file), 0);
  test::CliResult refused = Zoom({"forget"});  // stdin is not a terminal
  CheckExit(refused, 1);
  STRCMP_CONTAINS("add --yes", refused.err.c_str());
  STRCMP_CONTAINS("client secret: set", Zoom({"show"}).out.c_str());
  CheckExit(Zoom({"forget", "--yes"}), 0);
  STRCMP_CONTAINS("No Zoom Server-to-Server app is configured",
                  Zoom({"show"}).out.c_str());
}

TEST(ZoomCli, ForgetRemovesTheApp) {
  CheckExit(S2s(secret_file), 0);
  CheckExit(Zoom({"test"}), 0);
  test::CliResult forgot = Zoom({"forget", "--yes"});
  CheckExit(forgot, 0);
  STRCMP_CONTAINS("Removed", forgot.out.c_str());
  test::CliResult shown = Zoom({"show"});
  STRCMP_CONTAINS("No Zoom Server-to-Server app is configured",
                  shown.out.c_str());
  STRCMP_CONTAINS("last check:    none", shown.out.c_str());
  int token_requests = zoom->CountRequests("POST", "/oauth/token");
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 1);
  STRCMP_CONTAINS("FAIL credentials: no Zoom Server-to-Server app",
                  check.out.c_str());
  LONGS_EQUAL(token_requests, zoom->CountRequests("POST", "/oauth/token"));
}

TEST(ZoomCli, AnotherKeyFileIsRefusedWithAClearMessage) {
  CheckExit(S2s(secret_file), 0);
  std::string other_key = temp.File("other.key");
  test::TlsTestServer::WriteFile(other_key, std::string(32, 'k'));
  chmod(other_key.c_str(), 0600);
  test::CliResult shown = Zoom({"show", "--key-file", other_key});
  CheckExit(shown, 1);
  STRCMP_CONTAINS("telemed-bridge: the database's secrets are sealed under",
                  shown.err.c_str());
  STRCMP_CONTAINS(other_key.c_str(), shown.err.c_str());
  STRCMP_CONTAINS("--key-file", shown.err.c_str());
  STRCMP_CONTAINS("zoom forget", shown.err.c_str());
  CheckExit(Zoom({"test", "--key-file", other_key}), 1);
}

TEST(ZoomCli, ForgetIsTheWayBackAfterLosingTheKeyFile) {
  CheckExit(S2s(secret_file), 0);
  CheckExit(Zoom({"test"}), 0);
  // The key file is lost; a new one is made.
  std::string new_key = temp.File("new.key");
  test::TlsTestServer::WriteFile(new_key, std::string(32, 'n'));
  chmod(new_key.c_str(), 0600);
  CheckExit(Zoom({"show", "--key-file", new_key}), 1);
  CheckExit(Zoom({"forget", "--yes"}), 0);
  CheckExit(Zoom({"s2s", "--account-id", "fake-account-id", "--client-id",
                  "fake-client-id", "--client-secret-file", secret_file,
                  "--key-file", new_key}),
            0);
  test::CliResult check = Zoom({"test", "--key-file", new_key});
  CheckExit(check, 0);
  STRCMP_CONTAINS("All well", check.out.c_str());
  // Now the new key is the database's: the old one is refused.
  CheckExit(Zoom({"show"}), 1);
}

// As root on an installed box (`nobody` standing in for the service user):
// a --ca-file only root may read is read before the command gives up root.
TEST(ZoomCli, ARootOnlyCaFileIsReadBeforeBecomingTheServiceUser) {
  if (geteuid() != 0) {
    UT_PRINT("not root: the switch to the service user cannot be exercised");
    return;
  }
  chmod(temp.path().c_str(), 0711);
  const std::string root_dir = temp.File("root");
  mkdir(root_dir.c_str(), 0700);
  const std::string ca_file = root_dir + "/ca.pem";
  test::TlsTestServer::WriteFile(ca_file, ReadFileBytes(server->ca_file()));
  chmod(ca_file.c_str(), 0600);
  std::vector<std::string> env = {"TELEMED_SERVICE_USER=nobody",
                                  "TELEMED_KEY_FILE=" + root_dir + "/key"};
  CheckExit(test::RunCli({"key", "create"}, env), 0);
  std::vector<std::string> flags = {
      "--data-dir",     data_dir,           "--zoom-oauth-url", server->Url(""),
      "--zoom-api-url", server->Url("/v2"), "--ca-file",        ca_file};
  std::vector<std::string> s2s = {"zoom",
                                  "s2s",
                                  "--account-id",
                                  "fake-account-id",
                                  "--client-id",
                                  "fake-client-id",
                                  "--client-secret-file",
                                  secret_file};
  s2s.insert(s2s.end(), flags.begin(), flags.end());
  CheckExit(test::RunCli(s2s, env), 0);
  std::vector<std::string> check = {"zoom", "test"};
  check.insert(check.end(), flags.begin(), flags.end());
  // Read as the service user, the file failed both `zoom s2s`'s token check
  // and this ("cannot load trusted CAs from ...").
  test::CliResult checked = test::RunCli(check, env);
  CheckExit(checked, 0);
  STRCMP_CONTAINS("ok   credentials\n", checked.out.c_str());
}

TEST(ZoomCli, TheDatabaseFileNeverHoldsTheSecret) {
  CheckExit(S2s(secret_file), 0);
  CheckExit(Zoom({"test"}), 0);
  std::string bytes = ReadFileBytes(data_dir + "/telemed-bridge.db") +
                      ReadFileBytes(data_dir + "/telemed-bridge.db-wal");
  CHECK_TRUE(bytes.size() > 0);
  CHECK_TRUE(Contains(bytes, "fake-client-id"));  // the search itself works
  CHECK_FALSE(Contains(bytes, kSecret));
}

// A new OAuth doctor is told how to connect, by `doctor put` and by
// `zoom test`, which fails until the doctor has connected.
TEST(ZoomCli, ANewOauthDoctorIsToldHowToConnect) {
  CheckExit(S2s(secret_file), 0);
  test::CliResult put =
      test::RunCli({"doctor", "put", "dr-o", "--name", "Dr. O", "--auth",
                    "oauth", "--data-dir", data_dir});
  CheckExit(put, 0);
  STRCMP_CONTAINS("Registered doctor dr-o.", put.out.c_str());
  STRCMP_CONTAINS("doctor dr-o: connects its own Zoom account",
                  put.err.c_str());
  STRCMP_CONTAINS("telemed-bridge doctor connect", put.err.c_str());
  LONGS_EQUAL(1, std::count(put.err.begin(), put.err.end(), '\n'));
  test::CliResult check = Zoom({"test"});
  CheckExit(check, 1);
  STRCMP_CONTAINS("ok   scopes\n", check.out.c_str());
  STRCMP_CONTAINS("FAIL doctor dr-o: connects its own Zoom account",
                  check.out.c_str());
  // An S2S doctor gets no such line.
  put = test::RunCli({"doctor", "put", "dr-s", "--name", "Dr. S", "--zoom-user",
                      "doctor@clinic.example", "--data-dir", data_dir});
  CheckExit(put, 0);
  STRCMP_EQUAL("", put.err.c_str());
}

TEST(ZoomCli, TheDaemonChecksAtStartAndStatusReportsIt) {
  CheckExit(S2s(secret_file), 0);
  PutDoctor("dr-1", "doctor@clinic.example");
  test::CliResult created =
      test::RunCli({"apikey", "create", "emr", "--data-dir", data_dir});
  CheckExit(created, 0);
  std::string key = created.out.substr(created.out.rfind("tbk_"));
  key.pop_back();  // the newline
  test::DaemonProcess::Options options;
  options.data_dir = data_dir;
  // No Zoom flags: serve uses the URLs and CA `zoom s2s` stored.
  std::unique_ptr<test::DaemonProcess> daemon;
  Status s = test::DaemonProcess::Start(options, &daemon);
  CHECK_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(daemon->WaitForStderr(
      "zoom check: ok (credentials, scopes, 1 doctor(s))"));
  httplib::Client client("127.0.0.1", daemon->port());
  auto res = client.Get("/api/v1/status", {{"Authorization", "Bearer " + key}});
  LONGS_EQUAL(200, res->status);
  CjsonPtr root(cJSON_Parse(res->body.c_str()));
  const cJSON* verdict = cJSON_GetObjectItem(root.get(), "zoom");
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(verdict, "ok")));
  const cJSON* cannot = cJSON_GetObjectItem(root.get(), "doctors_cannot_sync");
  CHECK_TRUE(cJSON_IsArray(cannot));
  LONGS_EQUAL(0, cJSON_GetArraySize(cannot));
  // An OAuth doctor shows at once, before the next check.
  CheckExit(test::RunCli({"doctor", "put", "dr-o", "--name", "Dr. O", "--auth",
                          "oauth", "--data-dir", data_dir}),
            0);
  res = client.Get("/api/v1/status", {{"Authorization", "Bearer " + key}});
  LONGS_EQUAL(200, res->status);
  root.reset(cJSON_Parse(res->body.c_str()));
  cannot = cJSON_GetObjectItem(root.get(), "doctors_cannot_sync");
  LONGS_EQUAL(1, cJSON_GetArraySize(cannot));
  const cJSON* entry = cJSON_GetArrayItem(cannot, 0);
  STRCMP_EQUAL("dr-o", cJSON_GetObjectItem(entry, "doctor_id")->valuestring);
  STRCMP_EQUAL("doctor_not_connected",
               cJSON_GetObjectItem(entry, "reason")->valuestring);
  CHECK_FALSE(Contains(daemon->Stderr(), kSecret));
  LONGS_EQUAL(0, daemon->Terminate());
}

}  // namespace telemed
