// Sessions: the admin page's signed-in sessions. The browser holds a
// 256-bit random id in the cookie `__Host-tb_session` (Secure, HttpOnly,
// SameSite=Strict, Path=/); the store keeps only its SHA-256, with a CSRF
// token bound to it that the page sends back as X-CSRF-Token. A session
// ends after kIdleSeconds without a request, kAbsoluteSeconds after
// sign-in, at sign-out, and all of them at a password change or "sign out
// everywhere".
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_WEB_SESSIONS_H_
#define TELEMED_WEB_SESSIONS_H_

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "base/status.h"
#include "store/admin_accounts.h"

namespace telemed {
namespace web {

constexpr char kSessionCookie[] = "__Host-tb_session";

class Sessions {
 public:
  static constexpr int64_t kIdleSeconds = 30 * 60;
  static constexpr int64_t kAbsoluteSeconds = 12 * 3600;

  struct Started {
    std::string cookie_id;  // for the cookie only; never stored or logged
    std::string id_sha256;
    std::string csrf_token;
  };

  // All borrowed; they must outlive the Sessions.
  Sessions(AdminAccounts* store, const Clock* clock, RandomSource* random);

  // A new session for a sign-in from `address` (also drops sessions that
  // can no longer be used).
  Status Start(const std::string& address, Started* out);
  // The live session whose cookie id is `cookie_id`, noting this use (in
  // the store at most once a minute, so the idle limit counts from a use
  // up to a minute before the last).
  // Unauthenticated("session_required") for an empty id;
  // Unauthenticated("session_expired") for one that ended (idle, too old,
  // signed out, or unknown), which is then deleted.
  Status Check(const std::string& cookie_id, AdminSession* out);

  // The value of `header` (a Cookie header) for kSessionCookie; "" if none.
  static std::string CookieId(const std::string& header);
  // Set-Cookie values that set the cookie, and that clear it.
  static std::string SetCookie(const std::string& cookie_id);
  static std::string ClearCookie();

 private:
  Status RandomText(std::string* out);

  AdminAccounts* const store_;
  const Clock* const clock_;
  RandomSource* const random_;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_SESSIONS_H_
