// What every subcommand of telemed-bridge receives, the exit codes it
// returns, the steps several share, and the subcommands themselves.
//
// Exit codes: 0 success; 1 the command ran and failed (a one-line message on
// stderr); 2 the command line was wrong (handled by the dispatcher in
// cli.cc, which also loads Config, so commands never see a bad flag).
#ifndef TELEMED_CLI_COMMAND_H_
#define TELEMED_CLI_COMMAND_H_

#include <memory>
#include <ostream>
#include <string>

#include "base/status.h"
#include "cli/args.h"
#include "config/config.h"
#include "service/store_session.h"

namespace telemed {
namespace cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// The prefix of every message the CLI prints about a failure.
constexpr char kProgramName[] = "telemed-bridge";

struct Context {
  // How the user invoked the binary (argv[0]), to print commands they can
  // paste.
  std::string program;
  ParsedArgs args;
  // Defaults, then the environment, then flags.
  Config config;
  // Borrowed; valid for the whole command.
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// Prints "telemed-bridge: <message>" on *context.err, its control
// characters escaped (EscapeControls); returns kExitFailure.
int Fail(const Context& context, const std::string& message);

// OpenStore for a set-up command: creates a missing database and then says
// so on *context.err, with its absolute path.
Status OpenStoreForSetup(const Context& context, StoreSession* session);

// The subcommands. Each REQUIRES context.args to match its ArgSpec in cli.cc.
int RunServe(const Context& context);
int RunStatus(const Context& context);
int RunApiKeyCreate(const Context& context);
int RunApiKeyList(const Context& context);
int RunApiKeyRevoke(const Context& context);
int RunDoctorPut(const Context& context);
int RunDoctorList(const Context& context);
int RunDoctorRemove(const Context& context);
int RunDoctorConnect(const Context& context);
int RunDoctorDisconnect(const Context& context);
int RunZoomS2s(const Context& context);
int RunZoomShow(const Context& context);
int RunZoomOAuthApp(const Context& context);
int RunZoomForget(const Context& context);
int RunZoomTest(const Context& context);
int RunKeyCreate(const Context& context);
int RunBackup(const Context& context);
int RunRestore(const Context& context);
int RunWebCert(const Context& context);
int RunAdminSetupCode(const Context& context);
int RunAdminResetPassword(const Context& context);
int RunAdminAudit(const Context& context);

}  // namespace cli
}  // namespace telemed

#endif  // TELEMED_CLI_COMMAND_H_
