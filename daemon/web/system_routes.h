// The System screen's endpoints (docs/admin-api.md, "System"): the daemon's
// last log lines, a backup of the database to download, and the secret key
// file, given only after the admin's password is asked again.
#ifndef TELEMED_WEB_SYSTEM_ROUTES_H_
#define TELEMED_WEB_SYSTEM_ROUTES_H_

#include <string>

#include "base/status.h"
#include "web/admin_router.h"

namespace telemed {

class Backups;
class Clock;
class LogRing;

namespace web {

class AdminAudit;
class PasswordCheck;

// Borrowed pointers; each must outlive the router the routes are added to.
struct SystemRoutesDeps {
  const LogRing* log = nullptr;  // the lines GET system/log shows
  Backups* backups = nullptr;    // the store's online backup
  const Clock* clock = nullptr;  // the backup's name stamp
  // The data directory: a download's backup is written there under a
  // temporary name (the same file system as the database, private to the
  // bridge) and unlinked as soon as it is open, before a byte is sent.
  std::string data_dir;
  // The secret key file the daemon runs with (ResolveKeyPath's answer).
  std::string secret_key_path;
  PasswordCheck* password = nullptr;  // re-asked before the key is sent
  AdminAudit* audit = nullptr;  // backup_downloaded, secret_key_downloaded
};

// Registers GET /admin/api/system/log, GET /admin/api/system/backup and
// POST /admin/api/system/secret-key (all Access::kSession).
void AddSystemRoutes(const SystemRoutesDeps& deps, AdminRouter* router);

// Deletes what a backup download cut short by a kill left in `data_dir`
// (its files are named ".admin-download-*"); other files are left alone.
// For the daemon's start, before the admin page is served. *removed (may
// be null) gets how many went. IoError / PermissionDenied naming the
// folder when it cannot be read.
Status RemoveDownloadLeftovers(const std::string& data_dir, int* removed);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_SYSTEM_ROUTES_H_
