// The admin commands of the built binary: setup-code, reset-password and
// audit, as the box's operator runs them.
#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "base/fake_clock.h"
#include "secrets/password_hash.h"
#include "secrets/setup_code.h"
#include "store/store.h"
#include "support/daemon_process.h"
#include "support/temp_dir.h"

namespace telemed {

namespace {

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

}  // namespace

TEST_GROUP(AdminCli) {
  test::TempDir temp;
  std::string data_dir;
  FakeClock clock;

  void setup() override { data_dir = temp.File("data"); }

  test::CliResult Run(std::vector<std::string> args,
                      const std::string* stdin_text = nullptr) {
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCliWithStdin(args, stdin_text);
  }
  void CheckExit(const test::CliResult& result, int exit_code) {
    std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
    LONGS_EQUAL_TEXT(exit_code, result.exit_code, what.c_str());
  }
  std::unique_ptr<Store> OpenStore() {
    Store::Options options;
    options.path = data_dir + "/telemed-bridge.db";
    options.clock = &clock;
    std::unique_ptr<Store> store;
    Status s = Store::Open(options, &store);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
    return store;
  }
  std::string AdminHash() {
    std::string hash;
    bool found = false;
    CHECK_TRUE(OpenStore()->GetAdminPasswordHash(&hash, &found).ok());
    return found ? hash : "";
  }
};

TEST(AdminCli, SetupCodePrintsACodeThatMakesTheAdminOnce) {
  test::CliResult result = Run({"admin", "setup-code"});
  CheckExit(result, 0);
  const std::string code = LastLine(result.out);
  LONGS_EQUAL(19, code.size());
  CHECK_FALSE(SetupCodeDigest(code).empty());
  // Never on stderr (the journal, when run by a unit).
  CHECK(result.err.find(code) == std::string::npos);
  // A newer code replaces it.
  test::CliResult newer = Run({"admin", "setup-code"});
  CheckExit(newer, 0);
  std::unique_ptr<Store> store = OpenStore();
  STRCMP_EQUAL("setup_code_invalid",
               store->CreateAdmin(SetupCodeDigest(code), "h").reason().c_str());
  CHECK_TRUE(
      store->CreateAdmin(SetupCodeDigest(LastLine(newer.out)), "h").ok());
}

TEST(AdminCli, SetupCodeIsRefusedOnceAnAdminExists) {
  const std::string password = "a long enough password\n";
  CheckExit(Run({"admin", "reset-password"}, &password), 1);  // no database
  CheckExit(Run({"admin", "setup-code"}), 0);
  CheckExit(Run({"admin", "reset-password"}, &password), 0);
  test::CliResult result = Run({"admin", "setup-code"});
  CheckExit(result, 1);
  STRCMP_CONTAINS("admin reset-password", result.err.c_str());
}

TEST(AdminCli, ResetPasswordReadsStdinEndsSessionsAndIsAudited) {
  CheckExit(Run({"admin", "setup-code"}), 0);
  const std::string short_one = "too short\n";
  test::CliResult result = Run({"admin", "reset-password"}, &short_one);
  CheckExit(result, 1);
  STRCMP_CONTAINS("at least 12 characters", result.err.c_str());
  STRCMP_EQUAL("", AdminHash().c_str());

  CHECK_TRUE(
      OpenStore()->AddSession(AdminSession{"s1", "c", 1, 1, "192.0.2.1"}).ok());
  const std::string password = "correct horse battery\n";
  result = Run({"admin", "reset-password"}, &password);
  CheckExit(result, 0);
  const std::string hash = AdminHash();
  STRCMP_CONTAINS("pbkdf2-sha256$600000$", hash.c_str());
  bool matches = false;
  CHECK_TRUE(VerifyPassword("correct horse battery", hash, &matches).ok());
  CHECK_TRUE(matches);
  AdminSession session;
  bool found = true;
  CHECK_TRUE(OpenStore()->GetSession("s1", &session, &found).ok());
  CHECK_FALSE(found);

  result = Run({"admin", "audit"});
  CheckExit(result, 0);
  STRCMP_CONTAINS("password_changed", result.out.c_str());
  STRCMP_CONTAINS("console", result.out.c_str());
  CHECK(result.out.find("correct horse") == std::string::npos);
}

TEST(AdminCli, AuditPrintsNewestFirstUpToTheLimit) {
  CheckExit(Run({"admin", "setup-code"}), 0);
  test::CliResult result = Run({"admin", "audit"});
  CheckExit(result, 0);
  STRCMP_CONTAINS("No admin actions", result.out.c_str());
  {
    std::unique_ptr<Store> store = OpenStore();
    CHECK_TRUE(store
                   ->AddAuditEntry(
                       AuditEntry{0, 0, "doctor_added", "192.0.2.4", "one"})
                   .ok());
    CHECK_TRUE(store
                   ->AddAuditEntry(
                       AuditEntry{0, 0, "doctor_removed", "192.0.2.4", "two"})
                   .ok());
  }
  result = Run({"admin", "audit", "--limit", "1"});
  CheckExit(result, 0);
  STRCMP_CONTAINS("doctor_removed", result.out.c_str());
  CHECK(result.out.find("doctor_added") == std::string::npos);
  CheckExit(Run({"admin", "audit", "--limit", "0"}), 2);
  CheckExit(Run({"admin", "audit", "--limit", "x"}), 2);
}

}  // namespace telemed
