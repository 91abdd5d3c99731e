// StoreImpl's revokes owed to Zoom (store/grant_revokes.h): table
// pending_revokes, one row per token to revoke.
#include <string>
#include <vector>

#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

Status ReadPendingRevoke(const SqliteStmt& row, PendingRevoke* out) {
  out->id = row.ColumnInt64(0);
  out->doctor_id = row.ColumnText(1);
  out->sealed_token = row.ColumnBlob(2);
  out->attempts = static_cast<int>(row.ColumnInt64(3));
  out->next_attempt_at = row.ColumnInt64(4);
  out->last_error = row.ColumnText(5);
  return Status::OK();
}

}  // namespace

Status StoreImpl::QueueRevoke(const PendingRevoke& revoke, int64_t* id) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "INSERT INTO pending_revokes (doctor_id, token, attempts,"
        " next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?)",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, revoke.doctor_id);
    stmt.BindBlob(2, revoke.sealed_token);
    stmt.BindInt64(3, revoke.attempts);
    stmt.BindInt64(4, revoke.next_attempt_at);
    stmt.BindText(5, revoke.last_error);
    s = stmt.Run();
    if (s.ok()) *id = sqlite3_last_insert_rowid(db->get());
    return s;
  });
}

Status StoreImpl::ListDueRevokes(int64_t now, int limit,
                                 std::vector<PendingRevoke>* out) {
  out->clear();
  Status s = CheckLimit(limit);
  if (!s.ok()) return s;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status r = db->Prepare(
        "SELECT id, doctor_id, token, attempts, next_attempt_at, last_error"
        " FROM pending_revokes WHERE next_attempt_at <= ?"
        " ORDER BY next_attempt_at, id LIMIT ?",
        &stmt);
    if (!r.ok()) return r;
    stmt.BindInt64(1, now);
    stmt.BindInt64(2, limit);
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      out->emplace_back();
      return ReadPendingRevoke(row, &out->back());
    });
  });
}

Status StoreImpl::RescheduleRevoke(const PendingRevoke& revoke) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "UPDATE pending_revokes SET attempts = ?, next_attempt_at = ?,"
        " last_error = ? WHERE id = ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, revoke.attempts);
    stmt.BindInt64(2, revoke.next_attempt_at);
    stmt.BindText(3, revoke.last_error);
    stmt.BindInt64(4, revoke.id);
    // The row is rewritten with its sealed token: no copy is left behind.
    s = WithSecureDelete(db, [&] { return stmt.Run(); });
    if (s.ok() && sqlite3_changes(db->get()) == 0) {
      return Status::NotFound("revoke_not_found",
                              "no queued revoke " + std::to_string(revoke.id));
    }
    return s;
  });
}

Status StoreImpl::CompleteRevoke(int64_t id) {
  Status s = Write([&](SqliteDb* db, bool*) {
    return WithSecureDelete(db, [&] {
      SqliteStmt stmt;
      Status d = db->Prepare("DELETE FROM pending_revokes WHERE id = ?", &stmt);
      if (!d.ok()) return d;
      stmt.BindInt64(1, id);
      return stmt.Run();
    });
  });
  return s.ok() ? TruncateWal() : s;
}

}  // namespace telemed
