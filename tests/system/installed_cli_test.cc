// The CLI as on an installed bridge: `key create`, a key file that is never
// made on the fly, settings from a defaults file, and a root CLI that hands
// everything it creates to the service user.
#include <CppUTest/TestHarness.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
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

}  // namespace telemed
