#include "cli/table.h"

#include <CppUTest/TestHarness.h>

namespace telemed {
namespace cli {

TEST_GROUP(CliTable){};

TEST(CliTable, AlignsColumnsWithoutTrailingSpaces) {
  std::string text = FormatTable(
      {{"NAME", "STATUS"}, {"pos-system", "active"}, {"a", "revoked"}});
  STRCMP_EQUAL(
      "NAME        STATUS\n"
      "pos-system  active\n"
      "a           revoked\n",
      text.c_str());
}

TEST(CliTable, CountsCodePointsNotBytes) {
  std::string text = FormatTable({{"Zoë", "x"}, {"Anna", "y"}});
  STRCMP_EQUAL("Zoë   x\nAnna  y\n", text.c_str());
}

TEST(CliTable, ShortRowsAndEmptyTables) {
  STRCMP_EQUAL("A  B\nc\n", FormatTable({{"A", "B"}, {"c"}}).c_str());
  STRCMP_EQUAL("", FormatTable({}).c_str());
}

}  // namespace cli
}  // namespace telemed
