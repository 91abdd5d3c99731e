// Disconnecting an OAuth doctor through the built binary: the daemon's
// POST /api/v1/doctors/{id}/disconnect and `doctor disconnect` / `doctor
// remove` on the command line. The fake Zoom must see the revoke, and the
// database file (with its WAL) must no longer hold the grant's tokens,
// sealed or not.
#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "support/daemon_process.h"
#include "support/zoom_bridge.h"

namespace telemed {

namespace {

// The tokens of `connection` still in `bytes`, one line each; "" when none.
std::string TokensIn(const std::string& bytes,
                     const test::ZoomBridge::Connection& connection) {
  std::string found;
  const std::vector<std::pair<const char*, std::string>> tokens = {
      {"access token", connection.access_token},
      {"refresh token", connection.refresh_token},
      {"sealed access token", connection.sealed_access},
      {"sealed refresh token", connection.sealed_refresh}};
  for (const auto& token : tokens) {
    if (bytes.find(token.second) != std::string::npos) {
      found += std::string(token.first) + " is still in the database\n";
    }
  }
  return found;
}

int Revokes(test::ZoomBridge* bridge) {
  return bridge->zoom().CountRequests("POST", "/oauth/revoke");
}

}  // namespace

TEST_GROUP(DoctorDisconnectDaemon) {
  test::ZoomBridge bridge;

  void setup() override {
    CHECK_TRUE(bridge.Start().ok());
    test::ApiAnswer put = bridge.Put(
        "/doctors/dr-o",
        R"({"name":"Dr O","auth":"oauth","zoom_user":"u1@clinic.example"})");
    LONGS_EQUAL_TEXT(201, put.status, put.body.c_str());
  }
};

TEST(DoctorDisconnectDaemon, RevokesAtZoomAndLeavesNoTokenInTheFile) {
  const test::ZoomBridge::Connection connection =
      bridge.ConnectDoctor("dr-o", "u1");
  // The check can see the sealed tokens before the disconnect.
  CHECK(bridge.DatabaseBytes().find(connection.sealed_refresh) !=
        std::string::npos);
  test::ApiAnswer got = bridge.Get("/doctors/dr-o");
  STRCMP_CONTAINS("\"state\":\"connected\"", got.body.c_str());

  test::ApiAnswer answer = bridge.Post("/doctors/dr-o/disconnect");
  LONGS_EQUAL_TEXT(200, answer.status, answer.body.c_str());
  STRCMP_CONTAINS("\"state\":\"not_connected\"", answer.body.c_str());
  LONGS_EQUAL(1, Revokes(&bridge));
  CHECK_FALSE(bridge.zoom().IsCurrentRefreshToken(connection.refresh_token));
  STRCMP_EQUAL("", TokensIn(bridge.DatabaseBytes(), connection).c_str());

  // Again: nothing to do, still a success.
  answer =
      bridge.Post("/doctors/dr-o/disconnect", R"({"delete_meetings":true})");
  LONGS_EQUAL_TEXT(200, answer.status, answer.body.c_str());
  LONGS_EQUAL(1, Revokes(&bridge));
}

TEST(DoctorDisconnectDaemon, RefusesS2sAndUnknownDoctors) {
  bridge.PutDoctor("dr-s", "u1@clinic.example");
  test::ApiAnswer answer = bridge.Post("/doctors/dr-s/disconnect");
  LONGS_EQUAL(409, answer.status);
  STRCMP_CONTAINS("doctor_not_oauth", answer.body.c_str());
  answer = bridge.Post("/doctors/nobody/disconnect");
  LONGS_EQUAL(404, answer.status);
  STRCMP_CONTAINS("doctor_not_found", answer.body.c_str());
}

TEST_GROUP(DoctorDisconnectCli) {
  test::ZoomBridge bridge;

  // With the data dir, the key and the Zoom flags.
  test::CliResult Run(std::vector<std::string> args) {
    for (const std::string& flag : bridge.CliFlags()) args.push_back(flag);
    return test::RunCli(args);
  }
  // With the data dir alone.
  test::CliResult RunOnData(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(bridge.CliFlags()[1]);
    return test::RunCli(args);
  }

  void CheckExit(const test::CliResult& result, int exit_code) {
    std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
    LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
  }

  void setup() override {
    CheckExit(RunOnData({"doctor", "put", "dr-o", "--name", "Dr O", "--auth",
                         "oauth", "--zoom-user", "u1@clinic.example"}),
              0);
    CheckExit(RunOnData({"doctor", "put", "dr-s", "--name", "Dr S",
                         "--zoom-user", "u1@clinic.example"}),
              0);
  }
};

TEST(DoctorDisconnectCli, DisconnectsOnceThenSaysThereIsNothingToDo) {
  const test::ZoomBridge::Connection connection =
      bridge.ConnectDoctor("dr-o", "u1");
  test::CliResult result = Run({"doctor", "disconnect", "dr-o"});
  CheckExit(result, 0);
  STRCMP_CONTAINS("Disconnected doctor dr-o", result.out.c_str());
  LONGS_EQUAL(1, Revokes(&bridge));
  STRCMP_EQUAL("", TokensIn(bridge.DatabaseBytes(), connection).c_str());
  result = Run({"doctor", "disconnect", "dr-o", "--delete-meetings"});
  CheckExit(result, 0);
  STRCMP_CONTAINS("was not connected", result.out.c_str());
  LONGS_EQUAL(1, Revokes(&bridge));
}

TEST(DoctorDisconnectCli, RefusesS2sUnknownDoctorsAndBadArguments) {
  test::CliResult result = Run({"doctor", "disconnect", "dr-s"});
  CheckExit(result, 1);
  STRCMP_CONTAINS("auth s2s", result.err.c_str());
  result = Run({"doctor", "disconnect", "nobody"});
  CheckExit(result, 1);
  STRCMP_CONTAINS("nobody", result.err.c_str());
  CheckExit(Run({"doctor", "disconnect"}), 2);
  CheckExit(Run({"doctor", "disconnect", "dr-o", "--delete-meeting"}), 2);
}

TEST(DoctorDisconnectCli, RemovingAnOauthDoctorRevokesAndPurgesItsGrant) {
  const test::ZoomBridge::Connection connection =
      bridge.ConnectDoctor("dr-o", "u1");
  test::CliResult result = Run({"doctor", "remove", "dr-o"});
  CheckExit(result, 0);
  LONGS_EQUAL(1, Revokes(&bridge));
  CHECK_FALSE(bridge.zoom().IsCurrentRefreshToken(connection.refresh_token));
  STRCMP_EQUAL("", TokensIn(bridge.DatabaseBytes(), connection).c_str());
  // An S2S doctor needs no Zoom at all.
  CheckExit(RunOnData({"doctor", "remove", "dr-s"}), 0);
}

}  // namespace telemed
