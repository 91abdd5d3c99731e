// Plain-text tables for the list commands: columns aligned with spaces, no
// borders, so the output reads well and still splits on whitespace.
#ifndef TELEMED_CLI_TABLE_H_
#define TELEMED_CLI_TABLE_H_

#include <string>
#include <vector>

namespace telemed {
namespace cli {

using TableRow = std::vector<std::string>;

// One line per row (the first is the header), cells passed through
// EscapeControls and padded to their column's widest cell counted in UTF-8
// code points, two spaces between columns, no trailing spaces. Rows may be
// shorter than the header.
std::string FormatTable(const std::vector<TableRow>& rows);

// `text` made safe to print on a terminal: control characters (C0, DEL,
// C1 U+0080..U+009F) become visible escapes ("\x1b", "\u009b") and a
// backslash becomes "\\", so the escapes are unambiguous. Text that is not
// valid UTF-8 has every byte from 0x80 up escaped too ("\xff"): a lone
// 0x9B is CSI to some terminals. Stored text may predate the API's refusal
// of control characters, so everything the CLI prints from the database
// goes through this.
std::string EscapeControls(const std::string& text);

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_TABLE_H_
