// Store: the bridge's one SQLite database, opened. Its operations live in
// role interfaces, each a module includes alone when that is all it uses:
//   store/clinic_records.h  doctors, appointments, the change feed
//   store/sync_queue.h      the Zoom sync engine's tasks, deletions, counts
//   store/api_key_store.h   the local API's keys
//   store/settings_store.h  settings, the key fingerprint, leases, the id
//   store/maintenance.h     retention, checkpoints, file check, memory
//   store/backup.h          online backups (and, apart, restoring one)
//   store/admin_accounts.h  the admin page's account, sessions, audit log
//   store/doctor_grants.h   per-doctor Zoom OAuth grants (sealed tokens)
//   store/grant_revokes.h   revokes of those grants still owed to Zoom
//
// Durability: WAL with synchronous=FULL; a method that returns OK has
// committed, so the caller may acknowledge. Every write is one transaction
// (BEGIN IMMEDIATE), so a crash leaves the old or the new record, never half.
// The schema is created and upgraded by numbered migrations tracked in
// PRAGMA user_version; a database from a newer version is refused at Open.
// Several processes may open the same file (the daemon and the CLI); SQLite's
// busy timeout absorbs their contention, and no caller ever sees
// "database is locked".
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_STORE_H_
#define TELEMED_STORE_STORE_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "store/admin_accounts.h"
#include "store/api_key_store.h"
#include "store/backup.h"
#include "store/clinic_records.h"
#include "store/doctor_grants.h"
#include "store/grant_revokes.h"
#include "store/maintenance.h"
#include "store/settings_store.h"
#include "store/sync_queue.h"

namespace telemed {

class Clock;

class Store : public ClinicRecords,
              public SyncQueue,
              public ApiKeyStore,
              public SettingsStore,
              public Maintenance,
              public Backups,
              public AdminAccounts,
              public DoctorGrants,
              public GrantRevokes {
 public:
  struct Options {
    // Path of the database file.
    std::string path;
    // What a missing file means: true builds a new database (0600) under a
    // temporary name and renames it into place, so no crash can leave an
    // empty file behind; false refuses with NotFound("no_database"). An
    // existing file is never initialised: an empty one, one that is not an
    // SQLite database, or one without the bridge's schema is refused.
    bool create_if_missing = true;
    // Borrowed; must outlive the Store. Stamps created/updated/used times.
    const Clock* clock = nullptr;
    // How long one statement waits for another process's lock, in ms.
    int busy_timeout_ms = 10000;
    // When true, commits never run a WAL checkpoint themselves (SQLite's
    // auto-checkpoint stalls the commit that triggers it for tens of ms):
    // the owner calls Checkpoint() periodically instead. The daemon does;
    // short-lived CLI processes keep SQLite's default.
    bool background_checkpoints = false;
  };

  // Opens (creating or migrating) the database. Fails with a clear message
  // naming the file when it is from a newer version, not a database, empty,
  // missing (see Options::create_if_missing) or unreadable. A missing file
  // is Open's only NotFound error, so callers tell it by IsNotFound().
  static Status Open(const Options& options, std::unique_ptr<Store>* out);
  // The reason of Open's error for a missing file (create_if_missing false).
  static constexpr char kNoDatabase[] = "no_database";
  virtual ~Store() = default;

  // The schema version this build writes (PRAGMA user_version).
  static int CurrentSchemaVersion();
};

}  // namespace telemed

#endif  // TELEMED_STORE_STORE_H_
