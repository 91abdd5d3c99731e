#include "cli/command.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>

#include "cli/cli.h"
#include "config/daemon_lock.h"
#include "config/data_dir.h"
#include "service/daily_backup.h"
#include "support/temp_dir.h"

namespace telemed {
namespace cli {

TEST_GROUP(OpenStoreForSetup) {
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

TEST(OpenStoreForSetup, SetUpCommandsCreateItAndSaySo) {
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

TEST_GROUP(StatusCommand) {
  test::TempDir temp;
  std::ostringstream out;
  std::ostringstream err;
  Config config;
  StoreSession session;

  void CreateStore() {
    config.data_dir = temp.File("data");
    StoreOpening how;
    how.create_if_missing = true;
    CHECK_TRUE(OpenStore(config, &session, how).ok());
  }

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
  CreateStore();
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

TEST(StatusCommand, NamesTheLastDailyBackup) {
  CreateStore();
  Run();
  STRCMP_CONTAINS("backups:    none yet in ", out.str().c_str());
  std::string dir = BackupsDir(config.data_dir);
  CHECK_EQUAL(0, mkdir(dir.c_str(), 0700));
  for (const char* name : {"/telemed-bridge-20261201T020000Z.db",
                           "/telemed-bridge-20261202T020000Z.db"}) {
    CHECK_TRUE(session.store->WriteBackup(dir + name).ok());
  }
  Run();
  STRCMP_CONTAINS("backups:    last 2026-12-02T02:00:00Z, ", out.str().c_str());
  STRCMP_CONTAINS("telemed-bridge-20261202T020000Z.db (2 kept;",
                  out.str().c_str());
}

TEST(StatusCommand, AMissingDatabaseExitsOneNamingIt) {
  LONGS_EQUAL(1, Run());
  STRCMP_CONTAINS(("no database at " + temp.File("data")).c_str(),
                  err.str().c_str());
}

}  // namespace cli
}  // namespace telemed
