#include "cli/table.h"

#include <algorithm>

#include "base/text.h"

namespace telemed {
namespace cli {

namespace {

// Counts every byte that does not continue a UTF-8 sequence.
size_t DisplayWidth(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

void AppendHex(const char* prefix, unsigned char byte, std::string* out) {
  static const char kDigits[] = "0123456789abcdef";
  *out += prefix;
  *out += kDigits[byte >> 4];
  *out += kDigits[byte & 0xF];
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

std::string EscapeControls(const std::string& text) {
  size_t unused = 0;
  const bool utf8 = IsCleanUtf8(text, &unused);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char next =
        i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c == 0x7F || (!utf8 && c >= 0x80)) {
      AppendHex("\\x", c, &out);
    } else if (utf8 && c == 0xC2 && next <= 0x9F) {
      // In valid UTF-8, C2 80..C2 9F is exactly U+0080..U+009F (C1).
      AppendHex("\\u00", next, &out);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string FormatTable(const std::vector<TableRow>& raw_rows) {
  std::vector<TableRow> rows = raw_rows;
  for (TableRow& row : rows) {
    for (std::string& cell : row) cell = EscapeControls(cell);
  }
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
