// StoreSession: the configured data dir's database, opened for one process
// (the daemon, or one CLI command) together with the clock it borrows.
// OpenStore prepares the data dir and explains, in words an admin can act
// on, a database that is missing or that this user may not open.
#ifndef TELEMED_SERVICE_STORE_SESSION_H_
#define TELEMED_SERVICE_STORE_SESSION_H_

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "store/store.h"

namespace telemed {

// Neither copied nor moved, because the store keeps a pointer to `clock`.
struct StoreSession {
  StoreSession() = default;
  StoreSession(const StoreSession&) = delete;
  StoreSession& operator=(const StoreSession&) = delete;

  RealClock clock;
  std::unique_ptr<Store> store;
  // OpenStore built a new database (the data dir had none).
  bool created = false;
  // The absolute path of the database file (for messages).
  std::string database_path;
};

// How a process opens the store.
struct StoreOpening {
  // Only set-up commands (apikey create, doctor put, zoom s2s, serve) may
  // build a database where there is none; every other command refuses
  // (see OpenStore), so a relative --data-dir taken from the wrong working
  // directory never leaves an empty database behind.
  bool create_if_missing = false;
  // See Store::Options (the daemon's choice).
  bool background_checkpoints = false;
};

// Prepares the data dir (which may switch to its owner, see data_dir.h) and
// opens the database in it. A missing database is NotFound
// (Store::kNoDatabase) naming the absolute path looked at, and then neither
// the data dir nor the file is created, unless `how.create_if_missing`.
// A database we may not open names its owner and mode and who we run as.
// REQUIRES: no other thread running.
Status OpenStore(const Config& config, StoreSession* session,
                 const StoreOpening& how = StoreOpening());

}  // namespace telemed

#endif  // TELEMED_SERVICE_STORE_SESSION_H_
