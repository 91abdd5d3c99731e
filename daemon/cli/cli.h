// The command line of telemed-bridge: finds the subcommand, parses its
// arguments, loads Config (defaults < environment < flags) and runs it.
//
// Every command and command group answers --help (usage on `out`, exit 0);
// a bad command, option or argument prints the reason and a usage line on
// `err` and exits 2. See cli/command.h for the other exit codes.
#ifndef TELEMED_CLI_CLI_H_
#define TELEMED_CLI_CLI_H_

#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"

namespace telemed {
namespace cli {

// Runs the command in `args` (argv without argv[0]); `program` is argv[0].
// Returns the process's exit code. `serve` runs until a signal stops it.
int RunCommandLine(const std::string& program,
                   const std::vector<std::string>& args,
                   const EnvGetter& getenv, std::ostream& out,
                   std::ostream& err);

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_CLI_H_
