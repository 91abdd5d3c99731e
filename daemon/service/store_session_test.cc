#include "service/store_session.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "config/data_dir.h"
#include "support/temp_dir.h"

namespace telemed {

namespace {
bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}
}  // namespace

TEST_GROUP(StoreSession) {
  test::TempDir temp;
  Config config;

  void setup() override { config.data_dir = temp.File("data"); }
  static StoreOpening Creating() {
    StoreOpening how;
    how.create_if_missing = true;
    return how;
  }
};

TEST(StoreSession, AMissingDatabaseIsNamedAndNothingIsCreated) {
  StoreSession session;
  Status s = OpenStore(config, &session);
  STRCMP_EQUAL(Store::kNoDatabase, s.reason().c_str());
  STRCMP_CONTAINS(
      ("no database at " + config.data_dir + "/telemed-bridge.db").c_str(),
      s.message().c_str());
  CHECK_FALSE(Exists(config.data_dir));
}

TEST(StoreSession, ARelativeDataDirIsNamedAbsolute) {
  config.data_dir = "./no-such-var-dir";
  StoreSession session;
  Status s = OpenStore(config, &session);
  STRCMP_CONTAINS(
      (AbsolutePath(".") + "/no-such-var-dir/telemed-bridge.db").c_str(),
      s.message().c_str());
  CHECK_FALSE(Exists("./no-such-var-dir"));
}

TEST(StoreSession, ADatabaseWeMayNotOpenNamesItsOwnerAndMode) {
  if (geteuid() != 0) {
    UT_PRINT("not root: cannot make a file another user owns");
    return;
  }
  // A data dir nobody owns, holding a database only root may open.
  {
    StoreSession session;
    CHECK_TRUE(OpenStore(config, &session, Creating()).ok());
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

}  // namespace telemed
