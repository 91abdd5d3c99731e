#include "cli/command.h"

#include <CppUTest/TestHarness.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>

#include "cli/cli.h"
#include "config/daemon_lock.h"
#include "config/data_dir.h"
#include "support/temp_dir.h"

namespace telemed {
namespace cli {

namespace {
bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}
}  // namespace

TEST_GROUP(OpenStore) {
  test::TempDir temp;
  Config config;
  std::ostringstream out;
  std::ostringstream err;

  void setup() override { config.data_dir = temp.File("data"); }
  Context MakeContext() {
    Context context;
    context.program = "telemed-bridge";
    context.config = config;
    context.out = &out;
    context.err = &err;
    return context;
  }
};

TEST(OpenStore, AMissingDatabaseIsNamedAndNothingIsCreated) {
  StoreSession session;
  Status s = OpenStore(config, &session);
  STRCMP_EQUAL(Store::kNoDatabase, s.reason().c_str());
  STRCMP_CONTAINS(
      ("no database at " + config.data_dir + "/telemed-bridge.db").c_str(),
      s.message().c_str());
  CHECK_FALSE(Exists(config.data_dir));
}

TEST(OpenStore, ARelativeDataDirIsNamedAbsolute) {
  config.data_dir = "./no-such-var-dir";
  StoreSession session;
  Status s = OpenStore(config, &session);
  STRCMP_CONTAINS(
      (AbsolutePath(".") + "/no-such-var-dir/telemed-bridge.db").c_str(),
      s.message().c_str());
  CHECK_FALSE(Exists("./no-such-var-dir"));
}

TEST(OpenStore, SetUpCommandsCreateItAndSaySo) {
  Context context = MakeContext();
  {
    StoreSession session;
    Status s = OpenStoreForSetup(context, &session);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    CHECK_TRUE(session.created);
  }
  STRCMP_EQUAL(("telemed-bridge: created a new database at " + config.data_dir +
                "/telemed-bridge.db\n")
                   .c_str(),
               err.str().c_str());
  err.str("");
  StoreSession again;
  CHECK_TRUE(OpenStoreForSetup(context, &again).ok());
  CHECK_FALSE(again.created);
  STRCMP_EQUAL("", err.str().c_str());
}

TEST(OpenStore, ADatabaseWeMayNotOpenNamesItsOwnerAndMode) {
  if (geteuid() != 0) {
    UT_PRINT("not root: cannot make a file another user owns");
    return;
  }
  // A data dir nobody owns, holding a database only root may open.
  Context context = MakeContext();
  {
    StoreSession session;
    CHECK_TRUE(OpenStoreForSetup(context, &session).ok());
  }
  chmod(temp.path().c_str(), 0711);
  const uid_t kNobody = 65534;
  LONGS_EQUAL(0, chown(config.data_dir.c_str(), kNobody, kNobody));
  pid_t pid = fork();
  if (pid == 0) {
    StoreSession session;
    Status s = OpenStore(config, &session);
    bool named = s.message().find("owner root (uid 0)") != std::string::npos &&
                 s.message().find("mode 0600") != std::string::npos &&
                 s.message().find("runs as") != std::string::npos;
    _exit(s.reason() == "database_not_writable" && named ? 0 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_TRUE(WIFEXITED(status));
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

TEST_GROUP(StatusCommand) {
  test::TempDir temp;
  std::ostringstream out;
  std::ostringstream err;

  int Run() {
    out.str("");
    err.str("");
    EnvGetter getenv = [](const char*) -> const char* { return nullptr; };
    return RunCommandLine("telemed-bridge",
                          {"status", "--data-dir", temp.File("data")}, getenv,
                          out, err);
  }
};

TEST(StatusCommand, NamesTheDaemonHoldingTheLockAndTheQueue) {
  Config config;
  config.data_dir = temp.File("data");
  StoreSession session;
  StoreOpening how;
  how.create_if_missing = true;
  CHECK_TRUE(OpenStore(config, &session, how).ok());
  LONGS_EQUAL(1, Run());
  STRCMP_CONTAINS("daemon:     not running", out.str().c_str());
  STRCMP_CONTAINS("no daemon serves", err.str().c_str());
  std::unique_ptr<DaemonLock> lock;
  CHECK_TRUE(DaemonLock::Acquire(config.data_dir, &lock).ok());
  CHECK_TRUE(
      lock->Describe("127.0.0.1:8080", session.clock.NowSeconds() - 3725).ok());
  LONGS_EQUAL(0, Run());
  STRCMP_CONTAINS(("running, PID " + std::to_string(getpid()) +
                   ", listening on http://127.0.0.1:8080, up 1h 2m")
                      .c_str(),
                  out.str().c_str());
  STRCMP_CONTAINS("sync queue: 0 pending, 0 failed, 0 meeting deletion(s)",
                  out.str().c_str());
  STRCMP_CONTAINS("zoom:       not checked yet", out.str().c_str());
}

TEST(StatusCommand, AMissingDatabaseExitsOneNamingIt) {
  LONGS_EQUAL(1, Run());
  STRCMP_CONTAINS(("no database at " + temp.File("data")).c_str(),
                  err.str().c_str());
}

}  // namespace cli
}  // namespace telemed
