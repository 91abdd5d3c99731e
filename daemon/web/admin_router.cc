#include "web/admin_router.h"

#include "base/text.h"

namespace telemed {
namespace web {

namespace {

std::vector<std::string> SplitRaw(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    segments.push_back(
        path.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) return segments;
    start = slash + 1;
  }
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::vector<std::string>* params) {
  const std::vector<std::string> want = SplitRaw(pattern);
  const std::vector<std::string> got = SplitRaw(path);
  if (want.size() != got.size()) return false;
  std::vector<std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!IsParameter(want[i])) {
      if (want[i] != got[i]) return false;
      continue;
    }
    // Decoded after splitting, so "a%2Fb" stays one segment.
    std::string value =
        httplib::detail::decode_url(got[i], /*convert_plus_to_space=*/false);
    size_t code_points = 0;
    if (value.empty() || !IsCleanUtf8(value, &code_points) ||
        HasControlCharacter(value)) {
      return false;
    }
    found.push_back(std::move(value));
  }
  *params = std::move(found);
  return true;
}

}  // namespace web
}  // namespace telemed
