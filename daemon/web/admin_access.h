// AdminAccess: what the admin page's sign-in rests on, in one place: the
// store's account role, the sessions, the sign-in limits and the thread
// that hashes passwords. It checks the admin's password (PasswordCheck),
// records the audit log (AdminAudit), and hashes new passwords; the
// session endpoints (web/session_routes.h) and the router (web/admin_site.h)
// use it.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_WEB_ADMIN_ACCESS_H_
#define TELEMED_WEB_ADMIN_ACCESS_H_

#include <cstddef>
#include <string>

#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"
#include "base/status.h"
#include "secrets/password_hash.h"
#include "store/admin_accounts.h"
#include "web/admin_audit.h"
#include "web/hashing_thread.h"
#include "web/password_check.h"
#include "web/sessions.h"
#include "web/sign_in_limiter.h"

namespace telemed {
namespace web {

class AdminAccess final : public PasswordCheck, public AdminAudit {
 public:
  struct Options {
    // All borrowed; they must outlive the AdminAccess.
    AdminAccounts* accounts = nullptr;
    const Clock* clock = nullptr;
    RandomSource* random = nullptr;
    Logger* logger = nullptr;
    // PBKDF2 iterations for new hashes (tests use a small count).
    int hash_iterations = kPasswordHashIterations;
    SignInLimiter::Options limits;
    // Hashes that may wait for the hashing thread (then 503 busy).
    size_t max_queued_hashes = 4;
  };

  explicit AdminAccess(const Options& options);

  // PasswordCheck. Also Conflict("setup_needed") while no admin exists,
  // and Unavailable("busy") when the hashing queue is full. A wrong
  // password is logged (with the address, never the password) and goes
  // into the audit log as sign_in_failed.
  Status Verify(const std::string& password, const std::string& address,
                int* retry_after_s) override;
  // AdminAudit.
  void Record(const std::string& action, const std::string& address,
              const std::string& detail) override;

  // A new password's hash, made on the hashing thread.
  Status HashNewPassword(const std::string& password, std::string* hash);
  // Whether the admin was made.
  Status AdminExists(bool* exists);
  // Records a sign-in (`action`: kSetUp or kSignIn) in the audit log and
  // the daemon's log.
  void NoteSignIn(const char* action, const std::string& address);
  // Logs and records a wrong setup code from `address`; the caller counts
  // it (limiter()->EndTry, kFailed).
  void NoteWrongSetupCode(const std::string& address);

  Sessions* sessions() { return &sessions_; }
  SignInLimiter* limiter() { return &limiter_; }
  AdminAccounts* accounts() { return options_.accounts; }

 private:
  // The stored hash against `password`, on the hashing thread.
  Status CheckPassword(const std::string& password, bool* matches);

  const Options options_;
  Sessions sessions_;
  SignInLimiter limiter_;
  HashingThread hasher_;
};

// Unavailable("too_many_attempts") saying how long to wait.
Status TooManyAttempts(int retry_after_s);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ADMIN_ACCESS_H_
