// GroupCommitter: the store's one write connection, committing the writes
// that arrive together in one transaction. Internal to store/.
//
// Every write costs an fsync at COMMIT (synchronous=FULL), about 0.7 ms
// here: one transaction per write caps this process at ~1,400 writes/s and
// keeps SQLite's write lock almost always taken, starving the CLI. So the
// first waiting writer leads: it takes every queued body, runs them in one
// BEGIN IMMEDIATE ... COMMIT with a SAVEPOINT each (a failing body rolls
// back alone) and then wakes each writer with its own Status. A write is
// reported only after the COMMIT that made it durable (leveldb's
// DBImpl::Write does the same with its log).
#ifndef TELEMED_STORE_GROUP_COMMITTER_H_
#define TELEMED_STORE_GROUP_COMMITTER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "base/mutex.h"
#include "base/status.h"
#include "store/sqlite.h"

namespace telemed {

class GroupCommitter final {
 public:
  // One write: runs inside the shared transaction on `db`. It sets *commit
  // to false when it found nothing to change; an error or *commit false
  // rolls back its own statements only. It must not block, and it sees the
  // uncommitted changes of the bodies before it in the batch.
  using Body = std::function<Status(SqliteDb* db, bool* commit)>;

  // Runs before every COMMIT; an error fails the whole batch instead (the
  // store's check that its file is still there).
  using CommitCheck = std::function<Status()>;

  // Takes the open, configured write connection. `check` may be empty.
  explicit GroupCommitter(SqliteDb db, CommitCheck check = nullptr);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `body` and returns once its transaction committed (or failed):
  // body's own error, else the transaction's. *committed tells whether
  // body's changes are now committed (false when it changed nothing).
  Status Run(const Body& body, bool* committed) EXCLUDES(queue_mu_, db_mu_);

  // Transactions committed so far, and writes waiting behind the batch
  // being run (both for tests).
  uint64_t commits() const { return commits_.load(); }
  // Empties the connection's page cache (after a write in progress).
  void ReleaseMemory() EXCLUDES(db_mu_);
  size_t waiting() const EXCLUDES(queue_mu_);

 private:
  struct Pending;
  // A batch's transaction as a whole.
  enum class TxnState { kOpen, kLost };

  // Waits until `self` is done or heads the queue; true when it leads,
  // with *batch filled with every queued write.
  bool WaitForTurn(Pending* self, std::vector<Pending*>* batch)
      REQUIRES(queue_mu_);
  // Runs the first writes of `batch` in one transaction and sets their
  // status; returns how many it finished (at least one). The rest stay
  // queued when SQLite itself rolled the transaction back.
  size_t RunBatch(const std::vector<Pending*>& batch) REQUIRES(db_mu_);
  // Runs one body inside its savepoint.
  TxnState RunOne(Pending* write) REQUIRES(db_mu_);
  // Commits the changes of batch[0, count); on failure every one of them
  // fails (a later body may have read an earlier one's changes).
  void Commit(SqliteTransaction* txn, const std::vector<Pending*>& batch,
              size_t count, bool any_change) REQUIRES(db_mu_);
  // Marks batch[0, count) done, wakes them and the next leader.
  void Finish(const std::vector<Pending*>& batch, size_t count)
      REQUIRES(queue_mu_);
  // Runs a cached transaction-control statement.
  Status Exec(const char* sql) REQUIRES(db_mu_);

  // Held by the leader only, while it runs a batch; never together with
  // queue_mu_.
  Mutex db_mu_;
  SqliteDb db_ GUARDED_BY(db_mu_);

  const CommitCheck check_;

  mutable Mutex queue_mu_;
  // Every write not yet finished, oldest first; the front one leads.
  std::deque<Pending*> queue_ GUARDED_BY(queue_mu_);
  // How many writes at the queue's front the leader is running.
  size_t running_ GUARDED_BY(queue_mu_) = 0;
  std::atomic<uint64_t> commits_{0};
};

}  // namespace telemed

#endif  // TELEMED_STORE_GROUP_COMMITTER_H_
