#include "cli/table.h"

#include <algorithm>

namespace telemed {
namespace cli {

namespace {

// Counts every byte that does not continue a UTF-8 sequence.
size_t DisplayWidth(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

std::vector<size_t> ColumnWidths(const std::vector<TableRow>& rows) {
  std::vector<size_t> widths;
  for (const TableRow& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  return widths;
}

}  // namespace

std::string FormatTable(const std::vector<TableRow>& rows) {
  std::vector<size_t> widths = ColumnWidths(rows);
  std::string out;
  for (const TableRow& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line.append(widths[i - 1] - DisplayWidth(row[i - 1]) + 2, ' ');
      line += row[i];
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace cli
}  // namespace telemed
