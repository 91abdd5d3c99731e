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

TEST(CliTable, EscapesControlCharactersSoTheTerminalIsSafe) {
  // A name stored before the API refused control characters: ESC [2J
  // would clear the admin's screen, CR would overwrite the line.
  std::string text = FormatTable(
      {{"ID", "NAME"}, {"d1", "Dr\x1b[2J\rX"}, {"d2", "Zo\xC3\xAB\tA"}});
  STRCMP_EQUAL(
      "ID  NAME\n"
      "d1  Dr\\x1b[2J\\x0dX\n"
      "d2  Zo\xC3\xAB\\x09A\n",
      text.c_str());
}

TEST(CliTable, EscapeControlsCoversDelC1BackslashAndBadUtf8) {
  STRCMP_EQUAL("a\\x7fb", EscapeControls("a\x7f"
                                         "b")
                              .c_str());
  STRCMP_EQUAL("\\u0085\\u009b", EscapeControls("\xC2\x85\xC2\x9B").c_str());
  STRCMP_EQUAL("\xC2\xA0\xC2\xA9", EscapeControls("\xC2\xA0\xC2\xA9").c_str());
  STRCMP_EQUAL("a\\\\x1b", EscapeControls("a\\x1b").c_str());
  // Not UTF-8: a lone 0x9B is CSI on some terminals.
  STRCMP_EQUAL("\\x9b[2J\\xc3\\xab", EscapeControls("\x9B[2J\xC3\xAB").c_str());
  STRCMP_EQUAL("a\\x00b", EscapeControls(std::string("a\0b", 3)).c_str());
  STRCMP_EQUAL("plain text", EscapeControls("plain text").c_str());
}

}  // namespace cli
}  // namespace telemed
