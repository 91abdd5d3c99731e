// ProbeApi: asks the daemon's own API listener for GET /api/v1/health, the
// watchdog's proof that the API is alive (service/watchdog.h): the request
// passes the accept thread, the connection loop and a worker, as a clinic's
// would. The health route needs no key, reads no database and writes no log
// line, and the API does not count it as activity (api/server.h), so a
// probe every few seconds costs next to nothing.
#ifndef TELEMED_SERVICE_API_PROBE_H_
#define TELEMED_SERVICE_API_PROBE_H_

#include <chrono>

#include "config/config.h"

namespace telemed {

// True when the API at `bound` (the address it listens on, with its real
// port) answered 200 within `timeout` (for the connect, and again for the
// answer). A wildcard address (0.0.0.0, ::) is probed on the matching
// loopback address.
bool ProbeApi(const ListenAddress& bound, std::chrono::milliseconds timeout);

}  // namespace telemed

#endif  // TELEMED_SERVICE_API_PROBE_H_
