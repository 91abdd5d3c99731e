// Meeting passcodes: 10 characters of [A-Za-z0-9] with at least one upper-
// case letter, one lower-case letter and one digit, which meets Zoom's
// default passcode policy (Zoom allows at most 10 characters).
#ifndef TELEMED_SYNC_PASSCODE_H_
#define TELEMED_SYNC_PASSCODE_H_

#include <string>

#include "base/status.h"

namespace telemed {

class RandomSource;

Status MakePasscode(RandomSource* random, std::string* out);

}  // namespace telemed

#endif  // TELEMED_SYNC_PASSCODE_H_
