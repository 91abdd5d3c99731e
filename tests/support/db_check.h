// A look into a daemon's database from outside the daemon, for system tests:
// does it open and pass SQLite's own consistency check, and how many
// appointments does it hold.
#ifndef TELEMED_TESTS_SUPPORT_DB_CHECK_H_
#define TELEMED_TESTS_SUPPORT_DB_CHECK_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace telemed {
namespace test {

// Opens the database at `path` (a running daemon may hold it too), runs
// PRAGMA integrity_check and counts the appointments. Corruption when the
// check reports anything but "ok".
Status CheckDatabase(const std::string& path, int64_t* appointments);

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_DB_CHECK_H_
