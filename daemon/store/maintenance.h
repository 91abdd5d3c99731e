// Maintenance: the store's role for keeping the database file healthy while
// the daemon runs: retention of ended appointments and of expired connect
// links and OAuth attempts, WAL checkpoints, the
// check that the file is still the one opened, giving back cache memory,
// and the hook that tells the sync runner a write was committed.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_MAINTENANCE_H_
#define TELEMED_STORE_MAINTENANCE_H_

#include <functional>

#include "base/status.h"

namespace telemed {

class Maintenance {
 public:
  // Deletes appointments that ended (start + duration) before
  // now - retention_days, except those with a Zoom action still pending.
  // *purged receives how many went.
  virtual Status PurgeEnded(int retention_days, int* purged) = 0;
  // Deletes the connect links and OAuth attempts (store/doctor_grants.h)
  // that expired by now (the store's clock): nobody can use them any more,
  // and no row of a doctor's connecting is kept longer than it serves.
  // *purged receives how many went.
  virtual Status PurgeExpiredOAuthSteps(int* purged) = 0;
  // Copies committed WAL frames into the database file without blocking
  // readers or writers (a PASSIVE checkpoint, on its own connection).
  // *wal_frames and *checkpointed (may be null) receive SQLite's counts.
  virtual Status Checkpoint(int* wal_frames, int* checkpointed) = 0;
  // Unavailable("database_gone") once the file at Store::Options::path is
  // no longer the one this store opened (deleted, or replaced by another
  // file): writes would then reach a file no restart opens. Once it failed
  // it keeps failing, and so does every later write (checked before each
  // COMMIT), so nothing is acknowledged that is not on disk.
  virtual Status CheckFile() = 0;
  // Gives back memory that a burst left in SQLite's caches: closes idle
  // read connections but a few and empties the page caches of the rest.
  // The next reads warm them again (the OS still caches the file).
  virtual void ReleaseMemory() = 0;
  // `listener` runs after every write this process commits (any table), on
  // the writing thread, outside the store's locks; it must be quick (the
  // sync runner's wake-up). Replaces any earlier listener; empty clears.
  virtual void SetWriteListener(std::function<void()> listener) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~Maintenance() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_MAINTENANCE_H_
