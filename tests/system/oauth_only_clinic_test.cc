// A clinic whose doctors all connect their own Zoom accounts stores no
// Server-to-Server app. GET /api/v1/status, `telemed-bridge status` and
// `zoom show`
// on the real daemon say the app is not needed (not a failure), name the
// doctors still to connect, and call the missing app a failure again as
// soon as an S2S doctor is registered.
#include <CppUTest/TestHarness.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/cjson.h"
#include "support/bridge_oauth.h"
#include "support/daemon_process.h"
#include "support/zoom_bridge.h"

namespace telemed {
namespace {

using std::chrono::seconds;

}  // namespace

TEST_GROUP(OAuthOnlyClinic) {
  std::unique_ptr<test::ZoomBridge> bridge;
  std::unique_ptr<test::BridgeOAuth> oauth;

  void setup() override {
    test::ZoomBridge::Options options;
    options.users = {"u1", "u2"};
    bridge = std::make_unique<test::ZoomBridge>(options);
    oauth = std::make_unique<test::BridgeOAuth>(bridge.get());
    test::CliResult forgot = Cli({"zoom", "forget", "--yes"});
    LONGS_EQUAL_TEXT(0, forgot.exit_code, forgot.err.c_str());
    Status s = bridge->Start();
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  void teardown() override {
    oauth.reset();
    bridge.reset();
  }

  test::CliResult Cli(std::vector<std::string> args) {
    std::vector<std::string> flags = bridge->CliFlags();
    args.insert(args.end(), flags.begin(), flags.end());
    return test::RunCli(args);
  }

  // /status's "zoom" once the daemon's first Zoom check is stored.
  std::string StatusZoom() {
    std::string zoom;
    CHECK_TRUE(test::WaitUntil(
        [&] {
          test::ApiAnswer answer = bridge->Get("/status");
          CjsonPtr root(cJSON_Parse(answer.body.c_str()));
          const cJSON* item = cJSON_GetObjectItem(root.get(), "zoom");
          if (answer.status != 200 || !cJSON_IsObject(item)) return false;
          zoom = PrintJson(item);
          return true;
        },
        seconds(60)));
    return zoom;
  }

  std::string ZoomStatusLine() {
    test::CliResult status =
        test::RunCli({"status", "--data-dir", bridge->CliFlags()[1]});
    LONGS_EQUAL_TEXT(0, status.exit_code, status.err.c_str());
    size_t at = status.out.find("zoom:");
    CHECK_TRUE(at != std::string::npos);
    return status.out.substr(at, status.out.find('\n', at) - at);
  }
};

TEST(OAuthOnlyClinic, TheMissingS2sAppIsNotNeededUntilAnS2sDoctorIsRegistered) {
  LONGS_EQUAL(201, oauth->PutDoctor("dr-own", "u2"));
  std::string zoom = StatusZoom();
  STRCMP_CONTAINS(R"("ok":true,"configured":false,"s2s_app_needed":false)",
                  zoom.c_str());
  STRCMP_CONTAINS("none is needed", zoom.c_str());
  STRCMP_CONTAINS(R"("doctor_id":"dr-own","state":"not_connected")",
                  bridge->Get("/status").body.c_str());
  std::string line = ZoomStatusLine();
  STRCMP_CONTAINS("all well (no Server-to-Server app needed", line.c_str());
  STRCMP_CONTAINS("; to connect: dr-own (not connected)", line.c_str());

  Status s = oauth->Connect("dr-own", "u2");
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  line = ZoomStatusLine();
  STRCMP_CONTAINS("all well (no Server-to-Server app needed", line.c_str());
  CHECK_TRUE(line.find("to connect") == std::string::npos);

  STRCMP_CONTAINS(", all well\n", Cli({"zoom", "show"}).out.c_str());

  LONGS_EQUAL(201, bridge->PutDoctor("dr-s2s", "u1@clinic.example").status);
  STRCMP_CONTAINS(R"("ok":false,"configured":false,"s2s_app_needed":true)",
                  StatusZoom().c_str());
  STRCMP_CONTAINS("no Zoom app configured", ZoomStatusLine().c_str());
  STRCMP_CONTAINS(", FAIL (credentials)", Cli({"zoom", "show"}).out.c_str());
}

}  // namespace telemed
