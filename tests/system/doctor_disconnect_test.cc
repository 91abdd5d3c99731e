// Disconnecting an OAuth doctor through the built binary: the daemon's
// POST /api/v1/doctors/{id}/disconnect and `doctor disconnect` / `doctor
// remove` on the command line. The fake Zoom must see the revoke, and the
// database file (with its WAL) must no longer hold the grant's tokens,
// sealed or not.
#include <CppUTest/TestHarness.h>

#include <chrono>
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

// The fake's meetings hosted by Zoom user `host_id`.
int MeetingsOf(test::ZoomBridge* bridge, const std::string& host_id) {
  int count = 0;
  for (const test::FakeMeeting& meeting : bridge->zoom().Meetings()) {
    count += meeting.host_id == host_id ? 1 : 0;
  }
  return count;
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

// delete_meetings through the daemon: the doctor shows disconnecting
// while its meetings are deleted (each once, through its own grant), then
// not_connected with the grant revoked and gone from the file. The
// daemon's disconnect task runs every 30 s, hence the long waits.
TEST(DoctorDisconnectDaemon, DeleteMeetingsDeletesEachOnceThenPurges) {
  const test::ZoomBridge::Connection connection =
      bridge.ConnectDoctor("dr-o", "u1");
  const std::vector<std::string> ids = {"a1", "a2"};
  for (size_t i = 0; i < ids.size(); ++i) {
    test::ApiAnswer put = bridge.PutAppointment(
        ids[i], "dr-o", test::UtcFromNow(86400 * (i + 1)), 30);
    LONGS_EQUAL_TEXT(201, put.status, put.body.c_str());
  }
  CHECK_TRUE(bridge.WaitForStatus(ids, "synced", std::chrono::seconds(60)));
  LONGS_EQUAL(2, MeetingsOf(&bridge, "u1"));
  // The deletions are slow, so the doctor is seen disconnecting.
  test::Fault slow =
      test::MakeFault("DELETE", "/v2/meetings/", test::FaultKind::kDelay, 2);
  slow.delay_ms = 1500;
  bridge.zoom().InjectFault(slow);

  test::ApiAnswer answer =
      bridge.Post("/doctors/dr-o/disconnect", R"({"delete_meetings":true})");
  LONGS_EQUAL_TEXT(200, answer.status, answer.body.c_str());
  STRCMP_CONTAINS("\"state\":\"disconnecting\"", answer.body.c_str());
  STRCMP_CONTAINS("\"meetings_to_delete\":2", answer.body.c_str());
  STRCMP_CONTAINS("\"state\":\"disconnecting\"",
                  bridge.Get("/doctors/dr-o").body.c_str());

  CHECK_TRUE(test::WaitUntil(
      [&] {
        return bridge.Get("/doctors/dr-o")
                   .body.find("\"state\":\"not_connected\"") !=
               std::string::npos;
      },
      std::chrono::seconds(120)));
  LONGS_EQUAL(0, MeetingsOf(&bridge, "u1"));
  LONGS_EQUAL(2, bridge.zoom().CountRequests("DELETE", "/v2/meetings/"));
  // The grant is purged before Zoom is asked to revoke it.
  CHECK_TRUE(test::WaitUntil([&] { return Revokes(&bridge) > 0; },
                             std::chrono::seconds(30)));
  LONGS_EQUAL(1, Revokes(&bridge));
  CHECK_FALSE(bridge.zoom().IsCurrentRefreshToken(connection.refresh_token));
  STRCMP_EQUAL("", TokensIn(bridge.DatabaseBytes(), connection).c_str());
  for (const std::string& id : ids) {
    const test::AppointmentView view = bridge.Appointment(id);
    STRCMP_EQUAL("pending", view.sync_status.c_str());
    CHECK_FALSE(view.has_meeting);
  }
}

// Zoom unreachable at the disconnect: the grant is purged at once and the
// revoke kept; the daemon sends it again once Zoom is back. Its first retry
// comes a minute later (the daemon's backoff has no setting), checked by a
// task every 30 s: this test takes 60 to 90 s.
TEST(DoctorDisconnectDaemon, ARevokeZoomDidNotTakeIsRetriedByTheDaemon) {
  const test::ZoomBridge::Connection connection =
      bridge.ConnectDoctor("dr-o", "u1");
  bridge.zoom().InjectFault(test::MakeFault("POST", "/oauth/revoke",
                                            test::FaultKind::kDropBeforeWork));
  test::ApiAnswer answer = bridge.Post("/doctors/dr-o/disconnect");
  LONGS_EQUAL_TEXT(200, answer.status, answer.body.c_str());
  STRCMP_CONTAINS("\"state\":\"not_connected\"", answer.body.c_str());
  STRCMP_EQUAL("", TokensIn(bridge.DatabaseBytes(), connection).c_str());
  CHECK_TRUE(bridge.zoom().IsCurrentRefreshToken(connection.refresh_token));
  CHECK_TRUE(test::WaitUntil(
      [&] {
        return !bridge.zoom().IsCurrentRefreshToken(connection.refresh_token);
      },
      std::chrono::seconds(150)));
  LONGS_EQUAL(2, Revokes(&bridge));
  // Revoked once it is taken: no further try.
  STRCMP_EQUAL("", TokensIn(bridge.DatabaseBytes(), connection).c_str());
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
