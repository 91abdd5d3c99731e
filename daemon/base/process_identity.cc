#include "base/process_identity.h"

#include <errno.h>

#include <cstdlib>
#include <sstream>
#include <vector>

namespace telemed {

namespace {

constexpr char kOwnerVersion[] = "p1";

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

bool ParseUnsigned(const std::string& text, uint64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  *out = std::strtoull(text.c_str(), nullptr, 10);
  return true;
}

}  // namespace

// "pid (comm) state ... starttime ...": the command may hold spaces and
// parentheses, so fields are counted after the last ')'.
bool ParseProcStat(const std::string& stat, char* state, uint64_t* start_time) {
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  const std::vector<std::string> fields = Words(stat.substr(close + 1));
  // fields[0] is field 3, so field 22 is fields[19].
  if (fields.size() < 20 || fields[0].size() != 1) return false;
  *state = fields[0][0];
  return ParseUnsigned(fields[19], start_time);
}

std::string LeaseOwnerName(const ProcessIdentity& identity,
                           const std::string& nonce) {
  std::string scope;
  int64_t pid = 0;
  uint64_t start_time = 0;
  if (!identity.Scope(&scope) || Words(scope).size() != 1 ||
      !identity.Self(&pid, &start_time)) {
    return nonce;
  }
  return std::string(kOwnerVersion) + " " + scope + " " + std::to_string(pid) +
         " " + std::to_string(start_time) + " " + nonce;
}

bool LeaseOwnerIsGone(const ProcessIdentity& identity,
                      const std::string& owner) {
  const std::vector<std::string> words = Words(owner);
  uint64_t pid = 0;
  uint64_t start_time = 0;
  if (words.size() != 5 || words[0] != kOwnerVersion ||
      !ParseUnsigned(words[2], &pid) || !ParseUnsigned(words[3], &start_time) ||
      pid == 0) {
    return false;
  }
  std::string scope;
  if (!identity.Scope(&scope) || scope != words[1]) return false;
  uint64_t running_start = 0;
  switch (identity.Find(static_cast<int64_t>(pid), &running_start)) {
    case ProcessIdentity::Lookup::kGone:
      return true;
    case ProcessIdentity::Lookup::kRunning:
      // The pid was reused by a process started at another time.
      return running_start != start_time;
    case ProcessIdentity::Lookup::kUnknown:
      break;
  }
  return false;
}

}  // namespace telemed
