// The daemon's life as an operator meets it: one serve per data dir, a
// database that is never silently created or lost, signals (SIGTERM within
// the deadline whatever clients do, a second signal at once, SIGHUP kept
// alive), and messages a first-time admin can act on (status, busy port,
// permissions).
#include <CppUTest/TestHarness.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/api_client.h"
#include "support/daemon_process.h"
#include "support/temp_dir.h"
#include "support/zoom_bridge.h"

namespace telemed {
namespace {

using std::chrono::seconds;

// For a serve that must fail before it binds: were it to bind by mistake,
// RunCli's 60 s limit ends it.
const char kNeverBound[] = "127.0.0.1:1";

void CheckCli(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// A raw connection to the daemon that sends `text` and then never reads:
// a slow client, or a long-poll parked on the server.
class RawClient final {
 public:
  RawClient(int port, const std::string& text) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address),
                         sizeof(address)) == 0 &&
                 send(fd_, text.data(), text.size(), MSG_NOSIGNAL) ==
                     static_cast<ssize_t>(text.size());
  }
  ~RawClient() { close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  bool connected() const { return connected_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace

TEST_GROUP(Lifecycle) {
  test::TempDir temp;
  std::string data_dir;
  std::string api_key;
  std::unique_ptr<test::DaemonProcess> daemon;

  void setup() override { data_dir = temp.File("data"); }

  void StartClinic() {
    Status s = test::SetUpClinic(data_dir, "d1", &api_key);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    test::DaemonProcess::Options options;
    options.data_dir = data_dir;
    s = test::DaemonProcess::Start(options, &daemon);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  test::CliResult Cli(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCli(args);
  }
  // PUTs appointments a0..a{n-1}; each answered 201 is acknowledged.
  void PutAcknowledged(int n) {
    test::ApiClient api(daemon->port(), api_key);
    test::AppointmentFields fields;
    fields.doctor_id = "d1";
    for (int i = 0; i < n; ++i) {
      auto result = api.PutAppointment("a" + std::to_string(i), fields);
      CHECK_TRUE(result);
      LONGS_EQUAL(201, result->status);
    }
  }
  // Every acknowledged appointment is there after the daemon stopped.
  void CheckAcknowledgedKept(int n) {
    test::DaemonProcess::Options options;
    options.data_dir = data_dir;
    std::unique_ptr<test::DaemonProcess> again;
    Status s = test::DaemonProcess::Start(options, &again);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    test::ApiClient api(again->port(), api_key);
    for (int i = 0; i < n; ++i) {
      auto result = api.Get("/appointments/a" + std::to_string(i));
      CHECK_TRUE(result);
      LONGS_EQUAL(200, result->status);
    }
    LONGS_EQUAL(0, again->Terminate());
  }
  // A slow client (half a request) and a long-poll parked on the feed.
  std::vector<std::unique_ptr<RawClient>> ParkClients() {
    std::vector<std::unique_ptr<RawClient>> clients;
    clients.push_back(std::make_unique<RawClient>(
        daemon->port(), "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"));
    std::string cursor = "0";
    std::vector<test::StoredAppointment> items;
    std::string error;
    // A keep-alive connection the server just closed fails one read: the
    // feed's end is what matters here, so a few tries.
    bool read = false;
    for (int attempt = 0; attempt < 5 && !read; ++attempt) {
      test::ApiClient api(daemon->port(), api_key);
      read = api.ReadFeed(&cursor, 0, &items, &error);
    }
    CHECK_TRUE_TEXT(read, error.c_str());
    clients.push_back(std::make_unique<RawClient>(
        daemon->port(), "GET /api/v1/appointments?since=" + cursor +
                            "&wait=30 HTTP/1.1\r\nHost: x\r\n"
                            "Authorization: Bearer " +
                            api_key + "\r\n\r\n"));
    for (const auto& client : clients) CHECK_TRUE(client->connected());
    return clients;
  }
};

TEST(Lifecycle, ASecondServeOnTheDataDirExitsNamingTheFirst) {
  StartClinic();
  test::CliResult second = Cli({"serve", "--listen", kNeverBound});
  CheckCli(second, 1);
  STRCMP_CONTAINS(("PID " + std::to_string(daemon->pid())).c_str(),
                  second.err.c_str());
  STRCMP_CONTAINS(data_dir.c_str(), second.err.c_str());
  // The first one serves on, and the CLI works beside it.
  CheckCli(Cli({"apikey", "list"}), 0);
  LONGS_EQUAL(0, daemon->Terminate());
}

TEST(Lifecycle, StatusTellsWhetherADaemonServesTheDataDir) {
  StartClinic();
  test::CliResult running = Cli({"status"});
  CheckCli(running, 0);
  STRCMP_CONTAINS(("running, PID " + std::to_string(daemon->pid())).c_str(),
                  running.out.c_str());
  STRCMP_CONTAINS(daemon->base_url().c_str(), running.out.c_str());
  STRCMP_CONTAINS("up ", running.out.c_str());
  STRCMP_CONTAINS("sync queue:", running.out.c_str());
  STRCMP_CONTAINS("zoom:", running.out.c_str());
  LONGS_EQUAL(0, daemon->Terminate());
  test::CliResult stopped = Cli({"status"});
  CheckCli(stopped, 1);
  STRCMP_CONTAINS("daemon:     not running", stopped.out.c_str());
}

TEST(Lifecycle, ReadingCommandsNeverCreateADatabase) {
  const std::vector<std::vector<std::string>> commands = {
      {"apikey", "list"}, {"apikey", "revoke", "x"}, {"doctor", "list"},
      {"zoom", "show"},   {"zoom", "forget"},        {"zoom", "test"},
      {"status"}};
  for (const std::vector<std::string>& args : commands) {
    test::CliResult result = Cli(args);
    CheckCli(result, 1);
    STRCMP_CONTAINS(
        ("no database at " + data_dir + "/telemed-bridge.db").c_str(),
        result.err.c_str());
    CHECK_FALSE(Exists(data_dir));
  }
}

TEST(Lifecycle, SetUpCommandsSayTheyCreatedTheDatabase) {
  test::CliResult created = Cli({"apikey", "create", "pos"});
  CheckCli(created, 0);
  STRCMP_CONTAINS(
      ("created a new database at " + data_dir + "/telemed-bridge.db").c_str(),
      created.err.c_str());
  test::CliResult again =
      Cli({"doctor", "put", "d1", "--name", "N", "--auth", "oauth"});
  CheckCli(again, 0);
  // The database exists now: no second "created" line (the oauth doctor's
  // own notice may stand there).
  CHECK(again.err.find("created a new database") == std::string::npos);
}

TEST(Lifecycle, AnEmptyDatabaseFileIsRefusedNotInitialised) {
  mkdir(data_dir.c_str(), 0700);
  std::string db = data_dir + "/telemed-bridge.db";
  close(open(db.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"serve", "--listen", kNeverBound},
        std::vector<std::string>{"apikey", "create", "pos"}}) {
    test::CliResult result = Cli(args);
    CheckCli(result, 1);
    STRCMP_CONTAINS((db + " is empty").c_str(), result.err.c_str());
  }
  struct stat st;
  LONGS_EQUAL(0, stat(db.c_str(), &st));
  LONGS_EQUAL(0, st.st_size);
}

TEST(Lifecycle, ADataDirOthersMayWriteIsRefused) {
  CheckCli(Cli({"apikey", "create", "pos"}), 0);
  chmod(data_dir.c_str(), 0777);
  test::CliResult result = Cli({"serve", "--listen", kNeverBound});
  CheckCli(result, 1);
  STRCMP_CONTAINS(data_dir.c_str(), result.err.c_str());
  STRCMP_CONTAINS("mode 0777", result.err.c_str());
  STRCMP_CONTAINS("owner ", result.err.c_str());
}

TEST(Lifecycle, ADeletedDatabaseFailsWritesAndEndsTheDaemon) {
  StartClinic();
  PutAcknowledged(1);
  LONGS_EQUAL(0, unlink((data_dir + "/telemed-bridge.db").c_str()));
  test::ApiClient api(daemon->port(), api_key);
  test::AppointmentFields fields;
  fields.doctor_id = "d1";
  auto result = api.PutAppointment("after", fields);
  // Either the write failed (503), or the daemon already stopped on it.
  if (result) LONGS_EQUAL(503, result->status);
  CHECK_TRUE(daemon->WaitForStderr("was deleted"));
  int code = daemon->SignalAndWait(0, seconds(30));
  LONGS_EQUAL(1, code);
  CHECK_FALSE(Exists(data_dir + "/telemed-bridge.db"));
}

TEST(Lifecycle, SigtermEndsWithinTheDeadlineWhateverClientsDo) {
  StartClinic();
  PutAcknowledged(5);
  std::vector<std::unique_ptr<RawClient>> clients = ParkClients();
  auto start = std::chrono::steady_clock::now();
  // The stop deadline is 8 s; 10 s is what the daemon promises.
  int code = daemon->SignalAndWait(SIGTERM, seconds(10));
  double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  UT_PRINT(("SIGTERM to exit: " + std::to_string(took) + " s").c_str());
  LONGS_EQUAL_TEXT(0, code, daemon->Stderr().c_str());
  clients.clear();
  CheckAcknowledgedKept(5);
}

TEST(Lifecycle, SighupKeepsServing) {
  StartClinic();
  kill(daemon->pid(), SIGHUP);
  CHECK_TRUE(daemon->WaitForStderr("SIGHUP ignored"));
  PutAcknowledged(1);
  LONGS_EQUAL(0, daemon->Terminate());
}

TEST(Lifecycle, ABusyPortIsNamedWithItsPossibleHolder) {
  StartClinic();
  test::TempDir other;
  std::string port = std::to_string(daemon->port());
  test::CliResult second =
      test::RunCli({"serve", "--data-dir", other.File("data"), "--listen",
                    "127.0.0.1:" + port});
  CheckCli(second, 1);
  STRCMP_CONTAINS(("port " + port + " is already in use").c_str(),
                  second.err.c_str());
  STRCMP_CONTAINS("another telemed-bridge", second.err.c_str());
  LONGS_EQUAL(0, daemon->Terminate());
}

TEST_GROUP(LifecycleZoom){};

namespace {

// Starts the bridge and lets one Zoom create hang (Zoom did the work but
// holds its answer for 20 s): a stop has to wait for it or cut it off.
void StartWithAHungCreate(test::ZoomBridge* bridge) {
  Status s = bridge->Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(201, bridge->PutDoctor("d1", "u1").status);
  test::Fault hang =
      test::MakeFault("POST", "/v2/users/", test::FaultKind::kDelayAfterWork);
  hang.delay_ms = 20000;
  bridge->zoom().InjectFault(hang);
  int put = bridge->PutAppointment("a1", "d1", test::UtcFromNow(2 * 86400), 30)
                .status;
  LONGS_EQUAL(201, put);
  CHECK_TRUE(test::WaitUntil(
      [&] {
        for (const test::LoggedRequest& entry : bridge->zoom().Requests()) {
          if (entry.method == "POST" && entry.finished) return true;
        }
        return false;
      },
      seconds(20)));
}

}  // namespace

// A Zoom create that hangs past the stop deadline is cut off, the daemon
// exits 0 in time, and the next start finds the meeting Zoom made (by its
// marker) rather than making a second one.
TEST(LifecycleZoom, SigtermCutsAHungZoomCallAndTheMeetingStaysSingle) {
  test::ZoomBridge bridge;
  StartWithAHungCreate(&bridge);
  auto start = std::chrono::steady_clock::now();
  int code = bridge.Terminate();
  double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  UT_PRINT(
      ("SIGTERM to exit with a Zoom call hung: " + std::to_string(took) + " s")
          .c_str());
  LONGS_EQUAL_TEXT(0, code, bridge.Stderr().c_str());
  CHECK_TRUE(took < 10.0);
  Status s = bridge.Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  // The restarted daemon finds the cut-off create's meeting after about
  // 20 s on an idle machine; a loaded one (CI) took over 30.
  CHECK_TRUE(bridge.WaitForStatus({"a1"}, "synced", seconds(90)));
  STRCMP_EQUAL("", bridge.FindMeetingProblems({"a1"}).c_str());
}

// Held up by that hung call, the stop waits; a second signal ends the
// process at once, exit code 1, and nothing acknowledged is lost.
TEST(LifecycleZoom, ASecondSignalExitsAtOnce) {
  test::ZoomBridge bridge;
  StartWithAHungCreate(&bridge);
  kill(bridge.pid(), SIGTERM);
  CHECK_TRUE(test::WaitUntil(
      [&] {
        return bridge.Stderr().find("stopping on SIGTERM") != std::string::npos;
      },
      seconds(5)));
  // Well before the 8 s deadline would end it.
  int code = bridge.SignalAndWait(SIGINT, seconds(5));
  LONGS_EQUAL_TEXT(1, code, bridge.Stderr().c_str());
  STRCMP_CONTAINS("second SIGINT", bridge.Stderr().c_str());
  Status s = bridge.Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  // The restarted daemon finds the cut-off create's meeting after about
  // 20 s on an idle machine; a loaded one (CI) took over 30.
  CHECK_TRUE(bridge.WaitForStatus({"a1"}, "synced", seconds(90)));
  STRCMP_EQUAL("", bridge.FindMeetingProblems({"a1"}).c_str());
}

}  // namespace telemed
