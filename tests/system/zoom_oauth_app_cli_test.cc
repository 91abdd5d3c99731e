// `zoom oauth-app` and its lines in `zoom show`, driven as an admin would:
// the user-managed OAuth app is stored with its secret sealed, shown
// without it, and bad input is refused before anything is stored.
#include <CppUTest/TestHarness.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/daemon_process.h"
#include "support/temp_dir.h"
#include "support/tls_test_server.h"

namespace telemed {
namespace {

// Distinctive, so a search of any output or file cannot match by chance.
constexpr char kSecret[] = "Oa7-oauth-app-secret-never-shown-93";

std::string ReadFileBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

void CheckExit(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

}  // namespace

TEST_GROUP(ZoomOAuthAppCli) {
  test::TempDir temp;
  std::string data_dir;
  std::string secret_file;

  void setup() override {
    data_dir = temp.File("data");
    secret_file = temp.File("oauth-secret.txt");
    test::TlsTestServer::WriteFile(secret_file, std::string(kSecret) + "\n");
  }

  test::CliResult Zoom(std::vector<std::string> args,
                       const std::string* stdin_text = nullptr) {
    args.insert(args.begin(), "zoom");
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCliWithStdin(args, stdin_text);
  }
};

TEST(ZoomOAuthAppCli, StoresTheAppAndShowsItWithoutTheSecret) {
  test::CliResult stored =
      Zoom({"oauth-app", "--client-id", "oauth-client-1",
            "--client-secret-file", secret_file, "--redirect-url",
            "https://bridge.local:8443/oauth/callback"});
  CheckExit(stored, 0);
  STRCMP_CONTAINS("Stored the Zoom OAuth app (client ID oauth-client-1)",
                  stored.out.c_str());
  STRCMP_CONTAINS("https://bridge.local:8443/oauth/callback",
                  stored.out.c_str());
  test::CliResult shown = Zoom({"show"});
  CheckExit(shown, 0);
  STRCMP_CONTAINS("oauth app:     client id oauth-client-1, secret set",
                  shown.out.c_str());
  STRCMP_CONTAINS("redirect url:  https://bridge.local:8443/oauth/callback",
                  shown.out.c_str());
  const std::string everything =
      stored.out + stored.err + shown.out + shown.err +
      ReadFileBytes(data_dir + "/telemed-bridge.db") +
      ReadFileBytes(data_dir + "/telemed-bridge.db-wal");
  CHECK(everything.find("oauth-client-1") != std::string::npos);
  CHECK(everything.find(kSecret) == std::string::npos);
}

TEST(ZoomOAuthAppCli, StoringAgainFromStdinReplacesTheApp) {
  std::string piped = kSecret;
  CheckExit(Zoom({"oauth-app", "--client-id", "first", "--client-secret-file",
                  "-", "--redirect-url", "https://a.example/cb"},
                 &piped),
            0);
  CheckExit(Zoom({"oauth-app", "--client-id", "second", "--client-secret-file",
                  secret_file}),
            0);
  test::CliResult shown = Zoom({"show"});
  STRCMP_CONTAINS("client id second", shown.out.c_str());
  STRCMP_CONTAINS("redirect url:  the bridge's own", shown.out.c_str());
}

TEST(ZoomOAuthAppCli, ShowSaysWhenNoAppIsStored) {
  CheckExit(test::RunCli({"doctor", "put", "d1", "--name", "Dr. One", "--auth",
                          "oauth", "--data-dir", data_dir}),
            0);
  test::CliResult shown = Zoom({"show"});
  CheckExit(shown, 0);
  STRCMP_CONTAINS("oauth app:     none", shown.out.c_str());
}

TEST(ZoomOAuthAppCli, BadInputIsRefusedAndNothingStored) {
  test::CliResult result = Zoom({"oauth-app", "--client-id", "c1"});
  CheckExit(result, 2);
  STRCMP_CONTAINS("missing --client-secret-file", result.err.c_str());
  result = Zoom({"oauth-app", "--client-id", "c1", "--client-secret-file",
                 secret_file, "--redirect-url", "http://bridge.local/cb"});
  CheckExit(result, 2);
  STRCMP_CONTAINS("--redirect-url", result.err.c_str());
  result = Zoom(
      {"oauth-app", "--client-id", "c 1", "--client-secret-file", secret_file});
  CheckExit(result, 2);
  std::string empty = "\n";
  result = Zoom({"oauth-app", "--client-id", "c1", "--client-secret-file", "-"},
                &empty);
  CheckExit(result, 1);
  STRCMP_CONTAINS("client secret read from stdin is empty", result.err.c_str());
  // Nothing stored: not even a database was made for it.
  test::CliResult shown = Zoom({"show"});
  CheckExit(shown, 1);
  STRCMP_CONTAINS("no database at", shown.err.c_str());
}

}  // namespace telemed
