#include "cli/cli.h"

#include <CppUTest/TestHarness.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "build_config.h"
#include "store/store.h"

namespace telemed {
namespace cli {

// Exercises the dispatcher and every path that ends before a command opens
// the store; what the commands do is covered by tests/system/cli_test.cc.
TEST_GROUP(CliDispatch) {
  std::map<std::string, std::string> env;
  std::ostringstream out;
  std::ostringstream err;

  int Run(const std::vector<std::string>& args) {
    out.str("");
    err.str("");
    EnvGetter getenv = [this](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    };
    return RunCommandLine("telemed-bridge", args, getenv, out, err);
  }
  void CheckUsageError(const std::vector<std::string>& args,
                       const char* message, const char* usage) {
    LONGS_EQUAL(2, Run(args));
    STRCMP_EQUAL("", out.str().c_str());
    STRCMP_CONTAINS(message, err.str().c_str());
    STRCMP_CONTAINS(usage, err.str().c_str());
  }
};

TEST(CliDispatch, HelpOnEveryCommandGoesToStdout) {
  const std::vector<std::vector<std::string>> commands = {
      {"serve"},          {"apikey", "create"},
      {"apikey", "list"}, {"apikey", "revoke"},
      {"doctor", "put"},  {"doctor", "list"},
      {"zoom", "s2s"},    {"zoom", "show"},
      {"zoom", "forget"}, {"zoom", "test"},
      {"key", "create"},  {"status"},
      {"version"}};
  for (std::vector<std::string> args : commands) {
    std::string words = args.size() == 2 ? args[0] + " " + args[1] : args[0];
    args.push_back("--help");
    LONGS_EQUAL_TEXT(0, Run(args), words.c_str());
    STRCMP_CONTAINS(("usage: telemed-bridge " + words).c_str(),
                    out.str().c_str());
    STRCMP_EQUAL("", err.str().c_str());
  }
}

TEST(CliDispatch, HelpOnTheProgramAndOnGroups) {
  LONGS_EQUAL(0, Run({"--help"}));
  STRCMP_CONTAINS("usage: telemed-bridge doctor put ID --name NAME",
                  out.str().c_str());
  LONGS_EQUAL(0, Run({"apikey", "-h"}));
  STRCMP_CONTAINS("usage: telemed-bridge apikey revoke NAME",
                  out.str().c_str());
  CHECK_TRUE(out.str().find("doctor") == std::string::npos);
}

// The OAuth doctors' side of these commands is in their help, as in the
// README and the man page.
TEST(CliDispatch, HelpOfDoctorListAndZoomTestMentionsOAuthDoctors) {
  LONGS_EQUAL(0, Run({"doctor", "list", "--help"}));
  STRCMP_CONTAINS("the Zoom connection state", out.str().c_str());
  LONGS_EQUAL(0, Run({"zoom", "test", "--help"}));
  STRCMP_CONTAINS("each oauth doctor's own", out.str().c_str());
  // Its usage line names every option it takes, as the README does.
  CheckUsageError({"doctor", "connect"}, "missing ID",
                  "usage: telemed-bridge doctor connect ID [--public-url URL] "
                  "[--data-dir DIR] [--key-file FILE]");
}

TEST(CliDispatch, HelpWinsOverMissingArguments) {
  LONGS_EQUAL(0, Run({"doctor", "put", "--help"}));
  STRCMP_CONTAINS("--zoom-user", out.str().c_str());
}

TEST(CliDispatch, VersionBothWays) {
  LONGS_EQUAL(0, Run({"version"}));
  STRCMP_EQUAL("telemed-bridge " TELEMED_VERSION "\n", out.str().c_str());
  LONGS_EQUAL(0, Run({"--version"}));
  STRCMP_EQUAL("telemed-bridge " TELEMED_VERSION "\n", out.str().c_str());
}

TEST(CliDispatch, VersionSchemaPrintsOnlyTheNumber) {
  LONGS_EQUAL(0, Run({"version", "--schema"}));
  STRCMP_EQUAL((std::to_string(Store::CurrentSchemaVersion()) + "\n").c_str(),
               out.str().c_str());
}

TEST(CliDispatch, BadCommandsExitTwoWithUsage) {
  CheckUsageError({}, "missing command", "usage: telemed-bridge serve");
  CheckUsageError({"frobnicate"}, "unknown command 'frobnicate'",
                  "usage: telemed-bridge");
  CheckUsageError({"apikey"}, "apikey command", "usage: telemed-bridge apikey");
  CheckUsageError({"doctor", "delete", "d1"}, "doctor command",
                  "usage: telemed-bridge doctor put");
}

TEST(CliDispatch, BadFlagsAndArgumentsExitTwoWithTheCommandsUsage) {
  CheckUsageError({"apikey", "list", "--bogus"}, "unknown option --bogus",
                  "usage: telemed-bridge apikey list");
  CheckUsageError({"apikey", "create"}, "missing NAME",
                  "usage: telemed-bridge apikey create NAME");
  CheckUsageError({"apikey", "revoke", "a", "b"}, "unexpected argument 'b'",
                  "usage: telemed-bridge apikey revoke");
  CheckUsageError({"apikey", "list", "--listen", "127.0.0.1:1"},
                  "unknown option --listen", "usage:");
}

TEST(CliDispatch, ZoomS2sNeedsEveryIdAndASecretFileNeverASecretFlag) {
  CheckUsageError(
      {"zoom", "s2s", "--client-id", "c", "--client-secret-file", "-"},
      "missing --account-id", "usage: telemed-bridge zoom s2s");
  CheckUsageError({"zoom", "s2s", "--account-id", "a", "--client-id", "c"},
                  "missing --client-secret-file",
                  "usage: telemed-bridge zoom s2s");
  CheckUsageError({"zoom", "s2s", "--account-id", "a", "--client-id", "c",
                   "--client-secret", "x"},
                  "unknown option --client-secret",
                  "usage: telemed-bridge zoom s2s");
}

TEST(CliDispatch, ZoomIdsWithSpacesAreUsageErrors) {
  LONGS_EQUAL(2, Run({"zoom", "s2s", "--account-id", "a b", "--client-id", "c",
                      "--client-secret-file", "-"}));
  STRCMP_CONTAINS("--account-id must be", err.str().c_str());
}

TEST(CliDispatch, BadSettingsExitTwoNamingTheirSource) {
  CheckUsageError({"serve", "--listen", "nowhere"}, "--listen: 'nowhere'",
                  "usage: telemed-bridge serve");
  CheckUsageError({"serve", "--retention-days=0"}, "--retention-days",
                  "usage: telemed-bridge serve");
  CheckUsageError({"serve", "--data-dir", ""}, "--data-dir", "usage:");
  env["TELEMED_LISTEN"] = "8080";
  CheckUsageError({"serve"}, "TELEMED_LISTEN", "usage: telemed-bridge serve");
}

}  // namespace cli
}  // namespace telemed
