// Backups of the store's database: writing one while the daemon runs (the
// Backups role), checking a backup file, and putting one in place of the
// database (RestoreDatabase, with no daemon running).
//
// A backup is one self-contained SQLite file (rollback journal mode, no -wal
// beside it), 0600, holding everything the database holds: doctors,
// appointments, API key hashes, the Zoom app with its sealed secret. The
// secret key is not in it (it never is in the database): a backup restored
// without its key still works, but its Zoom secret must be entered again.
#ifndef TELEMED_STORE_BACKUP_H_
#define TELEMED_STORE_BACKUP_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace telemed {

// The role: used by the `backup` command and the daemon's daily backup.
//
// Thread-safety: may be called from any thread, beside every other
// operation of the store.
class Backups {
 public:
  // Writes a consistent copy of the database, as of one commit, to `path`
  // with SQLite's online backup API: writers in this and other processes
  // go on meanwhile (the copy reads one WAL snapshot). The copy is written
  // under a temporary name beside `path`, synced, then renamed into place
  // and the directory synced, so `path` never names half a backup.
  // AlreadyExists("backup_exists") when `path` exists (never overwritten);
  // IoError / PermissionDenied naming the path otherwise.
  virtual Status WriteBackup(const std::string& path) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~Backups() = default;
};

// What CheckBackupFile found in a valid backup.
struct BackupSummary {
  int schema_version = 0;    // PRAGMA user_version
  uint64_t last_change = 0;  // the change feed's last number
  int64_t appointments = 0;  // rows in appointments
  int64_t doctors = 0;       // rows in doctors
};

// Checks that `path` is a whole telemed-bridge database this build can
// open: SQLite's integrity check passes, it has the bridge's schema at a
// version from 1 to Store::CurrentSchemaVersion() (an older one is migrated
// when the daemon opens it). Corruption("not_a_database") /
// ("backup_corrupt"), Conflict("schema_too_new") naming both versions,
// NotFound("no_backup"), each naming `path`. Opens the file read-write (it
// may be a WAL database): give it a copy that nobody else uses.
Status CheckBackupFile(const std::string& path, BackupSummary* out);

// What RestoreDatabase did.
struct RestoreResult {
  BackupSummary backup;
  // Where the replaced database now is ("" when there was none).
  std::string kept_path;
};

// Opens the backup at `path` for reading (RestoreDatabase). A caller
// running as root opens it before it drops to the data dir's owner, who
// may not read it. NotFound("no_backup") / IoError / PermissionDenied
// naming `path`.
Status OpenBackupFile(const std::string& path, int* fd);

// Replaces the database at `db_path` by a copy of the backup that
// `backup_fd` reads (from its start; opened by OpenBackupFile and still the
// caller's to close), named `backup_path` in messages. The copy is made and
// checked (CheckBackupFile) under a temporary name beside `db_path` first: a
// bad backup replaces nothing. The replaced database is kept beside it as
// "<db_path>.replaced-YYYYMMDDTHHMMSSZ" (`now`, unix seconds), with its WAL,
// before the copy is renamed into place (atomic) and the directory synced.
// The copy gets a new database id (settings store.database_id), so every
// client's change-feed cursor is refused (409 cursor_invalid) and read
// again from the start. The new file is 0600. Errors name the file
// concerned.
// REQUIRES: no process has the database open (the caller holds the data
// dir's daemon lock, and no CLI command runs meanwhile).
Status RestoreDatabase(int backup_fd, const std::string& backup_path,
                       const std::string& db_path, int64_t now,
                       RestoreResult* out);

}  // namespace telemed

#endif  // TELEMED_STORE_BACKUP_H_
