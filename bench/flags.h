// Flags: "--name value" pairs of one api_bench subcommand.
//
// Each subcommand reads the flags it knows with a default; Unused() then
// names any flag nobody read, so a typo fails instead of being ignored.
#ifndef TELEMED_BENCH_FLAGS_H_
#define TELEMED_BENCH_FLAGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

namespace telemed {
namespace bench {

class Flags {
 public:
  // Parses argv[first..argc). False (with *error set) on a flag without a
  // value or an argument that is not a flag.
  bool Parse(int argc, char** argv, int first, std::string* error);

  std::string GetString(const std::string& name, const std::string& fallback);
  // Exits with status 2 when the value is not a number.
  double GetDouble(const std::string& name, double fallback);
  int GetInt(const std::string& name, int fallback);
  // A comma-separated list of integers ("4,16,64"); exits with status 2
  // when an item is not one.
  std::vector<int> GetIntList(const std::string& name,
                              const std::string& fallback);
  // A flag that was given but never read; empty when all were read.
  std::string Unused() const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> read_;
};

// The main() of a bench program, "PROGRAM COMMAND [--flag value ...]":
// ignores SIGPIPE (httplib writes with plain send(), and a server closing a
// kept-alive connection must not kill the program), parses the flags and
// runs `dispatch`. Unused flags are checked after it ran, because the
// command reads them: a typo fails the run (exit 2) rather than pass
// silently. `usage` lists the commands.
int RunCommand(int argc, char** argv, const char* program, const char* usage,
               int (*dispatch)(const std::string& command, Flags* flags));

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_FLAGS_H_
