#include "web/admin_access.h"

namespace telemed {
namespace web {

AdminAccess::AdminAccess(const Options& options)
    : options_(options),
      sessions_(options.accounts, options.clock, options.random),
      limiter_(options.clock, options.limits),
      hasher_(options.max_queued_hashes) {}

Status TooManyAttempts(int retry_after_s) {
  return Status::Unavailable("too_many_attempts",
                             "too many wrong attempts: try again in " +
                                 std::to_string(retry_after_s) + " s");
}

Status AdminAccess::CheckPassword(const std::string& password, bool* matches) {
  std::string stored;
  bool found = false;
  Status s = options_.accounts->GetAdminPasswordHash(&stored, &found);
  if (!s.ok()) return s;
  if (!found) {
    return Status::Conflict("setup_needed",
                            "no admin exists yet: set up the admin first");
  }
  return hasher_.Run([&] { return VerifyPassword(password, stored, matches); });
}

Status AdminAccess::Verify(const std::string& password,
                           const std::string& address, int* retry_after_s) {
  *retry_after_s = limiter_.BeginTry(address);
  if (*retry_after_s > 0) return TooManyAttempts(*retry_after_s);
  bool matches = false;
  Status s = CheckPassword(password, &matches);
  if (!s.ok() || matches) {
    limiter_.EndTry(address, s.ok() ? SignInLimiter::Outcome::kSucceeded
                                    : SignInLimiter::Outcome::kUndecided);
    return s;
  }
  limiter_.EndTry(address, SignInLimiter::Outcome::kFailed);
  options_.logger->Warning("admin page: wrong password from %s",
                           address.c_str());
  Record(audit_action::kSignInFailed, address, "wrong password");
  return Status::Unauthenticated("password_wrong", "the password is wrong");
}

void AdminAccess::NoteSignIn(const char* action, const std::string& address) {
  limiter_.NoteSuccess(address);
  options_.logger->Info("admin page: %s from %s", action, address.c_str());
  Record(action, address, "");
}

void AdminAccess::NoteWrongSetupCode(const std::string& address) {
  options_.logger->Warning("admin page: wrong setup code from %s",
                           address.c_str());
  Record(audit_action::kSignInFailed, address, "wrong setup code");
}

void AdminAccess::Record(const std::string& action, const std::string& address,
                         const std::string& detail) {
  Status s = options_.accounts->AddAuditEntry(
      AuditEntry{0, 0, action, address, detail});
  if (!s.ok()) {
    options_.logger->Error("admin audit: cannot record %s from %s: %s",
                           action.c_str(), address.c_str(),
                           s.ToString().c_str());
  }
}

Status AdminAccess::HashNewPassword(const std::string& password,
                                    std::string* hash) {
  return hasher_.Run([&] {
    return HashPassword(password, options_.hash_iterations, options_.random,
                        hash);
  });
}

Status AdminAccess::AdminExists(bool* exists) {
  std::string unused;
  return options_.accounts->GetAdminPasswordHash(&unused, exists);
}

}  // namespace web
}  // namespace telemed
