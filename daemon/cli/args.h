// Argument parsing for one subcommand: positional arguments and "--flag
// VALUE" / "--flag=VALUE" options, which may stand anywhere after the
// subcommand ("apikey create pos --data-dir /x" equals "apikey create
// --data-dir /x pos"). "--" ends the options; "--help" or "-h" anywhere
// before it asks for help and wins over every other error.
#ifndef TELEMED_CLI_ARGS_H_
#define TELEMED_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {
namespace cli {

// What a subcommand accepts.
struct ArgSpec {
  // Names of the required positional arguments, in order ("NAME").
  std::vector<std::string> positionals;
  // Options that take a value, without the leading "--" ("data-dir").
  std::vector<std::string> value_flags;
  // Options that take none ("yes"); given, Flag() returns "".
  std::vector<std::string> switches = {};
  // How many of the last `positionals` may be left out.
  size_t optional_positionals = 0;
};

struct ParsedArgs {
  bool help = false;
  std::vector<std::string> positionals;
  std::map<std::string, std::string> flags;  // name without "--" -> value

  // The flag's value, or nullptr when it was not given. The pointer stays
  // valid while *this is unchanged.
  const std::string* Flag(const std::string& name) const;
};

// Parses `args` (what follows the subcommand) against `spec`.
// InvalidArgument("usage", message) for an unknown flag, a flag without its
// value or given twice, and a missing or extra positional argument.
Status ParseArgs(const std::vector<std::string>& args, const ArgSpec& spec,
                 ParsedArgs* out);

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_ARGS_H_
