#include "cli/cli.h"

#include <initializer_list>
#include <map>
#include <utility>

#include "build_config.h"
#include "cli/command.h"
#include "config/settings_file.h"
#include "store/store.h"

namespace telemed {
namespace cli {

namespace {

// The command table is laid out by hand: its help texts read as they print.
// clang-format off
#define TELEMED_DATA_DIR_HELP                                                \
  "  --data-dir DIR        where the database lives (env TELEMED_DATA_DIR;\n" \
  "                        default " TELEMED_DEFAULT_DATA_DIR ")\n"
#define TELEMED_PUBLIC_URL_HELP                                              \
  "  --public-url URL      https://HOST[:PORT] doctors' browsers reach the\n" \
  "                        page at: the origin of connect links and of the\n" \
  "                        OAuth redirect URL (env TELEMED_PUBLIC_URL;\n"    \
  "                        default https://<hostname>.local:8443)\n"
#define TELEMED_ZOOM_HELP                                                     \
  "  --zoom-oauth-url URL  Zoom's OAuth host, https only (env\n"            \
  "                        TELEMED_ZOOM_OAUTH_URL; default https://zoom.us)\n" \
  "  --zoom-api-url URL    Zoom's API base, https only (env\n"              \
  "                        TELEMED_ZOOM_API_URL; default\n"                 \
  "                        https://api.zoom.us/v2)\n"                       \
  "  --ca-file FILE        CAs trusted for Zoom, PEM (env TELEMED_CA_FILE;\n" \
  "                        default the system bundle)\n"                    \
  TELEMED_KEY_FILE_HELP
#if TELEMED_HAS_DEFAULT_KEY_FILE
#define TELEMED_KEY_FILE_HELP                                                \
  "  --key-file FILE       the 32-byte key that encrypts stored secrets\n"  \
  "                        (env TELEMED_KEY_FILE; default\n"                \
  "                        $CREDENTIALS_DIRECTORY/telemed-bridge.key, else\n" \
  "                        " TELEMED_DEFAULT_KEY_FILE ", made by key create)\n"
#else
#define TELEMED_KEY_FILE_HELP                                                \
  "  --key-file FILE       the 32-byte key that encrypts stored secrets\n"  \
  "                        (env TELEMED_KEY_FILE; default\n"                \
  "                        $CREDENTIALS_DIRECTORY/telemed-bridge.key, else\n" \
  "                        DATA_DIR/secret.key, created on first use)\n"
#endif

#define TELEMED_ZOOM_FLAGS \
  "data-dir", "key-file", "zoom-oauth-url", "zoom-api-url", "ca-file"

struct CommandInfo {
  const char* group;     // "apikey", "doctor", "zoom", "admin", "key", or ""
  const char* name;
  const char* synopsis;  // what follows the command words in the usage line
  const char* help;      // the rest of --help
  ArgSpec spec;
  int (*run)(const Context&);
};

// --schema prints the database schema version this build writes, alone on
// its line: the package's preinst compares it to the installed database's
// before it lets an older version replace a newer one.
int RunVersion(const Context& context) {
  if (context.args.Flag("schema") != nullptr) {
    *context.out << Store::CurrentSchemaVersion() << "\n";
  } else {
    *context.out << kProgramName << " " << TELEMED_VERSION << "\n";
  }
  return kExitOk;
}

const std::vector<CommandInfo>& Commands() {
  static const auto* commands = new std::vector<CommandInfo>{
      {"", "serve",
       "[--data-dir DIR] [--listen HOST:PORT] [--https-listen HOST:PORT|off] "
       "[--retention-days N] "
       "[--zoom-plan PLAN] [zoom options]",
       "Runs the daemon in the foreground until SIGTERM or SIGINT (a\n"
       "second one exits at once; SIGHUP is ignored). One daemon per data\n"
       "dir: a second serve on it exits 1 naming the first one's PID.\n\n"
       TELEMED_DATA_DIR_HELP
       "  --listen HOST:PORT    address of the local API: an IPv4 address,\n"
       "                        localhost or [IPv6], port 1..65535 (env\n"
       "                        TELEMED_LISTEN; default "
       TELEMED_DEFAULT_LISTEN ")\n"
       "  --https-listen HOST:PORT|off\n"
       "                        address of the HTTPS admin page, which also\n"
       "                        serves the API to other machines; off for\n"
       "                        none (env TELEMED_HTTPS_LISTEN; default "
       TELEMED_DEFAULT_HTTPS_LISTEN ")\n"
       "  --retention-days N    purge appointments that ended more than N\n"
       "                        days ago, 1..3650 (env TELEMED_RETENTION_DAYS;\n"
       "                        default 90)\n"
       "  --zoom-plan PLAN      free, pro or business: Zoom's per-second\n"
       "                        budgets the bridge stays under (env\n"
       "                        TELEMED_ZOOM_PLAN; default pro)\n"
       "  --default-topic TEXT  meeting topic for appointments without one\n"
       "                        (env TELEMED_DEFAULT_TOPIC; default\n"
       "                        \"Video visit\")\n"
       "  --backup-keep N|off   daily backups kept in DATA_DIR/backups,\n"
       "                        1..365, or off for none (env\n"
       "                        TELEMED_BACKUP_KEEP; default 7)\n"
       TELEMED_PUBLIC_URL_HELP
       "  --oauth-match-email on|off\n"
       "                        keep a doctor's Zoom connection only when the\n"
       "                        Zoom account is the doctor's zoom_user (env\n"
       "                        TELEMED_OAUTH_MATCH_EMAIL; default on)\n"
       TELEMED_ZOOM_HELP,
       {{}, {"data-dir", "listen", "https-listen", "retention-days", "zoom-plan",
             "default-topic", "backup-keep", "zoom-oauth-url", "zoom-api-url",
             "ca-file", "key-file", "public-url", "oauth-match-email"}},
       RunServe},
      {"", "status", "[--data-dir DIR]",
       "Tells whether a daemon serves the data dir (its PID, address and\n"
       "uptime), the sync queue (pending, failed, deletions) and the last\n"
       "Zoom check's verdict. Exits 0 when a daemon runs, 1 otherwise.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{}, {"data-dir"}}, RunStatus},
      {"apikey", "create", "NAME [--data-dir DIR]",
       "Creates an API key for clinic software and prints it on the last\n"
       "line. Only its hash is stored: it is shown this once.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{"NAME"}, {"data-dir"}}, RunApiKeyCreate},
      {"apikey", "list", "[--data-dir DIR]",
       "Lists API keys: name, status, created, last used (never the keys).\n\n"
       TELEMED_DATA_DIR_HELP,
       {{}, {"data-dir"}}, RunApiKeyList},
      {"apikey", "revoke", "NAME [--data-dir DIR]",
       "Revokes the active key NAME at once, also for a running daemon.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{"NAME"}, {"data-dir"}}, RunApiKeyRevoke},
      {"doctor", "put",
       "ID --name NAME [--zoom-user EMAIL_OR_ID] [--auth s2s|oauth] "
       "[--data-dir DIR]",
       "Registers doctor ID, or updates it: flags left out keep their stored\n"
       "values. The rules are those of PUT /api/v1/doctors/ID.\n\n"
       "  --name NAME           display name (required for a new doctor)\n"
       "  --zoom-user EMAIL_OR_ID\n"
       "                        Zoom e-mail or user id (required for s2s)\n"
       "  --auth s2s|oauth      how the bridge reaches Zoom (default s2s)\n"
       TELEMED_DATA_DIR_HELP,
       {{"ID"}, {"name", "zoom-user", "auth", "data-dir"}}, RunDoctorPut},
      {"doctor", "list", "[--data-dir DIR]",
       "Lists doctors: id, name, auth mode, Zoom user and, for oauth\n"
       "doctors, the Zoom connection state.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{}, {"data-dir"}}, RunDoctorList},
      {"doctor", "remove", "ID [--data-dir DIR] [zoom options]",
       "Removes doctor ID and its cancelled or ended appointments. Refused\n"
       "while it has appointments that are not cancelled or ended, or Zoom\n"
       "work the bridge has not finished (meetings still to delete). An\n"
       "OAuth doctor's Zoom grant is revoked and purged with it.\n\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{"ID"}, {TELEMED_ZOOM_FLAGS}}, RunDoctorRemove},
      {"doctor", "connect",
       "ID [--public-url URL] [--data-dir DIR] [--key-file FILE]",
       "Prints a link for doctor ID (auth oauth) to connect their own Zoom\n"
       "account: it works once, for 15 minutes, in any browser that reaches\n"
       "the bridge's page. The same as POST /api/v1/doctors/ID/connect.\n\n"
       TELEMED_PUBLIC_URL_HELP
       TELEMED_DATA_DIR_HELP TELEMED_KEY_FILE_HELP,
       {{"ID"}, {"public-url", "data-dir", "key-file"}}, RunDoctorConnect},
      {"doctor", "disconnect", "ID [--delete-meetings] [zoom options]",
       "Disconnects doctor ID (auth oauth) from its Zoom account at once:\n"
       "no new Zoom work, the grant revoked at Zoom (retried later by the\n"
       "daemon when Zoom cannot be reached) and purged from the database.\n"
       "Meetings stay unless --delete-meetings. Nothing happens for a\n"
       "doctor not connected. The same as POST\n"
       "/api/v1/doctors/ID/disconnect.\n\n"
       "  --delete-meetings     also delete the doctor's Zoom meetings (the\n"
       "                        daemon does; the grant is kept for that\n"
       "                        alone, 10 minutes at most)\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{"ID"}, {TELEMED_ZOOM_FLAGS}, {"delete-meetings"}},
       RunDoctorDisconnect},
      {"zoom", "s2s",
       "--account-id ID --client-id ID --client-secret-file FILE "
       "[zoom options]",
       "Stores the clinic's Zoom Server-to-Server OAuth app (the IDs from\n"
       "its App Credentials page); the secret is encrypted with the key\n"
       "file. Appointments that failed are retried. See docs/zoom-setup.md.\n"
       "\n"
       "  --account-id ID       the app's Account ID\n"
       "  --client-id ID        the app's Client ID\n"
       "  --client-secret-file FILE\n"
       "                        a file holding the Client Secret, or - for\n"
       "                        stdin (never on the command line)\n"
       "  --no-check            store without asking Zoom for a token first\n"
       "The Zoom URLs and CA file given are stored with the app: serve and\n"
       "the other zoom commands use them unless given again.\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{}, {"account-id", "client-id", "client-secret-file",
             TELEMED_ZOOM_FLAGS}, {"no-check"}},
       RunZoomS2s},
      {"zoom", "oauth-app",
       "--client-id ID --client-secret-file FILE [--redirect-url URL] "
       "[zoom options]\n"
       "       zoom oauth-app --forget [--force] [--yes] [zoom options]",
       "Stores the clinic's user-managed Zoom OAuth app, the one doctors\n"
       "with auth oauth connect their own Zoom accounts to; the secret is\n"
       "encrypted with the key file. Storing again replaces it. With\n"
       "--forget, removes it instead; refused while doctors are connected\n"
       "through it, unless --force, which also ends their connections (the\n"
       "tokens are deleted, not revoked at Zoom). See docs/zoom-setup.md.\n"
       "\n"
       "  --client-id ID        the app's Client ID\n"
       "  --client-secret-file FILE\n"
       "                        a file holding the Client Secret, or - for\n"
       "                        stdin (never on the command line)\n"
       "  --redirect-url URL    the redirect URL entered in the app (default\n"
       "                        the bridge's own: https://HOST:8443/oauth/\n"
       "                        callback)\n"
       "  --forget              remove the stored OAuth app\n"
       "  --force               with --forget: disconnect the doctors too\n"
       "  --yes                 with --forget: do not ask\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{}, {"client-id", "client-secret-file", "redirect-url",
             TELEMED_ZOOM_FLAGS}, {"forget", "force", "yes"}},
       RunZoomOAuthApp},
      {"zoom", "show", "[zoom options]",
       "Prints the stored app's account and client ID, whether a secret is\n"
       "set (never the secret), the OAuth app's client ID and redirect URL,\n"
       "and the last check's time and verdict.\n\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{}, {TELEMED_ZOOM_FLAGS}}, RunZoomShow},
      {"zoom", "forget", "[--yes] [zoom options]",
       "Removes the stored app and its cached token. Asks first at a\n"
       "terminal; elsewhere it needs --yes.\n\n"
       "  --yes                 do not ask\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{}, {TELEMED_ZOOM_FLAGS}, {"yes"}}, RunZoomForget},
      {"zoom", "test", "[zoom options]",
       "Checks the app with Zoom: its credentials, its scopes, and every\n"
       "S2S doctor's Zoom user; then tries each oauth doctor's own\n"
       "connection (GET /users/me). Prints one verdict per item; exits 0\n"
       "when all is well, 1 otherwise.\n\n"
       TELEMED_DATA_DIR_HELP TELEMED_ZOOM_HELP,
       {{}, {TELEMED_ZOOM_FLAGS}}, RunZoomTest},
      {"admin", "setup-code", "[--data-dir DIR]",
       "Prints a one-time code for the admin page's Set up, which makes the\n"
       "first admin: 4 groups of 4 letters and digits, valid 24 hours or\n"
       "until used; a new code replaces the last. Never logged. Refused\n"
       "once an admin exists (see admin reset-password). Root only in the\n"
       "installed package.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{}, {"data-dir"}}, RunAdminSetupCode},
      {"admin", "reset-password", "[--data-dir DIR]",
       "Sets the admin page's password (making the admin if there is none)\n"
       "and ends every admin page session. Asks twice at a terminal, without\n"
       "echo; elsewhere reads one line from stdin. At least 12 characters.\n"
       "Root only in the installed package.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{}, {"data-dir"}}, RunAdminResetPassword},
      {"admin", "audit", "[--limit N] [--data-dir DIR]",
       "Prints the audit log of admin actions, newest first: time (UTC),\n"
       "action, address (or console), detail. Kept 90 days.\n\n"
       "  --limit N             how many entries, 1..1000 (default 50)\n"
       TELEMED_DATA_DIR_HELP,
       {{}, {"limit", "data-dir"}}, RunAdminAudit},
      {"key", "create", "[--key-file FILE] [--data-dir DIR]",
       "Creates the secret key that encrypts the stored Zoom secrets: 32\n"
       "random bytes, mode 0600 (its directory 0700 when missing). Never\n"
       "replaces a file: an existing one is an error. Back the key up apart\n"
       "from the data dir: without it the stored Zoom secrets are lost.\n\n"
#if TELEMED_HAS_DEFAULT_KEY_FILE
       "  --key-file FILE       where to write it (env TELEMED_KEY_FILE;\n"
       "                        default " TELEMED_DEFAULT_KEY_FILE ")\n"
#else
       "  --key-file FILE       where to write it (env TELEMED_KEY_FILE;\n"
       "                        default DATA_DIR/secret.key)\n"
#endif
       TELEMED_DATA_DIR_HELP,
       {{}, {"key-file", "data-dir"}}, RunKeyCreate},
      {"", "backup", "FILE [--data-dir DIR] | --list [--data-dir DIR]",
       "Writes a consistent copy of the database to FILE (never over an\n"
       "existing file), also while the daemon runs and serves. The secret\n"
       "key is not in it: back up the key file apart. With --list, lists\n"
       "the daemon's daily backups in DATA_DIR/backups instead.\n\n"
       "  --list                list the daily backups\n"
       TELEMED_DATA_DIR_HELP,
       {{"FILE"}, {"data-dir"}, {"list"}, 1}, RunBackup},
      {"", "restore", "FILE [--data-dir DIR]",
       "Replaces the database by the backup FILE, with the daemon stopped\n"
       "(refused while one serves the data dir). FILE is checked first\n"
       "(integrity, schema version, a telemed-bridge database): a bad one\n"
       "replaces nothing. The replaced database is kept beside it as\n"
       "telemed-bridge.db.replaced-TIME.\n\n"
       TELEMED_DATA_DIR_HELP,
       {{"FILE"}, {"data-dir"}}, RunRestore},
      {"web", "cert",
       "[--pem | --renew | --import CERT KEY] [--data-dir DIR] "
       "[--key-file FILE]",
       "Prints the admin page's HTTPS certificate: its SHA-256 fingerprint\n"
       "(compare it with the browser's on the first visit), expiry, source\n"
       "and names. Makes a self-signed one first when there is none. A\n"
       "running daemon uses a changed certificate once restarted.\n\n"
       "  --pem                 print the certificate (and chain) as PEM\n"
       "  --renew               replace it with a new self-signed one\n"
       "  --import              install CERT (PEM, then any intermediate\n"
       "                        certificates) with its unencrypted KEY\n"
       "                        (PEM, EC or RSA of 2048 bits or more)\n"
       TELEMED_DATA_DIR_HELP TELEMED_KEY_FILE_HELP,
       {{"CERT", "KEY"}, {"data-dir", "key-file"}, {"pem", "renew", "import"},
        2},
       RunWebCert},
      {"", "version", "[--schema]",
       "Prints the version (also: --version).\n\n"
       "  --schema              print only the database schema version this\n"
       "                        build writes and reads (a number)\n",
       {{}, {}, {"schema"}}, RunVersion},
  };
  return *commands;
}

#undef TELEMED_DATA_DIR_HELP
#undef TELEMED_ZOOM_HELP
#undef TELEMED_ZOOM_FLAGS
#undef TELEMED_KEY_FILE_HELP
// clang-format on

std::string Words(const CommandInfo& command) {
  std::string group = command.group;
  return group.empty() ? command.name : group + " " + command.name;
}

std::string UsageLine(const CommandInfo& command) {
  std::string line =
      std::string("usage: ") + kProgramName + " " + Words(command);
  if (*command.synopsis != '\0') line += std::string(" ") + command.synopsis;
  return line + "\n";
}

// The overview: every command's usage line, or those of one group.
std::string Overview(const std::string& group) {
  std::string text;
  for (const CommandInfo& command : Commands()) {
    if (group.empty() || group == command.group) text += UsageLine(command);
  }
  return text + "\nOptions may stand anywhere after the command. Run '" +
         kProgramName + " COMMAND --help' for a command's options.\n";
}

bool IsGroup(const std::string& word) {
  for (const CommandInfo& command : Commands()) {
    if (word == command.group) return true;
  }
  return false;
}

bool IsHelp(const std::string& arg) {
  return arg == "--help" || arg == "-h" || arg == "help";
}

// Finds the command that args begin with; *consumed tells how many words
// named it. nullptr when there is none.
const CommandInfo* FindCommand(const std::vector<std::string>& args,
                               size_t* consumed) {
  std::string first = args[0] == "--version" ? "version" : args[0];
  bool grouped = IsGroup(first);
  if (grouped && args.size() < 2) return nullptr;
  for (const CommandInfo& command : Commands()) {
    bool match = grouped ? first == command.group && args[1] == command.name
                         : *command.group == '\0' && first == command.name;
    if (match) {
      *consumed = grouped ? 2 : 1;
      return &command;
    }
  }
  return nullptr;
}

// Defaults, then the environment, then the flags this command accepts.
Status LoadConfig(const ParsedArgs& args, const EnvGetter& getenv,
                  Config* config) {
  using Setter = Status (*)(const std::string&, Config*);
  const std::pair<const char*, Setter> setters[] = {
      {"data-dir", SetDataDir},
      {"listen", SetListen},
      {"https-listen", SetHttpsListen},
      {"retention-days", SetRetentionDays},
      {"zoom-oauth-url", SetZoomOauthUrl},
      {"zoom-api-url", SetZoomApiUrl},
      {"ca-file", SetCaFile},
      {"key-file", SetKeyFile},
      {"zoom-plan", SetZoomPlan},
      {"default-topic", SetDefaultTopic},
      {"backup-keep", SetBackupKeep},
      {"public-url", SetPublicUrl},
      {"oauth-match-email", SetOauthMatchEmail}};
  Status s = ApplyEnvironment(getenv, config);
  for (const auto& [name, set] : setters) {
    const std::string* value = args.Flag(name);
    if (s.ok() && value) {
      s = set(*value, config).WithContext(std::string("--") + name);
    }
  }
  return s;
}

// Flags a command cannot run without. Checked here, so a forgotten one is a
// usage error like any other.
Status RequireFlags(const ParsedArgs& args,
                    std::initializer_list<const char*> flags) {
  for (const char* flag : flags) {
    if (args.Flag(flag) == nullptr) {
      return Status::InvalidArgument("usage", std::string("missing --") + flag);
    }
  }
  return Status::OK();
}

Status CheckRequiredFlags(const CommandInfo& command, const ParsedArgs& args) {
  if (command.run == RunBackup) {
    bool list = args.Flag("list") != nullptr;
    if (list == args.positionals.empty()) return Status::OK();
    return Status::InvalidArgument(
        "usage", list ? "--list takes no FILE" : "missing FILE");
  }
  if (command.run == RunZoomS2s) {
    return RequireFlags(args,
                        {"account-id", "client-id", "client-secret-file"});
  }
  if (command.run == RunZoomOAuthApp) {
    if (args.Flag("forget") == nullptr) {
      if (args.Flag("force") != nullptr || args.Flag("yes") != nullptr) {
        return Status::InvalidArgument("usage",
                                       "--force and --yes go with --forget");
      }
      return RequireFlags(args, {"client-id", "client-secret-file"});
    }
    for (const char* flag :
         {"client-id", "client-secret-file", "redirect-url"}) {
      if (args.Flag(flag) != nullptr) {
        return Status::InvalidArgument(
            "usage", std::string("--forget takes no --") + flag);
      }
    }
  }
  return Status::OK();
}

// The settings file, when there is one (config/settings_file.h).
Status ReadSettings(const EnvGetter& getenv,
                    std::map<std::string, std::string>* settings) {
  std::string path;
  bool must_exist = false;
  FindSettingsFile(getenv, &path, &must_exist);
  if (path.empty()) return Status::OK();
  return ReadSettingsFile(path, must_exist, settings);
}

int UsageError(std::ostream& err, const std::string& message,
               const std::string& usage) {
  err << kProgramName << ": " << message << "\n" << usage;
  return kExitUsage;
}

// `words` already named `command`; the rest are its arguments.
int RunCommand(const CommandInfo& command, Context* context,
               const std::vector<std::string>& rest, const EnvGetter& getenv) {
  Status s = ParseArgs(rest, command.spec, &context->args);
  if (!s.ok())
    return UsageError(*context->err, s.message(), UsageLine(command));
  if (context->args.help) {
    *context->out << UsageLine(command) << "\n" << command.help;
    return kExitOk;
  }
  s = CheckRequiredFlags(command, context->args);
  if (!s.ok())
    return UsageError(*context->err, s.message(), UsageLine(command));
  // `version` must answer even beside a broken settings file (the package's
  // scripts ask it).
  std::map<std::string, std::string> settings;
  if (command.run != RunVersion) s = ReadSettings(getenv, &settings);
  if (!s.ok()) return Fail(*context, s.message());
  EnvGetter with_settings = WithSettings(getenv, settings);
  s = LoadConfig(context->args, with_settings, &context->config);
  if (!s.ok())
    return UsageError(*context->err, s.message(), UsageLine(command));
  return command.run(*context);
}

}  // namespace

int RunCommandLine(const std::string& program,
                   const std::vector<std::string>& args,
                   const EnvGetter& getenv, std::ostream& out,
                   std::ostream& err) {
  if (args.empty()) return UsageError(err, "missing command", Overview(""));
  if (IsHelp(args[0])) {
    out << Overview("");
    return kExitOk;
  }
  size_t consumed = 0;
  const CommandInfo* command = FindCommand(args, &consumed);
  if (command == nullptr && IsGroup(args[0])) {
    bool help = args.size() > 1 && IsHelp(args[1]);
    if (help) out << Overview(args[0]);
    return help ? kExitOk
                : UsageError(err, "missing or unknown " + args[0] + " command",
                             Overview(args[0]));
  }
  if (command == nullptr) {
    return UsageError(err, "unknown command '" + args[0] + "'", Overview(""));
  }
  Context context;
  context.program = program;
  context.out = &out;
  context.err = &err;
  std::vector<std::string> rest(args.begin() + consumed, args.end());
  return RunCommand(*command, &context, rest, getenv);
}

}  // namespace cli
}  // namespace telemed
