// SetupCode: the one-time code that `admin setup-code` prints on the box
// and the admin page's *Set up* asks for, so that the first person on the
// LAN cannot take a box no admin was made on.
//
// A code is 16 characters in 4 groups ("K7QM-2XHD-9RTW-PB4N") from an
// alphabet without look-alikes (no 0/O, 1/I/L), about 79 bits: too many
// to guess through the sign-in limits in the code's 24 hours. Only its
// SHA-256 is stored; what a person types is normalised first (case,
// spaces and dashes do not matter).
#ifndef TELEMED_SECRETS_SETUP_CODE_H_
#define TELEMED_SECRETS_SETUP_CODE_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace telemed {

class RandomSource;

// How long a code is valid after it was made.
constexpr int64_t kSetupCodeLifetimeSeconds = 24 * 3600;

// A fresh code, as printed (with dashes).
Status MakeSetupCode(RandomSource* random, std::string* code);

// The SHA-256 (hex) of the code `typed` names, after normalising it; ""
// when `typed` cannot be a code (wrong length or characters), which then
// matches nothing.
std::string SetupCodeDigest(const std::string& typed);

}  // namespace telemed

#endif  // TELEMED_SECRETS_SETUP_CODE_H_
