#include "store/group_committer.h"

#include <utility>

namespace telemed {

// A write waiting in the queue. It lives on its writer's stack; the leader
// fills in status and committed before it sets done under queue_mu_, and
// the writer reads them only after it saw done.
struct GroupCommitter::Pending {
  Pending(const Body* write_body, Mutex* mu) : body(write_body), cv(mu) {}

  const Body* const body;
  Status status;
  bool committed = false;
  bool done = false;
  CondVar cv;
};

GroupCommitter::GroupCommitter(SqliteDb db, CommitCheck check)
    : db_(std::move(db)), check_(std::move(check)) {}

Status GroupCommitter::Run(const Body& body, bool* committed) {
  Pending self(&body, &queue_mu_);
  std::vector<Pending*> batch;
  {
    MutexLock lock(&queue_mu_);
    queue_.push_back(&self);
    if (!WaitForTurn(&self, &batch)) {
      *committed = self.committed;
      return self.status;
    }
  }
  size_t finished = 0;
  {
    MutexLock lock(&db_mu_);
    finished = RunBatch(batch);
  }
  MutexLock lock(&queue_mu_);
  Finish(batch, finished);
  *committed = self.committed;
  return self.status;
}

void GroupCommitter::ReleaseMemory() {
  MutexLock lock(&db_mu_);
  sqlite3_db_release_memory(db_.get());
}

size_t GroupCommitter::waiting() const {
  MutexLock lock(&queue_mu_);
  return queue_.size() - running_;
}

bool GroupCommitter::WaitForTurn(Pending* self, std::vector<Pending*>* batch) {
  while (!self->done && queue_.front() != self) self->cv.Wait();
  if (self->done) return false;
  batch->assign(queue_.begin(), queue_.end());
  running_ = batch->size();
  return true;
}

size_t GroupCommitter::RunBatch(const std::vector<Pending*>& batch) {
  SqliteTransaction txn(db_.get());
  Status s = txn.BeginImmediate();
  if (!s.ok()) {
    // Each would have waited out the same busy timeout on its own.
    for (Pending* write : batch) write->status = s;
    return batch.size();
  }
  size_t count = 0;
  bool any_change = false;
  while (count < batch.size()) {
    Pending* write = batch[count++];
    if (RunOne(write) == TxnState::kLost) {
      // SQLite rolled back the whole transaction (I/O error, disk full):
      // the earlier bodies' changes are gone with it.
      for (size_t i = 0; i + 1 < count; ++i) {
        batch[i]->status = write->status;
        batch[i]->committed = false;
      }
      return count;
    }
    any_change = any_change || write->committed;
  }
  Commit(&txn, batch, count, any_change);
  // Without a change the transaction only read: txn rolls it back.
  return count;
}

GroupCommitter::TxnState GroupCommitter::RunOne(Pending* write) {
  write->status = Exec("SAVEPOINT write_body");
  if (!write->status.ok()) return TxnState::kOpen;
  bool commit = true;
  write->status = (*write->body)(&db_, &commit);
  if (sqlite3_get_autocommit(db_.get()) != 0) {
    if (write->status.ok()) {
      write->status = Status::Internal(
          "transaction_lost", "a write body ended the batch's transaction");
    }
    return TxnState::kLost;
  }
  if (write->status.ok() && commit) {
    write->status = Exec("RELEASE write_body");
    write->committed = write->status.ok();
    return TxnState::kOpen;
  }
  Status undo = Exec("ROLLBACK TO write_body");
  if (undo.ok()) undo = Exec("RELEASE write_body");
  if (undo.ok()) return TxnState::kOpen;
  // Its changes could not be undone, so nothing of the batch may commit.
  if (write->status.ok()) write->status = undo;
  return TxnState::kLost;
}

void GroupCommitter::Commit(SqliteTransaction* txn,
                            const std::vector<Pending*>& batch, size_t count,
                            bool any_change) {
  // Also the bodies that changed nothing read the others' uncommitted
  // changes, so without a COMMIT none of their answers holds.
  Status s = any_change && check_ ? check_() : Status::OK();
  if (s.ok() && any_change) s = txn->Commit();
  if (s.ok()) {
    if (any_change) commits_.fetch_add(1);
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    if (batch[i]->status.ok()) batch[i]->status = s;
    batch[i]->committed = false;
  }
}

void GroupCommitter::Finish(const std::vector<Pending*>& batch, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    queue_.pop_front();
    batch[i]->done = true;
    batch[i]->cv.Signal();
  }
  running_ = 0;
  if (!queue_.empty()) queue_.front()->cv.Signal();
}

Status GroupCommitter::Exec(const char* sql) {
  SqliteStmt stmt;
  Status s = db_.Prepare(sql, &stmt);
  return s.ok() ? stmt.Run() : s;
}

}  // namespace telemed
