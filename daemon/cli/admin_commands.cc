// admin setup-code | reset-password | audit: the admin page's account from
// the box's console. Whoever can run these on the box owns it anyway; on
// the installed package the first two therefore need root, so the service
// user (or anyone who can read its files) cannot mint an admin.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/time_format.h"
#include "build_config.h"
#include "cli/command.h"
#include "cli/table.h"
#include "cli/terminal.h"
#include "secrets/password_hash.h"
#include "secrets/setup_code.h"

namespace telemed {
namespace cli {

namespace {

// As web/admin_audit.h stores it (cli/ does not include web/).
constexpr char kAuditPasswordChanged[] = "password_changed";
constexpr char kConsoleAddress[] = "console";
constexpr int kDefaultAuditLimit = 50;
constexpr int kMaxAuditLimit = 1000;

// The package's build has a service user; there only root may act.
Status RequireRootWhenPackaged(const Context& context,
                               const std::string& command) {
  if (*TELEMED_SERVICE_USER == '\0' || geteuid() == 0) return Status::OK();
  return Status::PermissionDenied(
      "root_required",
      command + " must run as root: sudo " + context.program + " " + command);
}

Status MakeCode(const Context& context, std::string* code) {
  StoreSession session;
  Status s = OpenStoreForSetup(context, &session);
  std::unique_ptr<RandomSource> random;
  if (s.ok()) s = RealRandom::Open(&random);
  if (s.ok()) s = MakeSetupCode(random.get(), code);
  if (!s.ok()) return s;
  return session.store->PutSetupCode(
      SetupCodeDigest(*code),
      session.clock.NowSeconds() + kSetupCodeLifetimeSeconds);
}

// One line of stdin without its line end.
void ReadLine(std::string* out) {
  std::getline(std::cin, *out);
  if (!out->empty() && out->back() == '\r') out->pop_back();
}

// Asks twice at a terminal (without echo); reads one line elsewhere.
Status ReadNewPassword(const Context& context, std::string* password) {
  if (!isatty(STDIN_FILENO)) {
    ReadLine(password);
    return CheckNewPassword(*password, "password");
  }
  std::string again;
  {
    EchoOff echo_off;
    *context.err << "New admin password (at least 12 characters): "
                 << std::flush;
    ReadLine(password);
    *context.err << "\nThe same again: " << std::flush;
    ReadLine(&again);
    *context.err << "\n";
  }
  Status s = CheckNewPassword(*password, "password");
  if (s.ok() && *password != again) {
    return Status::Validation("password_mismatch", "the two passwords differ");
  }
  return s;
}

Status ResetPassword(const Context& context, const std::string& password) {
  std::unique_ptr<RandomSource> random;
  std::string hash;
  Status s = RealRandom::Open(&random);
  if (s.ok()) {
    s = HashPassword(password, kPasswordHashIterations, random.get(), &hash);
  }
  StoreSession session;
  if (s.ok()) s = OpenStore(context.config, &session);
  if (s.ok()) s = session.store->SetAdminPassword(hash);
  if (!s.ok()) return s;
  // The password is set; a lost audit line is reported, not fatal.
  Status audit = session.store->AddAuditEntry(AuditEntry{
      0, 0, kAuditPasswordChanged, kConsoleAddress, "admin reset-password"});
  if (!audit.ok()) {
    *context.err << kProgramName
                 << ": warning: not in the audit log: " << audit.message()
                 << "\n";
  }
  return Status::OK();
}

}  // namespace

int RunAdminSetupCode(const Context& context) {
  Status s = RequireRootWhenPackaged(context, "admin setup-code");
  std::string code;
  if (s.ok()) s = MakeCode(context, &code);
  if (s.code() == Status::Code::kConflict) {
    return Fail(context,
                "an admin exists already: to let the admin in "
                "again, run " +
                    context.program + " admin reset-password");
  }
  if (!s.ok()) return Fail(context, s.message());
  // The code goes last, alone on its line; it is never logged.
  *context.out << "Enter this code under Set up on the admin page "
                  "(https://THIS-BOX:8443/).\nIt works once, for 24 hours; "
                  "a new code replaces it.\n"
               << code << "\n";
  return kExitOk;
}

int RunAdminResetPassword(const Context& context) {
  Status s = RequireRootWhenPackaged(context, "admin reset-password");
  std::string password;
  if (s.ok()) s = ReadNewPassword(context, &password);
  if (s.ok()) s = ResetPassword(context, password);
  if (!s.ok()) return Fail(context, s.message());
  *context.out << "The admin password is set. Every admin page session has "
                  "ended: sign in with the new password.\n";
  return kExitOk;
}

int RunAdminAudit(const Context& context) {
  int limit = kDefaultAuditLimit;
  if (const std::string* text = context.args.Flag("limit")) {
    char* end = nullptr;
    long value = std::strtol(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || value < 1 || value > kMaxAuditLimit) {
      *context.err << kProgramName
                   << ": --limit must be a whole number from 1 to "
                   << kMaxAuditLimit << "\n";
      return kExitUsage;
    }
    limit = static_cast<int>(value);
  }
  StoreSession session;
  std::vector<AuditEntry> entries;
  Status s = OpenStore(context.config, &session);
  if (s.ok()) s = session.store->ListAuditEntries(0, limit, &entries);
  if (!s.ok()) return Fail(context, s.message());
  if (entries.empty()) {
    *context.out << "No admin actions recorded.\n";
    return kExitOk;
  }
  std::vector<TableRow> rows = {{"AT", "ACTION", "ADDRESS", "DETAIL"}};
  for (const AuditEntry& entry : entries) {
    rows.push_back({FormatRfc3339Utc(entry.at), entry.action, entry.address,
                    entry.detail});
  }
  *context.out << FormatTable(rows);
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
