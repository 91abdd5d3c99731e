#include "config/settings_file.h"

#include <errno.h>

#include <fstream>
#include <set>
#include <utility>

#include "base/posix_error.h"

namespace telemed {

namespace {

// An /etc/default file is a few hundred bytes; a larger one is the wrong
// file.
constexpr size_t kMaxFileBytes = 64 * 1024;

// The TELEMED_* names ApplyEnvironment reads, asked of it rather than listed
// again here, so that a new setting is accepted in the file at once.
std::set<std::string> KnownNames() {
  std::set<std::string> names;
  Config scratch;
  Status ignored = ApplyEnvironment(
      [&names](const char* name) -> const char* {
        if (std::string(name).compare(0, 8, "TELEMED_") == 0) {
          names.insert(name);
        }
        return nullptr;
      },
      &scratch);
  (void)ignored;
  return names;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

// Strips one pair of matching quotes; false when what is left would mean
// something else to systemd (an escape or a quote inside).
bool Unquote(std::string* value) {
  size_t n = value->size();
  if (n >= 2 && ((*value)[0] == '"' || (*value)[0] == '\'') &&
      (*value)[n - 1] == (*value)[0]) {
    *value = value->substr(1, n - 2);
  }
  return value->find_first_of("\\\"'") == std::string::npos;
}

Status BadLine(const std::string& path, int line, const std::string& why) {
  return Status::InvalidArgument(
      "invalid_settings_file",
      "settings file " + path + ", line " + std::to_string(line) + ": " + why);
}

// One line; a setting goes into *out.
Status ParseLine(const std::string& path, int number, const std::string& raw,
                 const std::set<std::string>& known,
                 std::map<std::string, std::string>* out) {
  std::string line = Trim(raw);
  if (line.empty() || line[0] == '#' || line[0] == ';') return Status::OK();
  size_t equals = line.find('=');
  if (equals == std::string::npos) {
    return BadLine(path, number, "not NAME=VALUE");
  }
  std::string name = Trim(line.substr(0, equals));
  std::string value = Trim(line.substr(equals + 1));
  if (known.count(name) == 0) {
    return BadLine(path, number, "unknown setting '" + name + "'");
  }
  if (!Unquote(&value)) {
    return BadLine(path, number,
                   name + "'s value holds a backslash or a quote");
  }
  (*out)[name] = value;
  return Status::OK();
}

// Each value as ApplyEnvironment would take it, so the file's own errors
// name the file.
Status CheckValues(const std::string& path,
                   const std::map<std::string, std::string>& settings) {
  Config scratch;
  Status s = ApplyEnvironment(
      [&settings](const char* name) -> const char* {
        auto it = settings.find(name);
        return it == settings.end() ? nullptr : it->second.c_str();
      },
      &scratch);
  if (s.ok()) return s;
  return Status::InvalidArgument("invalid_settings_file",
                                 "settings file " + path + ": " + s.message());
}

}  // namespace

void FindSettingsFile(const EnvGetter& getenv, std::string* path,
                      bool* must_exist) {
  const char* given = getenv("TELEMED_DEFAULTS_FILE");
  *must_exist = given != nullptr && *given != '\0';
  *path = *must_exist ? given : TELEMED_DEFAULTS_FILE;
}

Status ReadSettingsFile(const std::string& path, bool must_exist,
                        std::map<std::string, std::string>* out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    int err = errno;
    if (err == ENOENT && !must_exist) return Status::OK();
    return PosixError("cannot read the settings file " + path, err);
  }
  std::string text(kMaxFileBytes + 1, '\0');
  file.read(&text[0], static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  if (text.size() > kMaxFileBytes) {
    return Status::InvalidArgument(
        "invalid_settings_file",
        "settings file " + path + " is larger than 64 KiB");
  }
  std::set<std::string> known = KnownNames();
  std::map<std::string, std::string> settings;
  int number = 0;
  for (size_t start = 0; start < text.size(); ++number) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    Status s = ParseLine(path, number + 1, text.substr(start, end - start),
                         known, &settings);
    if (!s.ok()) return s;
    start = end + 1;
  }
  Status s = CheckValues(path, settings);
  if (s.ok()) *out = std::move(settings);
  return s;
}

EnvGetter WithSettings(const EnvGetter& getenv,
                       const std::map<std::string, std::string>& settings) {
  return [&getenv, &settings](const char* name) -> const char* {
    const char* value = getenv(name);
    if (value != nullptr && *value != '\0') return value;
    auto it = settings.find(name);
    return it == settings.end() ? nullptr : it->second.c_str();
  };
}

}  // namespace telemed
