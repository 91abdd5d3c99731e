#include "base/words.h"

#include <CppUTest/TestHarness.h>

namespace telemed {

TEST_GROUP(Words){};

TEST(Words, SplitAndJoinRoundTrip) {
  std::vector<std::string> words = SplitWords("  a:b  c\td ");
  LONGS_EQUAL(3, words.size());
  STRCMP_EQUAL("c", words[1].c_str());
  STRCMP_EQUAL("a:b c d", JoinWords(words).c_str());
  CHECK_TRUE(SplitWords("").empty());
  STRCMP_EQUAL("", JoinWords({}).c_str());
}

}  // namespace telemed
