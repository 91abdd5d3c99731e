#include "config/data_dir.h"

#include <CppUTest/TestHarness.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "support/temp_dir.h"

namespace telemed {
namespace {

// The uid and gid Debian gives `nobody` / `nogroup`.
constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

mode_t ModeOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// Runs PrepareDataDir in a child (the identity change would otherwise stick
// to the test binary) and creates a file there; the child's exit code is 0
// when it ended up as `nobody`, 1 when preparing failed, 2 when the identity
// is wrong, 3 when the file could not be made.
int PrepareInChild(const std::string& dir,
                   const std::string& service_user = "") {
  pid_t pid = fork();
  if (pid == 0) {
    if (!PrepareDataDir(dir, service_user).ok()) _exit(1);
    if (geteuid() != kNobody || getegid() != kNogroup) _exit(2);
    int fd = open((dir + "/file").c_str(), O_CREAT | O_WRONLY, 0600);
    _exit(fd >= 0 ? 0 : 3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_GROUP(DataDir) { test::TempDir temp; };

TEST(DataDir, CreatesTheDirectoryAndItsParentsPrivate) {
  std::string dir = temp.File("a/b/data");
  mode_t old_umask = umask(0);
  Status s = PrepareDataDir(dir);
  umask(old_umask);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(0700, ModeOf(dir));
  LONGS_EQUAL(0755, ModeOf(temp.File("a/b")));
}

TEST(DataDir, KeepsTheModeOfAnExistingDirectory) {
  std::string dir = temp.File("data");
  mkdir(dir.c_str(), 0750);
  chmod(dir.c_str(), 0750);
  CHECK_TRUE(PrepareDataDir(dir).ok());
  LONGS_EQUAL(0750, ModeOf(dir));
}

TEST(DataDir, RefusesADirectoryOthersMayWriteNamingModeAndOwner) {
  std::string dir = temp.File("data");
  mkdir(dir.c_str(), 0700);
  chmod(dir.c_str(), 0770);
  Status s = PrepareDataDir(dir);
  CHECK_TRUE(s.code() == Status::Code::kPermissionDenied);
  STRCMP_CONTAINS(dir.c_str(), s.message().c_str());
  STRCMP_CONTAINS("mode 0770", s.message().c_str());
  STRCMP_CONTAINS(("uid " + std::to_string(geteuid())).c_str(),
                  s.message().c_str());
  STRCMP_CONTAINS("chmod 0700", s.message().c_str());
}

TEST(DataDir, RefusesADirectoryOfAnotherUserWhenNotRoot) {
  if (geteuid() != 0) {
    UT_PRINT("not root: cannot become another user to try");
    return;
  }
  std::string dir = temp.File("data");
  CHECK_TRUE(PrepareDataDir(dir).ok());
  chmod(temp.path().c_str(), 0711);
  // As nobody, the root-owned directory is not ours: refused, naming both.
  pid_t pid = fork();
  if (pid == 0) {
    if (!SwitchToUser(kNobody, kNogroup).ok()) _exit(1);
    Status s = PrepareDataDir(dir);
    bool named = s.message().find("owner root (uid 0)") != std::string::npos &&
                 s.message().find("(uid 65534)") != std::string::npos &&
                 s.message().find(dir) != std::string::npos;
    _exit(s.reason() == "data_dir_owner" && named ? 0 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_TRUE(WIFEXITED(status));
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

TEST(DataDir, AnUnreachableDirectoryNamesTheParentsOwnerAndMode) {
  if (geteuid() != 0) {
    UT_PRINT("not root: cannot become another user to try");
    return;
  }
  // temp is 0700 root: nobody can neither create nor look inside it.
  std::string dir = temp.File("data");
  pid_t pid = fork();
  if (pid == 0) {
    if (!SwitchToUser(kNobody, kNogroup).ok()) _exit(1);
    Status s = PrepareDataDir(dir);
    bool named = s.message().find(temp.path()) != std::string::npos &&
                 s.message().find("mode 0700, owner root (uid 0)") !=
                     std::string::npos &&
                 s.message().find("runs as") != std::string::npos;
    _exit(s.code() == Status::Code::kPermissionDenied && named ? 0 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_TRUE(WIFEXITED(status));
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

TEST(DataDir, AbsolutePathJoinsAMissingRelativePathToTheWorkingDir) {
  char cwd[4096];
  CHECK_TRUE(getcwd(cwd, sizeof(cwd)) != nullptr);
  STRCMP_EQUAL((std::string(cwd) + "/no/such/var").c_str(),
               AbsolutePath("./no/such/var").c_str());
  STRCMP_EQUAL("/no/such/var", AbsolutePath("/no/such/var").c_str());
}

TEST(DataDir, DescribeAccessNamesModeOwnerAndUs) {
  std::string file = temp.File("f");
  close(open(file.c_str(), O_CREAT | O_WRONLY, 0640));
  chmod(file.c_str(), 0640);
  std::string text = DescribeAccess(file);
  STRCMP_CONTAINS("mode 0640", text.c_str());
  STRCMP_CONTAINS("the bridge runs as", text.c_str());
  STRCMP_CONTAINS(DescribeUser(geteuid()).c_str(), text.c_str());
}

TEST(DataDir, RefusesAFileInTheWay) {
  std::string path = temp.File("file");
  close(open(path.c_str(), O_CREAT | O_WRONLY, 0600));
  Status s = PrepareDataDir(path);
  CHECK_FALSE(s.ok());
  STRCMP_EQUAL("data-dir", s.field().c_str());
}

TEST(DataDir, ReportsAnUncreatableParent) {
  std::string path = temp.File("file");
  close(open(path.c_str(), O_CREAT | O_WRONLY, 0600));
  Status s = PrepareDataDir(path + "/data");
  CHECK_FALSE(s.ok());
  CHECK_TRUE(s.message().find(path) != std::string::npos);
}

TEST(DataDir, DatabaseLivesInTheDataDir) {
  STRCMP_EQUAL("/x/y/telemed-bridge.db", DatabasePath("/x/y").c_str());
}

TEST(DataDir, RootBecomesTheOwnerOfAnotherUsersDirectory) {
  if (geteuid() != 0) {
    UT_PRINT("not root: the identity switch cannot be exercised");
    return;
  }
  std::string dir = temp.File("data");
  CHECK_TRUE(PrepareDataDir(dir).ok());
  // The temp dir is 0700 root; nobody must be able to reach `data`.
  chmod(temp.path().c_str(), 0711);
  LONGS_EQUAL(0, chown(dir.c_str(), kNobody, kNogroup));
  LONGS_EQUAL(0, PrepareInChild(dir));
  struct stat st;
  LONGS_EQUAL(0, stat((dir + "/file").c_str(), &st));
  LONGS_EQUAL(kNobody, st.st_uid);
  LONGS_EQUAL(0, geteuid());
}

TEST(DataDir, RootStaysRootOnItsOwnDirectory) {
  if (geteuid() != 0) {
    UT_PRINT("not root: nothing to switch");
    return;
  }
  std::string dir = temp.File("data");
  // The child would exit 2: still root after preparing.
  LONGS_EQUAL(2, PrepareInChild(dir));
}

// The package's CLI run with sudo: a data dir it makes goes to the service
// user, which it becomes before any file is made there.
TEST(DataDir, RootHandsANewDataDirToTheServiceUser) {
  if (geteuid() != 0) {
    UT_PRINT("not root: the identity switch cannot be exercised");
    return;
  }
  chmod(temp.path().c_str(), 0711);
  std::string dir = temp.File("data");
  LONGS_EQUAL(0, PrepareInChild(dir, "nobody"));
  struct stat st;
  LONGS_EQUAL(0, stat(dir.c_str(), &st));
  LONGS_EQUAL(kNobody, st.st_uid);
  LONGS_EQUAL(0700, st.st_mode & 07777);
  LONGS_EQUAL(0, stat((dir + "/file").c_str(), &st));
  LONGS_EQUAL(kNobody, st.st_uid);
}

// An existing directory of another user is not taken over: refused, and
// root's own directory is not used as root either.
TEST(DataDir, RootRefusesAnExistingDirectoryNotTheServiceUsers) {
  if (geteuid() != 0) {
    UT_PRINT("not root: the identity switch cannot be exercised");
    return;
  }
  chmod(temp.path().c_str(), 0711);
  std::string dir = temp.File("data");
  LONGS_EQUAL(0, mkdir(dir.c_str(), 0700));
  LONGS_EQUAL(1, PrepareInChild(dir, "nobody"));
  struct stat st;
  LONGS_EQUAL(0, stat(dir.c_str(), &st));
  LONGS_EQUAL(0, st.st_uid);
}

TEST(DataDir, AMissingServiceUserIsNamed) {
  if (geteuid() != 0) {
    UT_PRINT("not root: the service user is not looked up");
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    Status s = PrepareDataDir(temp.File("data"), "no-such-user-tb");
    bool named = s.reason() == "service_user_missing" &&
                 s.message().find("'no-such-user-tb'") != std::string::npos;
    // Looked up first: nothing was created for a user who is not there.
    bool untouched = access(temp.File("data").c_str(), F_OK) != 0;
    _exit(named && untouched && geteuid() == 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  LONGS_EQUAL(0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

}  // namespace telemed
