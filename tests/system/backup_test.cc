// backup and restore driven through the binary beside a real daemon: a
// backup taken while PUTs run is whole, restore is refused while the
// daemon serves and for a bad file, and after a restore of an older backup
// every client's feed cursor is refused (409 cursor_invalid).
#include "store/backup.h"

#include <CppUTest/TestHarness.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/api_client.h"
#include "support/daemon_process.h"
#include "support/temp_dir.h"
#include "support/zoom_bridge.h"

namespace telemed {
namespace {

void CheckCli(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

std::string ReadFile(const std::string& path) {
  std::string text;
  int fd = open(path.c_str(), O_RDONLY);
  char buffer[1 << 14];
  ssize_t n;
  while (fd >= 0 && (n = read(fd, buffer, sizeof buffer)) > 0) {
    text.append(buffer, n);
  }
  if (fd >= 0) close(fd);
  return text;
}

test::AppointmentFields Fields() {
  test::AppointmentFields fields;
  fields.doctor_id = "dr-1";
  fields.topic = "Check-up";
  return fields;
}

// Gives `dir` and the files in it to `uid`.
void ChownTree(const std::string& dir, uid_t uid) {
  LONGS_EQUAL(0, chown(dir.c_str(), uid, uid));
  DIR* handle = opendir(dir.c_str());
  CHECK_TRUE(handle != nullptr);
  while (dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    LONGS_EQUAL(0, chown((dir + "/" + name).c_str(), uid, uid));
  }
  closedir(handle);
}

uid_t OwnerOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_uid : static_cast<uid_t>(-1);
}

}  // namespace

TEST_GROUP(BackupRestore) {
  test::TempDir temp;
  std::string data_dir;
  std::string api_key;
  std::unique_ptr<test::DaemonProcess> daemon;

  void setup() override {
    data_dir = temp.File("data");
    Status s = test::SetUpClinic(data_dir, "dr-1", &api_key);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }

  void Start(std::vector<std::string> args = {}) {
    test::DaemonProcess::Options options;
    options.data_dir = data_dir;
    options.args = args;
    Status s = test::DaemonProcess::Start(options, &daemon);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  void Stop() { LONGS_EQUAL(0, daemon->Terminate()); }

  test::CliResult Cli(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCli(args);
  }
  void Put(const std::string& id) {
    test::ApiClient api(daemon->port(), api_key);
    auto result = api.PutAppointment(id, Fields());
    CHECK_TRUE(result);
    LONGS_EQUAL(201, result->status);
  }
};

TEST(BackupRestore, ABackupTakenWhilePutsRunIsWhole) {
  Start();
  std::atomic<bool> done{false};
  std::atomic<int> acknowledged{0};
  std::thread writer([&] {
    test::ApiClient api(daemon->port(), api_key);
    for (int i = 0; !done; ++i) {
      auto result = api.PutAppointment("w" + std::to_string(i), Fields());
      if (result && result->status == 201) ++acknowledged;
    }
  });
  struct Taken {
    int acknowledged_before, acknowledged_after, exit_code;
    std::string file;
  };
  std::vector<Taken> taken;
  for (int i = 0; i < 3; ++i) {
    std::string file = temp.File("during" + std::to_string(i) + ".db");
    int before = acknowledged;
    int exit_code = Cli({"backup", file}).exit_code;
    taken.push_back({before, acknowledged, exit_code, file});
  }
  done = true;
  writer.join();
  for (const Taken& backup : taken) {
    LONGS_EQUAL(0, backup.exit_code);
    BackupSummary summary;
    Status s = CheckBackupFile(backup.file, &summary);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    // Every PUT acknowledged before the backup began is in it; at most the
    // one in flight when it ended is there without its answer yet.
    CHECK_TRUE(summary.appointments >= backup.acknowledged_before);
    CHECK_TRUE(summary.appointments <= backup.acknowledged_after + 1);
  }
  CHECK_TRUE(acknowledged > 0);
  Stop();
}

TEST(BackupRestore, RestoreIsRefusedWhileTheDaemonServes) {
  Start();
  Put("a1");
  std::string file = temp.File("copy.db");
  CheckCli(Cli({"backup", file}), 0);
  std::string before = ReadFile(data_dir + "/telemed-bridge.db");
  test::CliResult result = Cli({"restore", file});
  CheckCli(result, 1);
  STRCMP_CONTAINS(("PID " + std::to_string(daemon->pid())).c_str(),
                  result.err.c_str());
  STRCMP_CONTAINS("Stop it first", result.err.c_str());
  test::ApiClient api(daemon->port(), api_key);
  auto get = api.Get("/appointments/a1");
  CHECK_TRUE(get);
  LONGS_EQUAL(200, get->status);
  Stop();
}

TEST(BackupRestore, ACorruptBackupReplacesNothing) {
  Start();
  Put("a1");
  std::string file = temp.File("copy.db");
  CheckCli(Cli({"backup", file}), 0);
  Stop();
  // Past the header page: the tables' pages become junk.
  std::string bytes = ReadFile(file);
  std::string junk(bytes.size() - 4096, '\xa5');
  int fd = open(file.c_str(), O_WRONLY);
  CHECK_TRUE(fd >= 0);
  CHECK_TRUE(pwrite(fd, junk.data(), junk.size(), 4096) ==
             static_cast<ssize_t>(junk.size()));
  close(fd);
  std::string db = data_dir + "/telemed-bridge.db";
  std::string before = ReadFile(db);
  test::CliResult result = Cli({"restore", file});
  CheckCli(result, 1);
  STRCMP_CONTAINS(file.c_str(), result.err.c_str());
  CHECK_TRUE(before == ReadFile(db));
  // No copy or kept file left behind.
  CHECK_EQUAL(std::string::npos, Cli({"backup", "--list"}).out.find("restore"));
  Start();
  Put("a2");
  Stop();
}

TEST(BackupRestore, AfterARestoreEveryCursorIsInvalid) {
  Start();
  Put("a1");
  std::string older = "0";
  std::vector<test::StoredAppointment> items;
  std::string error;
  {
    test::ApiClient api(daemon->port(), api_key);
    CHECK_TRUE_TEXT(api.ReadFeed(&older, 0, &items, &error), error.c_str());
  }
  std::string file = temp.File("older.db");
  CheckCli(Cli({"backup", file}), 0);
  Put("a2");
  std::string cursor = older;
  items.clear();
  {
    test::ApiClient api(daemon->port(), api_key);
    CHECK_TRUE_TEXT(api.ReadFeed(&cursor, 0, &items, &error), error.c_str());
  }
  CHECK_TRUE(cursor != older);
  Stop();

  test::CliResult restored = Cli({"restore", file});
  CheckCli(restored, 0);
  STRCMP_CONTAINS("1 appointment(s)", restored.out.c_str());
  STRCMP_CONTAINS("kept at", restored.out.c_str());

  Start();
  test::ApiClient api(daemon->port(), api_key);
  auto stale = api.Get("/appointments?since=" + cursor);
  CHECK_TRUE(stale);
  LONGS_EQUAL(409, stale->status);
  STRCMP_CONTAINS("cursor_invalid", stale->body.c_str());
  // Also a cursor from before the backup: the restored copy has a new
  // identity, so no client can skip what it hands out again.
  auto before = api.Get("/appointments?since=" + older);
  CHECK_TRUE(before);
  LONGS_EQUAL(409, before->status);
  auto gone = api.Get("/appointments/a2");
  CHECK_TRUE(gone);
  LONGS_EQUAL(404, gone->status);
  std::string fresh = "0";
  items.clear();
  CHECK_TRUE_TEXT(api.ReadFeed(&fresh, 0, &items, &error), error.c_str());
  LONGS_EQUAL(1, items.size());
  STRCMP_EQUAL("a1", items[0].id.c_str());
  Stop();
}

TEST(BackupRestore, TheDaemonWritesADailyBackupListedByBackupAndStatus) {
  Start();
  bool listed = test::WaitUntil(
      [&] {
        return Cli({"backup", "--list"}).out.find("telemed-bridge-") !=
               std::string::npos;
      },
      std::chrono::seconds(30));
  CHECK_TRUE(listed);
  test::CliResult list = Cli({"backup", "--list"});
  CheckCli(list, 0);
  STRCMP_CONTAINS("WRITTEN", list.out.c_str());
  STRCMP_CONTAINS((data_dir + "/backups/telemed-bridge-").c_str(),
                  list.out.c_str());
  test::CliResult status = Cli({"status"});
  CheckCli(status, 0);
  STRCMP_CONTAINS("backups:    last ", status.out.c_str());
  Stop();
}

TEST(BackupRestore, RootWorksAsTheDataDirsOwnerButReadsARootOnlyBackup) {
  if (geteuid() != 0) {
    UT_PRINT("not root: nothing to switch");
    return;
  }
  const uid_t kNobody = 65534;
  chmod(temp.path().c_str(), 0711);
  ChownTree(data_dir, kNobody);
  std::string root_only = temp.File("root-only");
  LONGS_EQUAL(0, mkdir(root_only.c_str(), 0700));
  test::CliResult refused = Cli({"backup", root_only + "/copy.db"});
  CheckCli(refused, 1);
  STRCMP_CONTAINS("choose a directory it may write", refused.err.c_str());

  std::string copy = data_dir + "/copy.db";
  CheckCli(Cli({"backup", copy}), 0);
  LONGS_EQUAL(kNobody, OwnerOf(copy));
  std::string moved = root_only + "/copy.db";
  LONGS_EQUAL(0, rename(copy.c_str(), moved.c_str()));
  LONGS_EQUAL(0, chown(moved.c_str(), 0, 0));
  CheckCli(Cli({"restore", moved}), 0);
  LONGS_EQUAL(kNobody, OwnerOf(data_dir + "/telemed-bridge.db"));
}

TEST(BackupRestore, BackupKeepOffWritesNone) {
  Start({"--backup-keep", "off"});
  Put("a1");
  Stop();
  CHECK_EQUAL(-1, access((data_dir + "/backups").c_str(), F_OK));
  STRCMP_CONTAINS("No automatic backups",
                  Cli({"backup", "--list"}).out.c_str());
}

}  // namespace telemed
