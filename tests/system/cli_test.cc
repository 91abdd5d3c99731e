// The telemed-bridge binary driven as an operator would: the apikey and
// doctor commands (CliCommands) and the serve lifecycle (CliServe).
#include <CppUTest/TestHarness.h>
#include <httplib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/fake_clock.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "support/api_client.h"
#include "support/daemon_process.h"
#include "support/temp_dir.h"

namespace telemed {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

int GetDoctors(const test::DaemonProcess& daemon, const std::string& key) {
  httplib::Client client("127.0.0.1", daemon.port());
  auto response =
      client.Get("/api/v1/doctors", {{"Authorization", "Bearer " + key}});
  return response ? response->status : -1;
}

void CheckCli(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

}  // namespace

TEST_GROUP(CliCommands) {
  test::TempDir temp;
  std::string data_dir;

  void setup() override { data_dir = temp.File("data"); }

  test::CliResult Run(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCli(args);
  }
  // Creates a key and returns it (the last line of stdout).
  std::string CreateKey(const std::string& name) {
    test::CliResult result = Run({"apikey", "create", name});
    CheckCli(result, 0);
    return Lines(result.out).back();
  }
  // The CLI's database, opened in the test on `clock` (2026-01-01).
  std::unique_ptr<Store> OpenDatabase(FakeClock * clock) {
    Store::Options options;
    options.path = data_dir + "/telemed-bridge.db";
    options.clock = clock;
    std::unique_ptr<Store> store;
    CHECK_TRUE(Store::Open(options, &store).ok());
    return store;
  }
};

TEST(CliCommands, ApiKeyCreatePrintsTheKeyLastAfterAWarning) {
  test::CliResult result = Run({"apikey", "create", "pos"});
  CheckCli(result, 0);
  std::vector<std::string> lines = Lines(result.out);
  CHECK_TRUE(lines.size() >= 2);
  STRCMP_CONTAINS("not shown again", lines[lines.size() - 2].c_str());
  // "tbk_" + base64url of 32 bytes: 43 characters.
  STRNCMP_EQUAL("tbk_", lines.back().c_str(), 4);
  LONGS_EQUAL(4 + 43, lines.back().size());
}

TEST(CliCommands, ADuplicateActiveNameExitsOne) {
  CreateKey("pos");
  test::CliResult result = Run({"apikey", "create", "pos"});
  CheckCli(result, 1);
  STRCMP_EQUAL("telemed-bridge: api key name 'pos' is already active\n",
               result.err.c_str());
  STRCMP_EQUAL("", result.out.c_str());
}

TEST(CliCommands, ListShowsNamesStatusAndTimesButNeverKeys) {
  std::string pos = CreateKey("pos");
  std::string lab = CreateKey("lab");
  CheckCli(Run({"apikey", "revoke", "lab"}), 0);
  test::CliResult result = Run({"apikey", "list"});
  CheckCli(result, 0);
  std::vector<std::string> lines = Lines(result.out);
  LONGS_EQUAL(3, lines.size());
  STRCMP_CONTAINS("LAST USED", lines[0].c_str());
  STRCMP_CONTAINS("revoked", lines[1].c_str());
  STRCMP_CONTAINS("active", lines[2].c_str());
  STRCMP_CONTAINS("Z  never", lines[2].c_str());
  CHECK_TRUE(result.out.find(pos) == std::string::npos);
  CHECK_TRUE(result.out.find(lab) == std::string::npos);
  CHECK_TRUE(result.out.find("tbk_") == std::string::npos);
}

TEST(CliCommands, ARevokedNameMayBeCreatedAgain) {
  CreateKey("pos");
  CheckCli(Run({"apikey", "revoke", "pos"}), 0);
  test::CliResult again = Run({"apikey", "revoke", "pos"});
  CheckCli(again, 1);
  STRCMP_CONTAINS("no active api key is named 'pos'", again.err.c_str());
  CreateKey("pos");
}

TEST(CliCommands, DoctorPutKeepsOmittedFlags) {
  CheckCli(Run({"doctor", "put", "d1", "--name", "Dr Ada Lovelace",
                "--zoom-user", "ada@clinic.example"}),
           0);
  CheckCli(Run({"doctor", "put", "d1", "--auth", "oauth"}), 0);
  CheckCli(Run({"doctor", "put", "d1", "--name", "Dr Ada King"}), 0);
  test::CliResult list = Run({"doctor", "list"});
  CheckCli(list, 0);
  std::vector<std::string> lines = Lines(list.out);
  LONGS_EQUAL(2, lines.size());
  STRCMP_CONTAINS("d1  Dr Ada King  oauth  ada@clinic.example",
                  lines[1].c_str());
}

TEST(CliCommands, DoctorListShowsEachOauthDoctorsConnection) {
  CheckCli(Run({"doctor", "put", "d1", "--name", "A", "--auth", "oauth"}), 0);
  CheckCli(Run({"doctor", "put", "d2", "--name", "B", "--auth", "oauth"}), 0);
  CheckCli(Run({"doctor", "put", "d3", "--name", "C", "--zoom-user", "c@d.e"}),
           0);
  {
    FakeClock clock;
    std::unique_ptr<Store> store = OpenDatabase(&clock);
    DoctorGrant grant;
    grant.doctor_id = "d2";
    grant.sealed_access_token = "sealed";
    grant.sealed_refresh_token = "sealed";
    int64_t generation = 0;
    CHECK_TRUE(store->PutGrant(grant, &generation).ok());
  }
  test::CliResult list = Run({"doctor", "list"});
  CheckCli(list, 0);
  std::vector<std::string> lines = Lines(list.out);
  LONGS_EQUAL(4, lines.size());
  STRCMP_CONTAINS("OAUTH", lines[0].c_str());
  auto last_word = [](const std::string& line) {
    return line.substr(line.find_last_of(' ') + 1);
  };
  STRCMP_EQUAL("not_connected", last_word(lines[1]).c_str());
  STRCMP_EQUAL("connected", last_word(lines[2]).c_str());
  STRCMP_EQUAL("-", last_word(lines[3]).c_str());
}

TEST(CliCommands, DoctorPutUsesTheApisRules) {
  test::CliResult no_name =
      Run({"doctor", "put", "d2", "--zoom-user", "x@y.z"});
  CheckCli(no_name, 1);
  STRCMP_CONTAINS("telemed-bridge: invalid --name", no_name.err.c_str());
  test::CliResult bad_auth =
      Run({"doctor", "put", "d2", "--name", "B", "--auth", "saml"});
  CheckCli(bad_auth, 1);
  STRCMP_CONTAINS("--auth", bad_auth.err.c_str());
  test::CliResult no_user = Run({"doctor", "put", "d2", "--name", "B"});
  CheckCli(no_user, 1);
  STRCMP_CONTAINS("--zoom-user", no_user.err.c_str());
  CheckCli(Run({"doctor", "put", "d2", "--name", "B", "--auth", "oauth"}), 0);
  CheckCli(Run({"doctor", "put", "../x", "--name", "B", "--auth", "oauth"}), 1);
}

TEST(CliCommands, DoctorRemovePrintsWhatItRemoved) {
  CheckCli(Run({"doctor", "put", "d1", "--name", "Dr Ada Lovelace",
                "--zoom-user", "ada@clinic.example"}),
           0);
  test::CliResult removed = Run({"doctor", "remove", "d1"});
  CheckCli(removed, 0);
  STRCMP_EQUAL(
      "Removed doctor d1 (Dr Ada Lovelace, s2s, ada@clinic.example).\n",
      removed.out.c_str());
  STRCMP_CONTAINS("No doctors", Run({"doctor", "list"}).out.c_str());
  test::CliResult again = Run({"doctor", "remove", "d1"});
  CheckCli(again, 1);
  STRCMP_EQUAL("telemed-bridge: no doctor d1\n", again.err.c_str());
  CheckCli(Run({"doctor", "remove", "../x"}), 1);
  CheckCli(Run({"doctor", "remove"}), 2);
}

TEST(CliCommands, DoctorRemoveIsRefusedWhileAppointmentsAreOpen) {
  CheckCli(Run({"doctor", "put", "d1", "--name", "A", "--auth", "oauth"}), 0);
  {
    FakeClock clock;  // 2026-01-01: the appointment below has not ended
    std::unique_ptr<Store> store = OpenDatabase(&clock);
    AppointmentRequest request;
    request.id = "a1";
    request.doctor_id = "d1";
    request.start_time = 1893456000;  // 2030-01-01T00:00:00Z
    request.duration_minutes = 30;
    WriteOutcome outcome;
    Appointment stored;
    CHECK_TRUE(store->PutAppointment(request, &outcome, &stored).ok());
  }
  test::CliResult refused = Run({"doctor", "remove", "d1"});
  CheckCli(refused, 1);
  STRCMP_CONTAINS(
      "telemed-bridge: doctor d1 still has 1 appointment that is "
      "not cancelled or ended",
      refused.err.c_str());
  STRCMP_CONTAINS("d1", Run({"doctor", "list"}).out.c_str());
}

TEST(CliCommands, StoredControlCharactersArePrintedEscaped) {
  CheckCli(Run({"doctor", "put", "d1", "--name", "Dr\x1b[2J\tA", "--zoom-user",
                "a@b.c"}),
           1);
  CheckCli(
      Run({"doctor", "put", "d1", "--name", "Dr A", "--zoom-user", "a@b.c"}),
      0);
  // A row written before the API refused control characters.
  {
    SqliteDb db;
    CHECK_TRUE(
        SqliteDb::Open(data_dir + "/telemed-bridge.db", 10000, &db).ok());
    CHECK_TRUE(db.Exec("UPDATE doctors SET name = 'Dr' || char(27) ||"
                       " '[2J' || char(13) || char(155) || 'X'",
                       "plant a name")
                   .ok());
  }
  test::CliResult list = Run({"doctor", "list"});
  CheckCli(list, 0);
  STRCMP_CONTAINS("d1  Dr\\x1b[2J\\x0d\\u009bX  s2s", list.out.c_str());
  CHECK_TRUE(list.out.find('\x1b') == std::string::npos);
  test::CliResult removed = Run({"doctor", "remove", "d1"});
  CheckCli(removed, 0);
  STRCMP_CONTAINS("(Dr\\x1b[2J\\x0d\\u009bX, s2s", removed.out.c_str());
}

TEST(CliCommands, OptionsMayStandAnywhereAfterTheCommand) {
  CheckCli(test::RunCli({"apikey", "create", "--data-dir", data_dir, "pos"}),
           0);
  CheckCli(test::RunCli({"doctor", "put", "--name", "N", "--data-dir", data_dir,
                         "d1", "--auth=oauth"}),
           0);
  test::CliResult list =
      test::RunCli({"apikey", "list", "--data-dir=" + data_dir});
  CheckCli(list, 0);
  STRCMP_CONTAINS("pos", list.out.c_str());
}

TEST(CliCommands, FlagsWinOverTheEnvironment) {
  std::string other = temp.File("other");
  CheckCli(test::RunCli({"apikey", "create", "pos", "--data-dir", data_dir},
                        {"TELEMED_DATA_DIR=" + other}),
           0);
  // The environment's data dir has no database, and listing makes none.
  test::CliResult from_env =
      test::RunCli({"apikey", "list"}, {"TELEMED_DATA_DIR=" + other});
  CheckCli(from_env, 1);
  STRCMP_CONTAINS(("no database at " + other).c_str(), from_env.err.c_str());
  test::CliResult from_flag =
      test::RunCli({"apikey", "list"}, {"TELEMED_DATA_DIR=" + data_dir});
  STRCMP_CONTAINS("pos", from_flag.out.c_str());
}

TEST(CliCommands, RootKeepsFilesWithTheDataDirsOwner) {
  if (geteuid() != 0) {
    UT_PRINT("not root: nothing to switch");
    return;
  }
  const uid_t kNobody = 65534;
  chmod(temp.path().c_str(), 0711);
  mkdir(data_dir.c_str(), 0700);
  LONGS_EQUAL(0, chown(data_dir.c_str(), kNobody, kNobody));
  CreateKey("pos");
  struct stat st;
  LONGS_EQUAL(0, stat((data_dir + "/telemed-bridge.db").c_str(), &st));
  LONGS_EQUAL(kNobody, st.st_uid);
}

TEST(CliCommands, ABadFlagExitsTwoWithUsageOnStderr) {
  test::CliResult result = Run({"apikey", "list", "--verbose"});
  CheckCli(result, 2);
  STRCMP_EQUAL("", result.out.c_str());
  STRCMP_CONTAINS("unknown option --verbose", result.err.c_str());
  STRCMP_CONTAINS("usage: telemed-bridge apikey list", result.err.c_str());
  CheckCli(test::RunCli({"apikey", "create"}), 2);
  CheckCli(test::RunCli({"nonsense"}), 2);
}

TEST(CliCommands, HelpEverywhereExitsZeroWithUsageOnStdout) {
  const std::vector<std::vector<std::string>> commands = {
      {"--help"},
      {"serve", "--help"},
      {"apikey", "--help"},
      {"apikey", "create", "--help"},
      {"apikey", "list", "-h"},
      {"apikey", "revoke", "--help"},
      {"doctor", "--help"},
      {"doctor", "put", "--help"},
      {"doctor", "list", "--help"},
      {"doctor", "remove", "--help"},
      {"version", "--help"}};
  for (const std::vector<std::string>& args : commands) {
    test::CliResult result = test::RunCli(args);
    CheckCli(result, 0);
    STRCMP_CONTAINS("usage: telemed-bridge", result.out.c_str());
    STRCMP_EQUAL("", result.err.c_str());
  }
  test::CliResult version = test::RunCli({"--version"});
  CheckCli(version, 0);
  STRNCMP_EQUAL("telemed-bridge ", version.out.c_str(), 15);
}

TEST_GROUP(CliServe) {
  std::unique_ptr<test::DaemonProcess> daemon;

  void Start(const test::DaemonProcess::Options& options) {
    Status s = test::DaemonProcess::Start(options, &daemon);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
};

TEST(CliServe, AnswersHealthLogsItsAddressAndStopsOnSigterm) {
  Start({});
  std::string log = daemon->Stderr();
  STRCMP_CONTAINS(("listening on " + daemon->base_url()).c_str(), log.c_str());
  STRCMP_CONTAINS(
      ("apikey create NAME --data-dir " + daemon->data_dir()).c_str(),
      log.c_str());
  CHECK_TRUE(log.find("warning") == std::string::npos);
  CHECK_TRUE(daemon->WaitForStderr("purged 0 appointment(s)"));
  LONGS_EQUAL(0, daemon->Terminate());
  STRCMP_CONTAINS("stopping on SIGTERM", daemon->Stderr().c_str());
  LONGS_EQUAL(0700, ModeOf(daemon->data_dir()));
  LONGS_EQUAL(0600, ModeOf(daemon->data_dir() + "/telemed-bridge.db"));
}

TEST(CliServe, RevocationHoldsAtOnceAndLastUseIsKept) {
  Start({});
  std::vector<std::string> dir = {"--data-dir", daemon->data_dir()};
  test::CliResult created =
      test::RunCli({"apikey", "create", "pos", dir[0], dir[1]});
  CheckCli(created, 0);
  std::string key = Lines(created.out).back();
  LONGS_EQUAL(200, GetDoctors(*daemon, key));
  CheckCli(test::RunCli({"apikey", "revoke", "pos", dir[0], dir[1]}), 0);
  LONGS_EQUAL(401, GetDoctors(*daemon, key));
  LONGS_EQUAL(0, daemon->Terminate());
  test::CliResult list = test::RunCli({"apikey", "list", dir[0], dir[1]});
  CHECK_TRUE_TEXT(list.out.find("never") == std::string::npos,
                  list.out.c_str());
}

TEST(CliServe, ListeningBeyondLoopbackWarns) {
  test::DaemonProcess::Options options;
  options.listen_host = "0.0.0.0";
  Start(options);
  std::string log = daemon->Stderr();
  STRCMP_CONTAINS("warning: 0.0.0.0 can be reached from other machines",
                  log.c_str());
  STRCMP_CONTAINS("in clear", log.c_str());
  LONGS_EQUAL(0, daemon->Terminate());
}

TEST(CliServe, SigintStopsItToo) {
  Start({});
  // Only SIGINT: a SIGTERM after it would be a second signal (exit 1).
  LONGS_EQUAL(0, daemon->SignalAndWait(SIGINT, std::chrono::seconds(30)));
  STRCMP_CONTAINS("stopping on SIGINT", daemon->Stderr().c_str());
}

TEST(CliServe, ABusyPortFailsWithExitOne) {
  Start({});
  test::TempDir temp;
  test::CliResult second =
      test::RunCli({"serve", "--data-dir", temp.File("data"), "--listen",
                    "127.0.0.1:" + std::to_string(daemon->port())});
  CheckCli(second, 1);
  STRCMP_CONTAINS("error:", second.err.c_str());
}

namespace {
// A datagram socket standing in for systemd's notification socket.
class NotifySocket final {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    timeval timeout{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~NotifySocket() { close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // Reads messages until one contains `needle` (true) or 30 s pass quietly.
  bool WaitFor(const std::string& needle) {
    char buffer[512];
    ssize_t n;
    while ((n = recv(fd_, buffer, sizeof(buffer), 0)) > 0) {
      if (std::string(buffer, n).find(needle) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::string path_;
  int fd_ = -1;
};
}  // namespace

TEST_GROUP(CliServeNotify) { test::TempDir temp; };

TEST(CliServeNotify, TellsSystemdReadyStatusWatchdogAndStopping) {
  NotifySocket notify(temp.File("notify"));
  test::DaemonProcess::Options options;
  options.env = {"NOTIFY_SOCKET=" + temp.File("notify"),
                 "WATCHDOG_USEC=200000"};
  std::unique_ptr<test::DaemonProcess> daemon;
  Status s = test::DaemonProcess::Start(options, &daemon);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(notify.WaitFor("READY=1"));
  CHECK_TRUE(notify.WaitFor("STATUS=serving 127.0.0.1:"));
  // Each ping follows a real request to the API (service/watchdog.h).
  CHECK_TRUE(notify.WaitFor("WATCHDOG=1"));
  CHECK_TRUE(notify.WaitFor("WATCHDOG=1"));
  LONGS_EQUAL(0, daemon->Terminate());
  CHECK_TRUE(notify.WaitFor("STOPPING=1"));
  STRCMP_CONTAINS(
      "systemd watchdog: checking the API and the sync runner every 50 ms",
      daemon->Stderr().c_str());
}

// systemctl status shows the queue as it moves: a PUT appointment appears
// in the STATUS= line within its 2 s refresh (without a Zoom app it ends up
// failed).
TEST(CliServeNotify, TheStatusLineFollowsTheQueue) {
  std::string data_dir = temp.File("data");
  std::string api_key;
  Status s = test::SetUpClinic(data_dir, "d1", &api_key);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  NotifySocket notify(temp.File("notify"));
  test::DaemonProcess::Options options;
  options.data_dir = data_dir;
  options.env = {"NOTIFY_SOCKET=" + temp.File("notify")};
  std::unique_ptr<test::DaemonProcess> daemon;
  s = test::DaemonProcess::Start(options, &daemon);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(notify.WaitFor("0 pending, 0 failed; Zoom"));
  test::ApiClient api(daemon->port(), api_key);
  test::AppointmentFields fields;
  fields.doctor_id = "d1";
  auto result = api.PutAppointment("a1", fields);
  CHECK_TRUE(result);
  LONGS_EQUAL(201, result->status);
  CHECK_TRUE(notify.WaitFor("0 pending, 1 failed; Zoom not set up"));
  LONGS_EQUAL(0, daemon->Terminate());
  CHECK_TRUE(notify.WaitFor("STATUS=stopping: finishing requests in flight"));
}

}  // namespace telemed
