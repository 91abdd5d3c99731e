// PasswordCheck: lets a handler ask for the admin's password again before
// a sensitive action (downloading the secret key), under the same hashing
// off the listener's threads and the same attempt limits as sign-in.
#ifndef TELEMED_WEB_PASSWORD_CHECK_H_
#define TELEMED_WEB_PASSWORD_CHECK_H_

#include <string>

#include "base/status.h"

namespace telemed {
namespace web {

class PasswordCheck {
 public:
  virtual ~PasswordCheck() = default;
  // OK when `password` is the admin's. Unauthenticated("password_wrong",
  // field "password") when not (counted as a failed attempt from
  // `address`). While `address` is locked out: Unavailable
  // ("too_many_attempts") with *retry_after_s > 0, which the handler
  // answers as 429 with Retry-After (*retry_after_s is 0 otherwise).
  virtual Status Verify(const std::string& password, const std::string& address,
                        int* retry_after_s) = 0;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_PASSWORD_CHECK_H_
