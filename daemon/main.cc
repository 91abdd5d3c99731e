// telemed-bridge: one binary for the daemon (`serve`) and its operator
// commands. cli/ parses the command line (see cli/cli.h) and `serve` runs
// the daemon's runtime (service/daemon.h), so main only hands over the
// process's arguments, environment and streams.
#include <stdlib.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return telemed::cli::RunCommandLine(
      argc > 0 ? argv[0] : "telemed-bridge", args,
      [](const char* name) -> const char* { return getenv(name); }, std::cout,
      std::cerr);
}
