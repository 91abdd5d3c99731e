// Config: the daemon's settings, from built-in defaults, the environment
// (TELEMED_DATA_DIR, TELEMED_LISTEN) and command-line flags, in that order of
// precedence from weakest to strongest.
//
// Every setter validates its text and refuses with a Status whose field is
// the flag's name ("data-dir", "listen", "retention-days"), so the CLI can say
// which input was wrong; the Config is unchanged on error.
#ifndef TELEMED_CONFIG_CONFIG_H_
#define TELEMED_CONFIG_CONFIG_H_

#include <functional>
#include <string>

#include "base/status.h"
#include "build_config.h"

namespace telemed {

// A host and port to listen on. `host` is an IPv4 literal, "localhost" or an
// IPv6 literal (kept without its brackets).
struct ListenAddress {
  std::string host;
  int port = 0;  // 1..65535
};

struct Config {
  // Directory holding the database; created 0700 when missing.
  // Default: TELEMED_DEFAULT_DATA_DIR ("./var" in a development build,
  // /var/lib/telemed-bridge in the package).
  std::string data_dir = TELEMED_DEFAULT_DATA_DIR;
  // Address of the local API (plain HTTP).
  // Default: TELEMED_DEFAULT_LISTEN ("127.0.0.1:8080").
  ListenAddress listen = DefaultListenAddress();
  // Appointments that ended more than this many days ago are purged.
  // Unit: days, 1..3650. Default: 90.
  int retention_days = 90;

  // The build's default listen address. REQUIRES: TELEMED_DEFAULT_LISTEN
  // parses (checked by config_test).
  static ListenAddress DefaultListenAddress();
};

// "HOST:PORT" with HOST an IPv4 literal, "localhost" or "[IPv6]".
// InvalidArgument("invalid_listen", field "listen") otherwise.
Status ParseListenAddress(const std::string& text, ListenAddress* out);

// "HOST:PORT" again, with brackets around an IPv6 host (for URLs and logs).
std::string FormatListenAddress(const ListenAddress& address);

// True for 127.0.0.0/8, ::1 and "localhost": addresses other machines cannot
// reach.
bool IsLoopbackHost(const std::string& host);

// Setters for one setting each; `text` is what the user wrote.
// InvalidArgument with field "data-dir" (empty), "listen" or
// "retention-days" (not a whole number in 1..3650).
Status SetDataDir(const std::string& text, Config* config);
Status SetListen(const std::string& text, Config* config);
Status SetRetentionDays(const std::string& text, Config* config);

// Reads TELEMED_DATA_DIR and TELEMED_LISTEN through `getenv` (unset or empty
// variables are ignored). Errors name the variable in their message.
using EnvGetter = std::function<const char*(const char* name)>;
Status ApplyEnvironment(const EnvGetter& getenv, Config* config);

}  // namespace telemed

#endif  // TELEMED_CONFIG_CONFIG_H_
