// `doctor connect ID`: a connect link on the public URL for an OAuth doctor
// once the OAuth app is stored; a clear refusal otherwise.
#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "support/daemon_process.h"
#include "support/temp_dir.h"
#include "support/zoom_bridge.h"

namespace telemed {

TEST_GROUP(DoctorConnectCli) {
  test::TempDir temp;
  std::string data_dir;

  void setup() override { data_dir = temp.File("data"); }

  test::CliResult Run(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCliWithStdin(args, nullptr);
  }

  void CheckExit(const test::CliResult& result, int exit_code) {
    std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
    LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
  }

  void PutDoctors() {
    CheckExit(Run({"doctor", "put", "dr-o", "--name", "Dr O", "--auth", "oauth",
                   "--zoom-user", "o@clinic.example"}),
              0);
    CheckExit(Run({"doctor", "put", "dr-s", "--name", "Dr S", "--zoom-user",
                   "s@clinic.example"}),
              0);
  }

  void StoreApp() {
    std::string secret = "oauth-secret-1";
    CheckExit(test::RunCliWithStdin(
                  {"zoom", "oauth-app", "--client-id", "oauth-client-1",
                   "--client-secret-file", "-", "--data-dir", data_dir},
                  &secret),
              0);
  }
};

TEST(DoctorConnectCli, PrintsASingleUseLinkOnThePublicUrl) {
  PutDoctors();
  StoreApp();
  test::CliResult result = Run({"doctor", "connect", "dr-o", "--public-url",
                                "https://bridge.clinic.lan:8443/"});
  CheckExit(result, 0);
  const std::string prefix = "https://bridge.clinic.lan:8443/oauth/connect/";
  CHECK_TRUE_TEXT(result.out.rfind(prefix, 0) == 0, result.out.c_str());
  STRCMP_CONTAINS("works once", result.err.c_str());
  test::CliResult again = Run({"doctor", "connect", "dr-o", "--public-url",
                               "https://bridge.clinic.lan:8443"});
  CheckExit(again, 0);
  CHECK(again.out != result.out);
}

TEST(DoctorConnectCli, RefusesWithoutTheAppForS2sAndUnknownDoctors) {
  PutDoctors();
  test::CliResult no_app = Run({"doctor", "connect", "dr-o"});
  CheckExit(no_app, 1);
  STRCMP_CONTAINS("no Zoom OAuth app is stored", no_app.err.c_str());
  StoreApp();
  test::CliResult s2s = Run({"doctor", "connect", "dr-s"});
  CheckExit(s2s, 1);
  STRCMP_CONTAINS("auth s2s", s2s.err.c_str());
  test::CliResult unknown = Run({"doctor", "connect", "nobody"});
  CheckExit(unknown, 1);
  test::CliResult bad_url =
      Run({"doctor", "connect", "dr-o", "--public-url", "http://x"});
  CHECK(bad_url.exit_code != 0);
  STRCMP_CONTAINS("public-url", bad_url.err.c_str());
}

}  // namespace telemed

namespace telemed {

// The daemon answers POST /api/v1/doctors/{id}/connect with a link on its
// --public-url once the OAuth app is stored (read live, no restart).
TEST_GROUP(DoctorConnectApi){};

TEST(DoctorConnectApi, TheDaemonMakesLinksOnItsPublicUrl) {
  test::ZoomBridge::Options options;
  options.serve_args = {"--public-url", "https://bridge.clinic.lan:9443"};
  test::ZoomBridge bridge(options);
  CHECK_TRUE(bridge.Start().ok());
  test::ApiAnswer put =
      bridge.Put("/doctors/dr-o",
                 "{\"name\":\"Dr "
                 "O\",\"auth\":\"oauth\",\"zoom_user\":\"o@clinic.example\"}");
  CHECK_TRUE_TEXT(put.status == 201, put.body.c_str());
  test::ApiAnswer refused = bridge.Post("/doctors/dr-o/connect");
  LONGS_EQUAL(409, refused.status);
  STRCMP_CONTAINS("oauth_app_not_configured", refused.body.c_str());
  std::vector<std::string> args = {"zoom",
                                   "oauth-app",
                                   "--client-id",
                                   "oauth-client-1",
                                   "--client-secret-file",
                                   "-"};
  for (const std::string& flag : bridge.CliFlags()) args.push_back(flag);
  std::string secret = "oauth-secret-1";
  test::CliResult stored = test::RunCliWithStdin(args, &secret);
  LONGS_EQUAL_TEXT(0, stored.exit_code, stored.err.c_str());
  test::ApiAnswer link = bridge.Post("/doctors/dr-o/connect");
  LONGS_EQUAL_TEXT(200, link.status, link.body.c_str());
  STRCMP_CONTAINS(
      "\"connect_url\":\"https://bridge.clinic.lan:9443/oauth/connect/",
      link.body.c_str());
  STRCMP_CONTAINS("\"expires_at\":\"", link.body.c_str());
  LONGS_EQUAL(0, bridge.Terminate());
}

}  // namespace telemed
