// Checks on text as code points: whether bytes are UTF-8 a person can be
// shown, and whether they hold characters that a terminal acts on or that
// are invisible. Pure functions, used by every front end's validation
// (model/validation.h), the config file and the CLI's printing.
#ifndef TELEMED_BASE_TEXT_H_
#define TELEMED_BASE_TEXT_H_

#include <cstddef>
#include <string>

namespace telemed {

// True when `text` is valid UTF-8 (no overlong forms, surrogates or values
// past U+10FFFF) without NUL; *code_points gets its length.
bool IsCleanUtf8(const std::string& text, size_t* code_points);

// Whether `text` holds a control character: C0 (tab and newline included),
// DEL or C1 (U+0080..U+009F). REQUIRES: IsCleanUtf8(text).
bool HasControlCharacter(const std::string& text);

// Whether `text` holds a control character, Unicode White_Space or the BOM.
// REQUIRES: IsCleanUtf8(text).
bool HasSpaceOrControl(const std::string& text);

}  // namespace telemed

#endif  // TELEMED_BASE_TEXT_H_
