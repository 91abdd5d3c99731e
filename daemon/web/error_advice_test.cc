#include "web/error_advice.h"

#include <CppUTest/TestHarness.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace telemed {
namespace web {

TEST_GROUP(ErrorAdvice){};

// The codes of docs/api.md's "Appointment sync errors" table.
static std::vector<std::string> DocumentedCodes() {
  std::ifstream doc(std::string(TELEMED_SOURCE_DIR) + "/docs/api.md");
  const std::regex row(R"(^\| (pending|failed) \| `([a-z_]+)` \|)");
  std::vector<std::string> codes;
  std::string line;
  while (std::getline(doc, line)) {
    std::smatch match;
    if (std::regex_search(line, match, row)) codes.push_back(match[2]);
  }
  return codes;
}

TEST(ErrorAdvice, EveryDocumentedCodeHasItsOwnAdvice) {
  const std::vector<std::string> codes = DocumentedCodes();
  CHECK(codes.size() >= 10);
  const std::string general = ErrorAdvice("no_such_code");
  for (const std::string& code : codes) {
    if (general == ErrorAdvice(code)) FAIL(("no advice for " + code).c_str());
  }
}

TEST(ErrorAdvice, AnUnknownCodeGetsGeneralAdvice) {
  STRCMP_CONTAINS("Retry", ErrorAdvice("something_new"));
  STRCMP_CONTAINS("Doctors", ErrorAdvice("zoom_user_not_found"));
}

}  // namespace web
}  // namespace telemed
