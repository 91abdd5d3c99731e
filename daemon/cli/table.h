// Plain-text tables for the list commands: columns aligned with spaces, no
// borders, so the output reads well and still splits on whitespace.
#ifndef TELEMED_CLI_TABLE_H_
#define TELEMED_CLI_TABLE_H_

#include <string>
#include <vector>

namespace telemed {
namespace cli {

using TableRow = std::vector<std::string>;

// One line per row (the first is the header), cells padded to their column's
// widest cell counted in UTF-8 code points, two spaces between columns, no
// trailing spaces. Rows may be shorter than the header.
std::string FormatTable(const std::vector<TableRow>& rows);

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_TABLE_H_
