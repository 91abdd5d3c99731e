// A small UTF-8 decoder (no library of the stack exposes one) and the
// code-point classes base/text.h asks about.
#include "base/text.h"

namespace telemed {

namespace {

// Reads the lead byte of a UTF-8 sequence: its length, its payload bits and
// the smallest code point that length may carry (to refuse overlong forms).
bool ReadLeadByte(unsigned char lead, size_t* length, char32_t* bits,
                  char32_t* min) {
  if (lead < 0x80) {
    *length = 1, *bits = lead, *min = 0;
  } else if ((lead & 0xE0) == 0xC0) {
    *length = 2, *bits = lead & 0x1F, *min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    *length = 3, *bits = lead & 0x0F, *min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    *length = 4, *bits = lead & 0x07, *min = 0x10000;
  } else {
    return false;  // a continuation byte or 0xF8..0xFF
  }
  return true;
}

// Decodes the code point at *pos and advances past it. False for truncated
// sequences, overlong forms, UTF-16 surrogates and values past U+10FFFF.
bool DecodeCodePoint(const std::string& text, size_t* pos, char32_t* out) {
  size_t length = 0;
  char32_t code_point = 0;
  char32_t min = 0;
  if (!ReadLeadByte(static_cast<unsigned char>(text[*pos]), &length,
                    &code_point, &min) ||
      text.size() - *pos < length) {
    return false;
  }
  for (size_t i = 1; i < length; ++i) {
    const unsigned char next = static_cast<unsigned char>(text[*pos + i]);
    if ((next & 0xC0) != 0x80) return false;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return false;
  }
  *pos += length;
  *out = code_point;
  return true;
}

// Control characters (C0, DEL, C1) and Unicode White_Space, plus the BOM:
// none belongs in a Zoom user id or e-mail, and all are invisible in logs.
bool IsSpaceOrControl(char32_t c) {
  return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// C0 (tab and newline included), DEL and C1: a terminal acts on them
// (ESC starts a sequence that moves the cursor or rewrites the screen, and
// U+009B is CSI), so stored text that an admin's CLI or a clinic screen
// prints must not carry them.
bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Whether `text` holds a code point for which `test` is true.
// REQUIRES: IsCleanUtf8(text).
bool HasCodePoint(const std::string& text, bool (*test)(char32_t)) {
  size_t pos = 0;
  char32_t c = 0;
  while (pos < text.size() && DecodeCodePoint(text, &pos, &c)) {
    if (test(c)) return true;
  }
  return false;
}

}  // namespace

bool IsCleanUtf8(const std::string& text, size_t* code_points) {
  size_t count = 0;
  size_t pos = 0;
  char32_t c = 0;
  while (pos < text.size()) {
    if (!DecodeCodePoint(text, &pos, &c) || c == 0) return false;
    ++count;
  }
  *code_points = count;
  return true;
}

bool HasControlCharacter(const std::string& text) {
  return HasCodePoint(text, IsControl);
}

bool HasSpaceOrControl(const std::string& text) {
  return HasCodePoint(text, IsSpaceOrControl);
}

}  // namespace telemed
