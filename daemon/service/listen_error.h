// Why the daemon could not listen, in words a first-time admin can act on.
// ApiServer::Open reports only IoError("listen_failed"); this binds the same
// address once more to learn the reason (errno) and says what to do.
#ifndef TELEMED_SERVICE_LISTEN_ERROR_H_
#define TELEMED_SERVICE_LISTEN_ERROR_H_

#include <string>

#include "config/config.h"

namespace telemed {

// One sentence naming the address and the cause: a port in use (by another
// process, maybe another bridge), a port below 1024 without the privilege
// (naming the user we run as), an address that is not this machine's.
// `flag` is the option that sets the address ("--listen"), named where the
// admin must choose another. Falls back to `fallback` when binding now
// succeeds or fails otherwise.
std::string ExplainListenFailure(const ListenAddress& address,
                                 const std::string& flag,
                                 const std::string& fallback);

}  // namespace telemed

#endif  // TELEMED_SERVICE_LISTEN_ERROR_H_
