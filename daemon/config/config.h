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
  // Address of the HTTPS listener (the admin page, and /api/v1 for clinic
  // software on other machines); "off" turns it off.
  // Default: TELEMED_DEFAULT_HTTPS_LISTEN (off in a development build,
  // 0.0.0.0:8443 in the package).
  bool https_enabled = DefaultHttpsListen().enabled;
  ListenAddress https_listen = DefaultHttpsListen().address;
  // Whether --https-listen or TELEMED_HTTPS_LISTEN gave it: a given address
  // that cannot be bound stops the daemon; the built-in default only warns
  // (another program may hold 8443 on a box the clinic also uses otherwise).
  bool https_listen_given = false;
  // Appointments that ended more than this many days ago are purged.
  // Unit: days, 1..3650. Default: 90.
  int retention_days = 90;
  // How many daily automatic backups DATA_DIR/backups/ keeps; 0 ("off")
  // writes none. Unit: backups, 1..365 or 0. Default: 7.
  int backup_keep = 7;

  // Zoom's OAuth base (token endpoint), https:// only, no trailing '/'.
  // Default "https://zoom.us" (Zoom for Government: https://zoomgov.com).
  std::string zoom_oauth_url = "https://zoom.us";
  // Zoom's API base, https:// only. Default "https://api.zoom.us/v2".
  std::string zoom_api_url = "https://api.zoom.us/v2";
  // PEM file of CAs trusted for Zoom; "" = the system bundle.
  std::string ca_file;
  // Whether the three above were given (flag or environment): a given one
  // wins over what `zoom s2s` stored with the app, which wins over the
  // default (service/zoom_session.h).
  bool zoom_oauth_url_given = false;
  bool zoom_api_url_given = false;
  bool ca_file_given = false;
  // The clinic's Zoom plan: free, pro or business (per-second budgets).
  // Default "pro".
  std::string zoom_plan = "pro";
  // The 256-bit secret key file; "" = $CREDENTIALS_DIRECTORY/
  // telemed-bridge.key when systemd provides one, else
  // <data_dir>/secret.key (created on first use).
  std::string key_file;
  // The key file used when key_file and the credentials directory are
  // empty; never created on the fly (a missing one is an error naming it).
  // Default: TELEMED_DEFAULT_KEY_FILE ("" in a development build, then
  // <data_dir>/secret.key; /etc/telemed-bridge/secret.key in the package).
  std::string default_key_file = TELEMED_DEFAULT_KEY_FILE;
  // The user a CLI started as root becomes before it touches the data dir,
  // so that what it creates belongs to the service. "" = the data dir's
  // owner. Default: TELEMED_SERVICE_USER ("telemed-bridge" in the package).
  std::string service_user = TELEMED_SERVICE_USER;
  // systemd's credentials directory ($CREDENTIALS_DIRECTORY); "" = none.
  std::string credentials_directory;
  // Topic of meetings whose appointment has none (patients see it).
  // 1..200 characters. Default "Video visit".
  std::string default_topic = "Video visit";
  // The origin doctors' browsers reach the HTTPS listener at: the origin of
  // connect links and of the OAuth redirect URL (<public_url>/oauth/callback),
  // so the two always agree. https:// only, no trailing '/'. "" = the
  // default, PublicUrl()'s https://<hostname>.local:<HTTPS port>.
  std::string public_url;
  // Whether a doctor's Zoom account must match the doctor's zoom_user (its
  // email ignoring case, or its user id) for a connection to be kept.
  // Default on.
  bool oauth_match_email = true;

  // The build's default listen address. REQUIRES: TELEMED_DEFAULT_LISTEN
  // parses (checked by config_test).
  static ListenAddress DefaultListenAddress();
  struct OptionalListen {
    bool enabled = false;
    ListenAddress address;
  };
  // The build's default HTTPS address. REQUIRES: TELEMED_DEFAULT_HTTPS_LISTEN
  // is "off" or parses (checked by config_test).
  static OptionalListen DefaultHttpsListen();
};

// "HOST:PORT" with HOST an IPv4 literal, "localhost" or "[IPv6]".
// InvalidArgument("invalid_listen", field "listen") otherwise.
Status ParseListenAddress(const std::string& text, ListenAddress* out);

// "HOST:PORT" again, with brackets around an IPv6 host (for URLs and logs).
std::string FormatListenAddress(const ListenAddress& address);

// True for 127.0.0.0/8, ::1 and "localhost": addresses other machines cannot
// reach.
bool IsLoopbackHost(const std::string& host);

// config.public_url, or https://<host>.local:<port> with `host` the
// machine's name (gethostname) and `port` the HTTPS listener's (8443 when
// it is off).
std::string PublicUrl(const Config& config);

// Setters for one setting each; `text` is what the user wrote.
// InvalidArgument with field "data-dir" (empty), "listen" or
// "retention-days" (not a whole number in 1..3650).
Status SetDataDir(const std::string& text, Config* config);
Status SetListen(const std::string& text, Config* config);
// HOST:PORT as for --listen, or "off"; field "https-listen". Marks it given.
Status SetHttpsListen(const std::string& text, Config* config);
Status SetRetentionDays(const std::string& text, Config* config);
// https://HOST[:PORT][/PATH] without whitespace; a trailing '/' is dropped.
// InvalidArgument("invalid_url", field "zoom-oauth-url" / "zoom-api-url").
Status SetZoomOauthUrl(const std::string& text, Config* config);
Status SetZoomApiUrl(const std::string& text, Config* config);
// Non-empty paths; field "ca-file" / "key-file".
Status SetCaFile(const std::string& text, Config* config);
Status SetKeyFile(const std::string& text, Config* config);
// A whole number in 1..365, or "off" (0); field "backup-keep".
Status SetBackupKeep(const std::string& text, Config* config);
// free | pro | business; field "zoom-plan".
Status SetZoomPlan(const std::string& text, Config* config);
// 1..200 characters of clean UTF-8; field "default-topic".
Status SetDefaultTopic(const std::string& text, Config* config);

// https://HOST[:PORT] with no path, query or trailing '/' (a trailing '/'
// is dropped); InvalidArgument("invalid_url", field "public-url").
Status SetPublicUrl(const std::string& text, Config* config);
// on | off; InvalidArgument("invalid_switch", field "oauth-match-email").
Status SetOauthMatchEmail(const std::string& text, Config* config);

// Reads TELEMED_DATA_DIR, TELEMED_SERVICE_USER, TELEMED_LISTEN,
// TELEMED_HTTPS_LISTEN,
// TELEMED_ZOOM_OAUTH_URL, TELEMED_ZOOM_API_URL, TELEMED_CA_FILE,
// TELEMED_KEY_FILE, TELEMED_RETENTION_DAYS, TELEMED_ZOOM_PLAN,
// TELEMED_DEFAULT_TOPIC, TELEMED_BACKUP_KEEP, TELEMED_PUBLIC_URL,
// TELEMED_OAUTH_MATCH_EMAIL and CREDENTIALS_DIRECTORY
// through `getenv` (unset or empty variables are ignored), so that a
// service's environment file can set every setting of serve. Errors name
// the variable in their message.
using EnvGetter = std::function<const char*(const char* name)>;
Status ApplyEnvironment(const EnvGetter& getenv, Config* config);

}  // namespace telemed

#endif  // TELEMED_CONFIG_CONFIG_H_
