#include "base/text.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace telemed {

TEST_GROUP(TextUtf8){};

TEST(TextUtf8, CountsCodePointsNotBytes) {
  size_t count = 99;
  // a, e-acute (2 bytes), euro (3), grinning face (4).
  CHECK_TRUE(IsCleanUtf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", &count));
  LONGS_EQUAL(4, count);
  CHECK_TRUE(IsCleanUtf8("", &count));
  LONGS_EQUAL(0, count);
}

TEST(TextUtf8, AcceptsBoundaryCodePoints) {
  size_t count = 0;
  for (const char* text : {"\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80",
                           "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
                           "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    if (!IsCleanUtf8(text, &count)) FAIL("refused a valid code point");
    LONGS_EQUAL(1, count);
  }
}

TEST(TextUtf8, RefusesNul) {
  size_t count = 0;
  CHECK_FALSE(IsCleanUtf8(std::string("ab\0cd", 5), &count));
}

TEST(TextUtf8, RefusesOverlongForms) {
  size_t count = 0;
  CHECK_FALSE(IsCleanUtf8("\xC0\xAF", &count));  // '/'
  CHECK_FALSE(IsCleanUtf8("\xC1\xBF", &count));
  CHECK_FALSE(IsCleanUtf8("\xE0\x80\xAF", &count));
  CHECK_FALSE(IsCleanUtf8("\xE0\x9F\xBF", &count));
  CHECK_FALSE(IsCleanUtf8("\xF0\x8F\xBF\xBF", &count));
  CHECK_FALSE(IsCleanUtf8(std::string("\xC0\x80", 2), &count));  // NUL
}

TEST(TextUtf8, RefusesSurrogates) {
  size_t count = 0;
  CHECK_FALSE(IsCleanUtf8("\xED\xA0\x80", &count));  // U+D800
  CHECK_FALSE(IsCleanUtf8("\xED\xBF\xBF", &count));  // U+DFFF
}

TEST(TextUtf8, RefusesBeyondU10FFFF) {
  size_t count = 0;
  CHECK_FALSE(IsCleanUtf8("\xF4\x90\x80\x80", &count));
  CHECK_FALSE(IsCleanUtf8("\xF5\x80\x80\x80", &count));
  CHECK_FALSE(IsCleanUtf8("\xF8\x88\x80\x80\x80", &count));
  CHECK_FALSE(IsCleanUtf8("\xFF", &count));
}

TEST(TextUtf8, RefusesTruncatedAndStraySequences) {
  size_t count = 0;
  CHECK_FALSE(IsCleanUtf8("\xE2\x82", &count));
  CHECK_FALSE(IsCleanUtf8("a\xF0\x9F\x98", &count));
  CHECK_FALSE(IsCleanUtf8("\x80", &count));
  CHECK_FALSE(
      IsCleanUtf8("\xC3"
                  "a",
                  &count));
}

TEST_GROUP(TextControls){};

TEST(TextControls, FindsC0DelAndC1ButNotPrintables) {
  CHECK_FALSE(HasControlCharacter("Dr. M\xC3\xBCller \xE2\x82\xAC"));
  CHECK_FALSE(HasControlCharacter(""));
  for (const char* text : {"a\tb", "a\nb", "\x1B[2J", "\x7F", "a\xC2\x9B"}) {
    if (!HasControlCharacter(text)) FAIL(text);
  }
}

TEST(TextControls, SpaceOrControlAlsoFindsUnicodeSpacesAndTheBom) {
  CHECK_FALSE(HasSpaceOrControl("dr@example.org"));
  for (const char* text : {"a b", "a\xC2\xA0", "\xE2\x80\x83", "\xE3\x80\x80",
                           "\xEF\xBB\xBF", "a\tb"}) {
    if (!HasSpaceOrControl(text)) FAIL(text);
  }
  // A space is not a control character.
  CHECK_FALSE(HasControlCharacter("a b"));
}

}  // namespace telemed
