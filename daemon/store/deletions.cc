// StoreImpl's deletion queue: Zoom meetings to delete, worked apart from
// their appointments so that a cancel or host change never waits for Zoom.
// Entries are added by CommitSyncTask (sync_state.cc), in the transaction
// that takes the meeting off its appointment.
#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

Status ReadPendingDeletion(const SqliteStmt& row, PendingDeletion* out) {
  out->meeting_id = row.ColumnText(0);
  out->host = row.ColumnText(1);
  out->appointment_id = row.ColumnText(2);
  out->attempts = static_cast<int>(row.ColumnInt64(3));
  out->next_attempt_at = row.ColumnInt64(4);
  out->last_error = row.ColumnText(5);
  return Status::OK();
}

}  // namespace

Status StoreImpl::ListDueDeletions(int64_t now, int limit,
                                   const std::vector<std::string>& exclude,
                                   std::vector<PendingDeletion>* out) {
  out->clear();
  Status s = CheckLimit(limit);
  if (!s.ok()) return s;
  return Read([&](SqliteDb* db) {
    return SelectDue(
        db,
        "SELECT meeting_id, host, appointment_id, attempts, next_attempt_at,"
        " last_error FROM zoom_deletions WHERE next_attempt_at <= ?"
        " ORDER BY next_attempt_at, meeting_id LIMIT ?",
        now, limit, exclude, out, ReadPendingDeletion);
  });
}

Status StoreImpl::CompleteDeletion(const std::string& meeting_id) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s =
        db->Prepare("DELETE FROM zoom_deletions WHERE meeting_id = ?", &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, meeting_id);
    return stmt.Run();
  });
}

Status StoreImpl::RescheduleDeletion(const PendingDeletion& deletion) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "UPDATE zoom_deletions SET attempts = ?, next_attempt_at = ?,"
        " last_error = ? WHERE meeting_id = ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, deletion.attempts);
    stmt.BindInt64(2, deletion.next_attempt_at);
    stmt.BindText(3, deletion.last_error);
    stmt.BindText(4, deletion.meeting_id);
    s = stmt.Run();
    if (s.ok() && sqlite3_changes(db->get()) == 0) {
      return Status::NotFound(
          "deletion_not_found",
          "no queued deletion of meeting " + deletion.meeting_id);
    }
    return s;
  });
}

}  // namespace telemed
