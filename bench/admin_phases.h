// The phases of admin_bench (bench/run_admin.sh): the admin page and the
// HTTPS listener of a running daemon, measured from outside. Each prints
// markdown table rows (measure, result) on stdout and returns 0, or prints
// why it failed on stderr and returns 1.
#ifndef TELEMED_BENCH_ADMIN_PHASES_H_
#define TELEMED_BENCH_ADMIN_PHASES_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "admin_client.h"

namespace telemed {
namespace bench {

// PUTs `count` appointments through /api/v1 on the plain listener (8
// connections): `future` of them in the coming days (they need a meeting),
// the rest in the past weeks (the clinic's history: no meeting wanted),
// spread over doctors dr-0 .. dr-(doctors-1) and four time zones.
int FillAppointments(int api_port, const std::string& api_key, int count,
                     int future, int doctors);

// Signs in (with `setup_code` the first admin is created) and waits until
// the sync queue has nothing pending, up to `max_seconds`.
int SetUpAdmin(const AdminTarget& target, const std::string& setup_code,
               const std::string& password, int max_seconds);

// All the page's assets (the list compiled into this program, which is the
// daemon's), gzip accepted, `rounds` times each: cold one after another on
// a new TLS connection, cold as a browser (the HTML, then the rest over 6
// new connections at once), both without ETags, and warm (one kept-alive
// connection, If-None-Match: 304 for all but the HTML); with the CPU time
// the daemon `pid` spent on each browser-like cold load.
int MeasurePageLoad(const AdminTarget& target, pid_t pid, int rounds);

// The admin page's reads, each `iterations` times on one signed-in
// keep-alive connection: p50 / p99 / max.
int MeasureAdminApi(const AdminTarget& target, const std::string& password,
                    int iterations);

// New TLS connections per second (handshake + one small GET, then close)
// from `threads` threads for `seconds`, with the CPU time the daemon `pid`
// spent on each, and the same GET on kept-alive connections for
// comparison.
int MeasureHandshakes(const AdminTarget& target, pid_t pid, int threads,
                      int seconds);

// VmRSS of the daemon `pid` with each of `counts` idle TLS connections open
// (each did its handshake and one request, and is touched every 2 s so
// that the daemon's 5 s keep-alive timeout does not close it).
int MeasureIdleConnections(const AdminTarget& target, pid_t pid,
                           const std::vector<int>& counts);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_ADMIN_PHASES_H_
