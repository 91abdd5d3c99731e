#include "flags.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace telemed {
namespace bench {

bool Flags::Parse(int argc, char** argv, int first, std::string* error) {
  for (int i = first; i < argc; i += 2) {
    std::string name = argv[i];
    if (name.size() < 3 || name.compare(0, 2, "--") != 0) {
      *error = "expected a --flag, got '" + name + "'";
      return false;
    }
    if (i + 1 >= argc) {
      *error = name + " needs a value";
      return false;
    }
    values_[name.substr(2)] = argv[i + 1];
  }
  return true;
}

std::string Flags::GetString(const std::string& name,
                             const std::string& fallback) {
  read_.insert(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

double Flags::GetDouble(const std::string& name, double fallback) {
  std::string text = GetString(name, "");
  if (text.empty()) return fallback;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (*end != '\0') {
    std::fprintf(stderr, "api_bench: --%s: not a number: %s\n", name.c_str(),
                 text.c_str());
    std::exit(2);
  }
  return value;
}

int Flags::GetInt(const std::string& name, int fallback) {
  return static_cast<int>(GetDouble(name, fallback));
}

std::vector<int> Flags::GetIntList(const std::string& name,
                                   const std::string& fallback) {
  std::vector<int> values;
  std::stringstream in(GetString(name, fallback));
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const long value = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0') {
      std::fprintf(stderr, "--%s: not a list of integers: %s\n", name.c_str(),
                   item.c_str());
      std::exit(2);
    }
    values.push_back(static_cast<int>(value));
  }
  return values;
}

std::string Flags::Unused() const {
  for (const auto& entry : values_) {
    if (read_.count(entry.first) == 0) return "--" + entry.first;
  }
  return "";
}

int RunCommand(int argc, char** argv, const char* program, const char* usage,
               int (*dispatch)(const std::string& command, Flags* flags)) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s %s [--flag value ...]\n", program, usage);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  Flags flags;
  std::string error;
  if (!flags.Parse(argc, argv, 2, &error)) {
    std::fprintf(stderr, "%s: %s\n", program, error.c_str());
    return 2;
  }
  int rc = dispatch(argv[1], &flags);
  std::string unused = flags.Unused();
  if (!unused.empty()) {
    std::fprintf(stderr, "%s: unknown flag %s\n", program, unused.c_str());
    return 2;
  }
  return rc;
}

}  // namespace bench
}  // namespace telemed
