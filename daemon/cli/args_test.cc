#include "cli/args.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

namespace telemed {
namespace cli {
TEST_GROUP(CliArgs) {
  ArgSpec spec{{"NAME"}, {"data-dir", "name"}};
  ParsedArgs parsed;

  Status Parse(std::vector<std::string> args) {
    return ParseArgs(args, spec, &parsed);
  }
  void CheckUsageError(std::vector<std::string> args, const char* words) {
    Status s = Parse(args);
    CHECK_FALSE(s.ok());
    STRCMP_EQUAL("usage", s.reason().c_str());
    STRCMP_CONTAINS(words, s.message().c_str());
  }
};

TEST(CliArgs, OptionsMayStandBeforeOrAfterPositionals) {
  CHECK_TRUE(Parse({"pos", "--data-dir", "/x"}).ok());
  STRCMP_EQUAL("pos", parsed.positionals[0].c_str());
  STRCMP_EQUAL("/x", parsed.Flag("data-dir")->c_str());
  CHECK_TRUE(Parse({"--data-dir=/y", "pos"}).ok());
  STRCMP_EQUAL("pos", parsed.positionals[0].c_str());
  STRCMP_EQUAL("/y", parsed.Flag("data-dir")->c_str());
  POINTERS_EQUAL(nullptr, parsed.Flag("name"));
}

TEST(CliArgs, ASwitchTakesNoValue) {
  spec.switches = {"yes"};
  CHECK_TRUE(Parse({"--yes", "pos"}).ok());
  STRCMP_EQUAL("pos", parsed.positionals[0].c_str());
  CHECK_TRUE(parsed.Flag("yes") != nullptr);
  CheckUsageError({"pos", "--yes=no"}, "--yes takes no value");
  CheckUsageError({"pos", "--yes", "--yes"}, "--yes given twice");
}

TEST(CliArgs, AnEmptyInlineValueIsAValue) {
  CHECK_TRUE(Parse({"pos", "--name="}).ok());
  STRCMP_EQUAL("", parsed.Flag("name")->c_str());
}

TEST(CliArgs, HelpAnywhereWinsOverErrors) {
  CHECK_TRUE(Parse({"--bogus", "-h"}).ok());
  CHECK_TRUE(parsed.help);
  CHECK_TRUE(Parse({"--help"}).ok());
  CHECK_TRUE(parsed.help);
}

TEST(CliArgs, DoubleDashEndsOptions) {
  CHECK_TRUE(Parse({"--", "--help"}).ok());
  CHECK_FALSE(parsed.help);
  STRCMP_EQUAL("--help", parsed.positionals[0].c_str());
}

TEST(CliArgs, RefusesUnknownMissingAndRepeatedOptions) {
  CheckUsageError({"pos", "--bogus", "1"}, "unknown option --bogus");
  CheckUsageError({"pos", "-x"}, "unknown option -x");
  CheckUsageError({"pos", "--data-dir"}, "--data-dir needs a value");
  CheckUsageError({"pos", "--name", "a", "--name=b"}, "given twice");
}

TEST(CliArgs, CountsPositionals) {
  CheckUsageError({}, "missing NAME");
  CheckUsageError({"--data-dir", "/x"}, "missing NAME");
  CheckUsageError({"a", "b"}, "unexpected argument 'b'");
}

TEST(CliArgs, AnOptionalPositionalMayBeLeftOut) {
  spec.optional_positionals = 1;
  CHECK_TRUE(Parse({"--data-dir", "/x"}).ok());
  LONGS_EQUAL(0, parsed.positionals.size());
  CHECK_TRUE(Parse({"pos"}).ok());
  LONGS_EQUAL(1, parsed.positionals.size());
  CheckUsageError({"a", "b"}, "unexpected argument 'b'");
}

TEST(CliArgs, ALoneDashIsAPositional) {
  CHECK_TRUE(Parse({"-"}).ok());
  STRCMP_EQUAL("-", parsed.positionals[0].c_str());
}

}  // namespace cli
}  // namespace telemed
