// The settings file: KEY=VALUE lines with the TELEMED_* names the daemon
// reads from its environment (the package's /etc/default/telemed-bridge).
//
// systemd hands the file to the service as its environment
// (EnvironmentFile=); the CLI reads it itself, so that `sudo telemed-bridge
// apikey create emr` finds the data dir and key the service uses without a
// flag. Precedence, weakest first: built-in defaults, this file, the
// environment, flags.
//
// The syntax is the part of systemd's that both read alike: blank lines,
// comments starting with '#' or ';', NAME=VALUE with spaces around either
// ignored and the value optionally in single or double quotes. A backslash
// or a quote inside a value is refused (systemd would unescape it, and the
// two readers must not disagree), as is any name the daemon does not read.
#ifndef TELEMED_CONFIG_SETTINGS_FILE_H_
#define TELEMED_CONFIG_SETTINGS_FILE_H_

#include <map>
#include <string>

#include "base/status.h"
#include "config/config.h"

namespace telemed {

// Which settings file applies: $TELEMED_DEFAULTS_FILE when set (it must
// exist), else the build's TELEMED_DEFAULTS_FILE (may be missing; "" in a
// development build, then *path is "" and there is none).
void FindSettingsFile(const EnvGetter& getenv, std::string* path,
                      bool* must_exist);

// The settings of the file at `path`, each checked as its variable would be
// (ApplyEnvironment). A missing file gives none, unless `must_exist`.
// InvalidArgument("invalid_settings_file") naming the file, the line and
// the name for a malformed line, an unknown name or a bad value;
// IoError/PermissionDenied naming the file when it cannot be read.
Status ReadSettingsFile(const std::string& path, bool must_exist,
                        std::map<std::string, std::string>* out);

// `getenv`, falling back to `settings` for variables unset or empty in the
// environment. Borrows both: they must outlive the returned getter.
EnvGetter WithSettings(const EnvGetter& getenv,
                       const std::map<std::string, std::string>& settings);

}  // namespace telemed

#endif  // TELEMED_CONFIG_SETTINGS_FILE_H_
