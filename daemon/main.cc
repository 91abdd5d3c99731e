// telemed-bridge: wires flags -> config -> modules -> run. (Placeholder until
// the CLI lands: prints the version.)
#include <cstdio>

#include "build_config.h"

int main() {
  printf("telemed-bridge %s\n", TELEMED_VERSION);
  return 0;
}
