// The CLI as on an installed bridge: `key create`, a key file that is never
// made on the fly, settings from a defaults file, and a root CLI that hands
// everything it creates to the service user.
#include <CppUTest/TestHarness.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "support/daemon_process.h"
#include "support/temp_dir.h"

namespace telemed {
namespace {

void CheckExit(const test::CliResult& result, int exit_code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TEST_GROUP(CliKey) {
  test::TempDir temp;
  std::string key_file;
  std::string data_dir;

  void setup() override {
    key_file = temp.File("etc/secret.key");
    data_dir = temp.File("data");
  }
};

TEST(CliKey, CreateWritesA0600KeyAndSaysToBackItUp) {
  test::CliResult created =
      test::RunCli({"key", "create", "--key-file", key_file});
  CheckExit(created, 0);
  STRCMP_CONTAINS(key_file.c_str(), created.out.c_str());
  STRCMP_CONTAINS("Back it up", created.out.c_str());
  struct stat st;
  LONGS_EQUAL(0, stat(key_file.c_str(), &st));
  LONGS_EQUAL(0600, st.st_mode & 07777);
  LONGS_EQUAL(32, st.st_size);
}

TEST(CliKey, CreateRefusesToReplaceAKey) {
  CheckExit(test::RunCli({"key", "create", "--key-file", key_file}), 0);
  std::string before = ReadFile(key_file);
  test::CliResult again =
      test::RunCli({"key", "create"}, {"TELEMED_KEY_FILE=" + key_file});
  CheckExit(again, 1);
  STRCMP_CONTAINS(("the key file " + key_file + " exists already").c_str(),
                  again.err.c_str());
  CHECK_TRUE(before == ReadFile(key_file));
}

// A key file named by the configuration is made once, on purpose: a missing
// one is an error that names it, and no command makes another key.
TEST(CliKey, AMissingKeyFileIsNamedAndNotCreated) {
  CheckExit(
      test::RunCli({"doctor", "put", "dr-1", "--name", "Dr One", "--zoom-user",
                    "one@clinic.example", "--data-dir", data_dir}),
      0);
  test::CliResult shown = test::RunCli(
      {"zoom", "show", "--data-dir", data_dir, "--key-file", key_file});
  CheckExit(shown, 1);
  STRCMP_CONTAINS(("the key file " + key_file + " does not exist").c_str(),
                  shown.err.c_str());
  STRCMP_CONTAINS("key create", shown.err.c_str());
  CHECK_TRUE(access(key_file.c_str(), F_OK) != 0);
  CHECK_TRUE(access((data_dir + "/secret.key").c_str(), F_OK) != 0);
}

TEST_GROUP(CliSettingsFile) {
  test::TempDir temp;
  std::string settings;
  std::string data_dir;

  void setup() override {
    settings = temp.File("telemed-bridge");
    data_dir = temp.File("data");
  }
  void Write(const std::string& text) {
    std::ofstream(settings, std::ios::binary) << text;
  }
  test::CliResult Run(const std::vector<std::string>& args,
                      std::vector<std::string> env = {}) {
    env.push_back("TELEMED_DEFAULTS_FILE=" + settings);
    return test::RunCli(args, env);
  }
};

// As `sudo telemed-bridge apikey create emr` on an installed bridge: the
// data dir comes from the settings file the service reads too.
TEST(CliSettingsFile, CommandsFindTheDataDirWithoutFlags) {
  Write("# the package's file\nTELEMED_DATA_DIR=" + data_dir + "\n");
  CheckExit(Run({"apikey", "create", "emr"}), 0);
  CHECK_TRUE(access((data_dir + "/telemed-bridge.db").c_str(), F_OK) == 0);
  test::CliResult listed = Run({"apikey", "list"});
  CheckExit(listed, 0);
  STRCMP_CONTAINS("emr", listed.out.c_str());
}

TEST(CliSettingsFile, TheEnvironmentAndFlagsWinOverTheFile) {
  std::string other = temp.File("other");
  Write("TELEMED_DATA_DIR=" + temp.File("unused") + "\n");
  CheckExit(Run({"apikey", "create", "a"}, {"TELEMED_DATA_DIR=" + data_dir}),
            0);
  CheckExit(Run({"apikey", "create", "b", "--data-dir", other}), 0);
  CHECK_TRUE(access(temp.File("unused").c_str(), F_OK) != 0);
  CHECK_TRUE(access((other + "/telemed-bridge.db").c_str(), F_OK) == 0);
}

TEST(CliSettingsFile, ABadFileExitsOneNamingItsLine) {
  Write("TELEMED_DATA_DIR=" + data_dir + "\nTELEMED_LISTN=127.0.0.1:1\n");
  test::CliResult result = Run({"apikey", "list"});
  CheckExit(result, 1);
  STRCMP_CONTAINS((settings + ", line 2: unknown setting").c_str(),
                  result.err.c_str());
  CheckExit(Run({"version"}), 0);
  // A file named by TELEMED_DEFAULTS_FILE must exist.
  unlink(settings.c_str());
  result = Run({"apikey", "list"});
  CheckExit(result, 1);
  STRCMP_CONTAINS(settings.c_str(), result.err.c_str());
}

// `sudo telemed-bridge ...` on an installed bridge, with `nobody` standing in
// for the service user: root-only files are read first, then every file in
// the data dir is made as the service user.
TEST_GROUP(CliAsRoot) {
  test::TempDir temp;
  std::string key_file;
  std::string secret_file;
  std::string data_dir;
  std::vector<std::string> env;

  void setup() override {
    // Root's own corner, as /etc/telemed-bridge and /root are.
    key_file = temp.File("root/secret.key");
    secret_file = temp.File("root/client-secret.txt");
    data_dir = temp.File("data");
    env = {"TELEMED_SERVICE_USER=nobody", "TELEMED_KEY_FILE=" + key_file,
           "TELEMED_DATA_DIR=" + data_dir};
    chmod(temp.path().c_str(), 0711);
  }
  bool Root() {
    if (geteuid() == 0) return true;
    UT_PRINT("not root: the switch to the service user cannot be exercised");
    return false;
  }
  uid_t OwnerOf(const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 ? st.st_uid : 0;
  }
};

TEST(CliAsRoot, ZoomCommandsReadTheRootOnlyKeyBeforeBecomingTheServiceUser) {
  if (!Root()) return;
  CheckExit(test::RunCli({"key", "create"}, env), 0);
  std::ofstream(secret_file) << "s3cr3t-0123456789abcdef0123456789\n";
  chmod(secret_file.c_str(), 0600);
  LONGS_EQUAL(0700, [&] {
    struct stat st;
    stat(temp.File("root").c_str(), &st);
    return st.st_mode & 07777;
  }());
  CheckExit(
      test::RunCli({"zoom", "s2s", "--account-id", "acc", "--client-id", "cid",
                    "--client-secret-file", secret_file, "--no-check"},
                   env),
      0);
  test::CliResult shown = test::RunCli({"zoom", "show"}, env);
  CheckExit(shown, 0);
  STRCMP_CONTAINS("client secret: set", shown.out.c_str());
  LONGS_EQUAL(65534, OwnerOf(data_dir));
  LONGS_EQUAL(65534, OwnerOf(data_dir + "/telemed-bridge.db"));
  LONGS_EQUAL(0, OwnerOf(key_file));
  CHECK_TRUE(access((data_dir + "/secret.key").c_str(), F_OK) != 0);
}

TEST(CliAsRoot, ApiKeyCreateLeavesTheDatabaseToTheServiceUser) {
  if (!Root()) return;
  CheckExit(test::RunCli({"apikey", "create", "emr"}, env), 0);
  LONGS_EQUAL(65534, OwnerOf(data_dir));
  LONGS_EQUAL(65534, OwnerOf(data_dir + "/telemed-bridge.db"));
  // As the service itself would, the service user can use what was made.
  test::CliResult listed = test::RunCli(
      {"apikey", "list"},
      {"TELEMED_DATA_DIR=" + data_dir, "TELEMED_SERVICE_USER=nobody"});
  CheckExit(listed, 0);
  STRCMP_CONTAINS("emr", listed.out.c_str());
}

// `sudo telemed-bridge serve` as on an installed box: the key is root's alone.
TEST(CliAsRoot, ServeReadsTheRootOnlyKeyBeforeBecomingTheServiceUser) {
  if (!Root()) return;
  CheckExit(test::RunCli({"key", "create"}, env), 0);
  test::DaemonProcess::Options options;
  options.data_dir = data_dir;
  options.env = env;
  std::unique_ptr<test::DaemonProcess> daemon;
  // Before the fix: "cannot open the key file ...: Permission denied".
  Status s = test::DaemonProcess::Start(options, &daemon);
  CHECK_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(65534, OwnerOf(data_dir + "/telemed-bridge.db"));
  LONGS_EQUAL(0, daemon->Terminate());
}

TEST(CliAsRoot, ARootOwnedDataDirIsRefusedWithTheFix) {
  if (!Root()) return;
  mkdir(data_dir.c_str(), 0700);
  test::CliResult result = test::RunCli({"apikey", "create", "emr"}, env);
  CheckExit(result, 1);
  STRCMP_CONTAINS("does not belong to nobody", result.err.c_str());
  STRCMP_CONTAINS("chown -R", result.err.c_str());
  CHECK_TRUE(access((data_dir + "/telemed-bridge.db").c_str(), F_OK) != 0);
}

}  // namespace telemed
