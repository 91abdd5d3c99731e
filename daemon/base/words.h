// Space-separated word lists (OAuth scope strings, stored scope columns).
#ifndef TELEMED_BASE_WORDS_H_
#define TELEMED_BASE_WORDS_H_

#include <string>
#include <vector>

namespace telemed {

// The words of `text`, split on runs of white space.
std::vector<std::string> SplitWords(const std::string& text);
// `words` joined by single spaces.
std::string JoinWords(const std::vector<std::string>& words);

}  // namespace telemed

#endif  // TELEMED_BASE_WORDS_H_
