// StoreImpl's side of the sync engine (docs/sync.md): due tasks, storing a
// step's result (and queueing deletions with it), requeues and counts.
//
// The engine reads a task, calls Zoom without holding anything, computes
// the result, then stores it through CommitSyncTask, which re-reads the
// appointment under the write lock and stores the result only if nothing
// changed since the read. So a clinic change made during the call is never
// overwritten: the engine computes its result again on the fresh task.
#include <algorithm>
#include <map>
#include <tuple>

#include "base/clock.h"
#include "base/words.h"
#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

// What the clinic sees of a sync result: status, meeting (with the start
// Zoom confirmed, shown as meeting.start_time), error code. Only a change
// here moves revision and the feed (docs/sync.md).
bool VisibleChange(const SyncTask& before, const SyncTask& after) {
  auto meeting = [](const SyncTask& task) {
    static const Meeting kNone;
    const Appointment& x = task.appointment;
    const Meeting& m = x.has_meeting ? x.meeting : kNone;
    const int64_t start = x.has_meeting ? task.zoom.synced_start_time : 0;
    return std::make_tuple(x.has_meeting, m.id, m.join_url, m.passcode, start);
  };
  const Appointment& a = before.appointment;
  const Appointment& b = after.appointment;
  auto error = [](const Appointment& x) {
    static const std::string kNone;
    return std::tie(x.has_error, x.has_error ? x.error.code : kNone);
  };
  return a.sync_status != b.sync_status || meeting(before) != meeting(after) ||
         error(a) != error(b);
}

bool SameErrorDetail(const SyncError& a, const SyncError& b) {
  return std::tie(a.message, a.zoom_code, a.retry_at, a.missing_scopes) ==
         std::tie(b.message, b.zoom_code, b.retry_at, b.missing_scopes);
}

bool SameZoomState(const ZoomState& a, const ZoomState& b) {
  auto fields = [](const ZoomState& z) {
    return std::tie(z.needs_work, z.meeting_host, z.synced_start_time,
                    z.synced_duration, z.synced_topic, z.synced_timezone,
                    z.create_generation, z.create_in_doubt, z.attempts,
                    z.next_attempt_at, z.checked_at, z.warning, z.sweep_at,
                    z.sweep_round, z.sweep_host, z.patch_in_doubt);
  };
  return fields(a) == fields(b);
}

// True when the update wrote nothing at all, so the transaction (and its
// fsync) can be skipped.
bool NothingChanged(const SyncTask& before, const SyncTask& after) {
  return !VisibleChange(before, after) &&
         SameErrorDetail(before.appointment.error, after.appointment.error) &&
         SameZoomState(before.zoom, after.zoom) &&
         after.queue_deletions.empty() && after.count_write_host.empty();
}

bool SameDoctor(const Doctor& a, const Doctor& b) {
  return std::tie(a.id, a.name, a.zoom_user, a.auth, a.created_at,
                  a.updated_at) == std::tie(b.id, b.name, b.zoom_user, b.auth,
                                            b.created_at, b.updated_at);
}

// Whether the stored task is still the one the caller read: everything
// the engine computes a step's result from (the clinic's fields, the
// doctor, the visible sync state and the hidden one). A version by value:
// no column to keep up to date in every writer of the row.
bool SameTask(const SyncTask& read, const SyncTask& stored) {
  const Appointment& a = read.appointment;
  const Appointment& b = stored.appointment;
  return a.request == b.request &&
         std::tie(a.revision, a.updated_at, a.change_seq) ==
             std::tie(b.revision, b.updated_at, b.change_seq) &&
         !VisibleChange(read, stored) && SameErrorDetail(a.error, b.error) &&
         SameZoomState(read.zoom, stored.zoom) &&
         SameDoctor(read.doctor, stored.doctor);
}

// Binds ?2..?5: sync_status and the meeting (NULLs when there is none).
void BindMeeting(const Appointment& a, SqliteStmt* stmt) {
  stmt->BindText(2, SyncStatusName(a.sync_status));
  for (int i = 3; i <= 5; ++i) stmt->BindNull(i);
  if (!a.has_meeting) return;
  stmt->BindText(3, a.meeting.id);
  stmt->BindText(4, a.meeting.join_url);
  stmt->BindText(5, a.meeting.passcode);
}

// Binds ?6..?10: the error (NULL code and message when there is none).
void BindError(const Appointment& a, SqliteStmt* stmt) {
  static const SyncError kNone;
  const SyncError& e = a.has_error ? a.error : kNone;
  if (a.has_error) {
    stmt->BindText(6, e.code);
    stmt->BindText(7, e.message);
  } else {
    stmt->BindNull(6);
    stmt->BindNull(7);
  }
  stmt->BindInt64(8, e.zoom_code);
  stmt->BindInt64(9, e.retry_at);
  stmt->BindText(10, JoinWords(e.missing_scopes));
}

// Binds ?11..?26 in TELEMED_ZOOM_COLUMNS order.
void BindZoomState(const ZoomState& z, SqliteStmt* stmt) {
  stmt->BindInt64(11, z.needs_work ? 1 : 0);
  stmt->BindText(12, z.meeting_host);
  stmt->BindInt64(13, z.synced_start_time);
  stmt->BindInt64(14, z.synced_duration);
  stmt->BindText(15, z.synced_topic);
  stmt->BindText(16, z.synced_timezone);
  stmt->BindInt64(17, z.create_generation);
  stmt->BindInt64(18, z.create_in_doubt ? 1 : 0);
  stmt->BindInt64(19, z.attempts);
  stmt->BindInt64(20, z.next_attempt_at);
  stmt->BindInt64(21, z.checked_at);
  stmt->BindText(22, z.warning);
  stmt->BindInt64(23, z.sweep_at);
  stmt->BindInt64(24, z.sweep_round);
  stmt->BindText(25, z.sweep_host);
  stmt->BindInt64(26, z.patch_in_doubt ? 1 : 0);
}

// Writes the engine's columns only; the clinic's are not in the statement,
// so nothing the callback did to them can reach the file.
Status StoreSyncColumns(SqliteDb* db, const std::string& id,
                        const SyncTask& task) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "UPDATE appointments SET sync_status = ?2, meeting_id = ?3,"
      " meeting_join_url = ?4, meeting_passcode = ?5, error_code = ?6,"
      " error_message = ?7, error_zoom_code = ?8, error_retry_at = ?9,"
      " error_missing_scopes = ?10, zoom_action_pending = ?11,"
      " meeting_host = ?12, synced_start_time = ?13, synced_duration = ?14,"
      " synced_topic = ?15, synced_timezone = ?16, create_generation = ?17,"
      " create_in_doubt = ?18, attempts = ?19, next_attempt_at = ?20,"
      " checked_at = ?21, warning = ?22, sweep_at = ?23, sweep_round = ?24,"
      " sweep_host = ?25, patch_in_doubt = ?26 WHERE id = ?1",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, id);
  BindMeeting(task.appointment, &stmt);
  BindError(task.appointment, &stmt);
  BindZoomState(task.zoom, &stmt);
  return stmt.Run();
}

// Moves the appointment to the end of the feed as a visible change.
Status BumpRevision(SqliteDb* db, const std::string& id, int64_t now,
                    uint64_t* seq) {
  Status s = NextChangeSeq(db, seq);
  SqliteStmt stmt;
  if (s.ok()) {
    s = db->Prepare(
        "UPDATE appointments SET revision = revision + 1, updated_at = ?,"
        " change_seq = ? WHERE id = ?",
        &stmt);
  }
  if (!s.ok()) return s;
  stmt.BindInt64(1, now);
  stmt.BindInt64(2, static_cast<int64_t>(*seq));
  stmt.BindText(3, id);
  return stmt.Run();
}

// A meeting already queued keeps its entry (and its backoff): queueing is
// idempotent, so a step that is repeated after a crash queues nothing twice.
Status QueueDeletions(SqliteDb* db, const std::vector<PendingDeletion>& list) {
  if (list.empty()) return Status::OK();
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO zoom_deletions (meeting_id, host, appointment_id, attempts,"
      " next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (meeting_id) DO NOTHING",
      &stmt);
  for (auto it = list.begin(); s.ok() && it != list.end(); ++it) {
    stmt.BindText(1, it->meeting_id);
    stmt.BindText(2, it->host);
    stmt.BindText(3, it->appointment_id);
    stmt.BindInt64(4, it->attempts);
    stmt.BindInt64(5, it->next_attempt_at);
    stmt.BindText(6, it->last_error);
    s = stmt.Run();
    stmt.Reset();
  }
  return s;
}

// Writes `next` over the stored task `stored` (equal to what the caller
// read). *seq is set (non-zero) when the change was visible and took a
// feed position.
Status StoreSyncWrite(SqliteDb* db, const SyncTask& stored,
                      const SyncTask& next, int64_t now, uint64_t* seq) {
  const std::string& id = stored.appointment.request.id;
  Status s = StoreSyncColumns(db, id, next);
  if (s.ok() && VisibleChange(stored, next)) {
    s = BumpRevision(db, id, now, seq);
  }
  if (s.ok()) s = QueueDeletions(db, next.queue_deletions);
  if (s.ok() && !next.count_write_host.empty()) {
    int count = 0;
    s = CountZoomWrite(db, next.count_write_host, next.count_write_day, &count);
  }
  return s;
}

// One write of CommitSyncTask(s), inside the transaction: only data is
// compared and stored here, so the write lock is held for SQL alone.
// *stored receives the task as stored afterwards; *changed whether
// anything was written.
Status ApplySyncWrite(SqliteDb* db, const SyncTaskWrite& write, int64_t now,
                      SyncWriteResult* result, SyncTask* stored, uint64_t* seq,
                      bool* changed) {
  const std::string& id = write.read.appointment.request.id;
  bool found = false;
  Status s = LoadSyncTask(db, id, stored, &found);
  if (!s.ok()) return s;
  *result = !found                           ? SyncWriteResult::kGone
            : !SameTask(write.read, *stored) ? SyncWriteResult::kChanged
                                             : SyncWriteResult::kStored;
  if (*result != SyncWriteResult::kStored) return s;
  if (NothingChanged(*stored, write.next)) return s;
  *changed = true;
  s = StoreSyncWrite(db, *stored, write.next, now, seq);
  return s.ok() ? LoadSyncTask(db, id, stored, &found) : s;
}

// Runs a requeue `sql` whose one parameter, if any, is *id.
Status RequeueWhere(SqliteDb* db, const char* sql, const std::string* id,
                    int* count) {
  SqliteStmt stmt;
  Status s = db->Prepare(sql, &stmt);
  if (!s.ok()) return s;
  if (id != nullptr) stmt.BindText(1, *id);
  s = stmt.Run();
  if (s.ok()) *count = sqlite3_changes(db->get());
  return s;
}

// Fills in each task's doctor (few doctors, many appointments: one lookup
// per doctor).
Status LoadDoctors(SqliteDb* db, std::vector<SyncTask>* tasks) {
  std::map<std::string, Doctor> doctors;
  for (SyncTask& task : *tasks) {
    const std::string& id = task.appointment.request.doctor_id;
    auto it = doctors.find(id);
    if (it == doctors.end()) {
      bool found = false;
      Status s = LoadDoctor(db, id, &doctors[id], &found);
      if (!s.ok()) return s;
      it = doctors.find(id);
    }
    task.doctor = it->second;
  }
  return Status::OK();
}

}  // namespace

Status StoreImpl::ListDueSyncTasks(int64_t now, int limit,
                                   const std::vector<std::string>& exclude,
                                   std::vector<SyncTask>* out) {
  out->clear();
  Status s = CheckLimit(limit);
  if (!s.ok()) return s;
  return Read([&](SqliteDb* db) {
    // Served by the partial index appointments_due.
    Status ds = SelectDue(
        db,
        "SELECT " TELEMED_APPOINTMENT_COLUMNS ", " TELEMED_ZOOM_COLUMNS
        " FROM appointments WHERE zoom_action_pending = 1"
        " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
        now, limit, exclude, out, [](const SqliteStmt& row, SyncTask* task) {
          ReadZoomState(row, &task->zoom);
          return ReadAppointment(row, &task->appointment);
        });
    return ds.ok() ? LoadDoctors(db, out) : ds;
  });
}

Status StoreImpl::NextSyncDeadline(int64_t* when, bool* has_any) {
  *has_any = false;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    // MIN of the two MINs: NULL only when both sets are empty.
    Status s = db->Prepare(
        "SELECT MIN(t) FROM ("
        " SELECT MIN(next_attempt_at) AS t FROM appointments"
        " WHERE zoom_action_pending = 1"
        " UNION ALL SELECT MIN(next_attempt_at) FROM zoom_deletions)",
        &stmt);
    bool has_row = false;
    if (s.ok()) s = stmt.Step(&has_row);
    if (s.ok() && has_row && !stmt.ColumnIsNull(0)) {
      *has_any = true;
      *when = stmt.ColumnInt64(0);
    }
    return s;
  });
}

Status StoreImpl::GetSyncTask(const std::string& id, SyncTask* out) {
  return Read([&](SqliteDb* db) {
    bool found = false;
    Status s = LoadSyncTask(db, id, out, &found);
    if (s.ok() && !found) return AppointmentNotFound(id);
    return s;
  });
}

Status StoreImpl::CommitSyncTask(const SyncTaskWrite& write,
                                 SyncWriteResult* result, SyncTask* current) {
  const int64_t now = options_.clock->NowSeconds();
  SyncTask stored;
  uint64_t seq = 0;
  Status s = Write([&](SqliteDb* db, bool* commit) {
    *commit = false;
    return ApplySyncWrite(db, write, now, result, &stored, &seq, commit);
  });
  if (s.ok() && seq != 0) NoteChangeSeq(seq);
  if (s.ok() && current != nullptr) *current = std::move(stored);
  return s;
}

Status StoreImpl::CommitSyncTasks(const std::vector<SyncTaskWrite>& writes,
                                  std::vector<SyncWriteResult>* results) {
  results->assign(writes.size(), SyncWriteResult::kGone);
  if (writes.empty()) return Status::OK();
  const int64_t now = options_.clock->NowSeconds();
  uint64_t seq = 0;
  Status s = Write([&](SqliteDb* db, bool* commit) {
    *commit = false;
    SyncTask stored;
    Status ws;
    for (size_t i = 0; ws.ok() && i < writes.size(); ++i) {
      ws = ApplySyncWrite(db, writes[i], now, &(*results)[i], &stored, &seq,
                          commit);
    }
    return ws;
  });
  if (s.ok() && seq != 0) NoteChangeSeq(seq);
  return s;
}

Status StoreImpl::RequeueAppointment(const std::string& id) {
  return Write([&](SqliteDb* db, bool*) {
    int count = 0;
    Status s = RequeueWhere(
        db,
        // checked_at 0: a synced meeting is read back from Zoom at once
        // (a retry is how a person asks "is it still there?").
        "UPDATE appointments SET " TELEMED_REQUEUE_SET
        ", checked_at = 0 WHERE id = ?",
        &id, &count);
    if (s.ok() && count == 0) return AppointmentNotFound(id);
    return s;
  });
}

Status StoreImpl::RequeueFailed(int* count) {
  *count = 0;
  return Write([&](SqliteDb* db, bool* commit) {
    Status s = RequeueWhere(db,
                            "UPDATE appointments SET " TELEMED_REQUEUE_SET
                            " WHERE sync_status = 'failed'",
                            nullptr, count);
    *commit = *count > 0;
    return s;
  });
}

Status StoreImpl::CountSyncQueue(int* pending, int* failed, int* deletions) {
  *pending = *failed = *deletions = 0;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "SELECT (SELECT COUNT(*) FROM appointments"
        "   WHERE sync_status = 'pending'),"
        " (SELECT COUNT(*) FROM appointments WHERE sync_status = 'failed'),"
        " (SELECT COUNT(*) FROM zoom_deletions)",
        &stmt);
    bool has_row = false;
    if (s.ok()) s = stmt.Step(&has_row);
    if (!s.ok() || !has_row) return s;
    *pending = static_cast<int>(stmt.ColumnInt64(0));
    *failed = static_cast<int>(stmt.ColumnInt64(1));
    *deletions = static_cast<int>(stmt.ColumnInt64(2));
    return s;
  });
}

}  // namespace telemed

namespace telemed {

namespace {

// `task` without its meeting, which goes to the deletion queue: pending and
// due, so that the engine settles it (a reconnect creates a new meeting,
// under a new create generation).
SyncTask WithoutMeeting(const SyncTask& task) {
  SyncTask next = task;
  next.queue_deletions.push_back(
      PendingDeletion{task.appointment.meeting.id, task.zoom.meeting_host,
                      task.appointment.request.id, 0, 0, ""});
  next.appointment.has_meeting = false;
  next.appointment.meeting = Meeting();
  next.appointment.sync_status = SyncStatus::kPending;
  ZoomState fresh;
  fresh.create_generation = task.zoom.create_generation;
  next.zoom = fresh;
  return next;
}

Status MeetingAppointmentsOf(SqliteDb* db, const std::string& doctor_id,
                             const std::string& host,
                             std::vector<std::string>* ids) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "SELECT id FROM appointments WHERE doctor_id = ? AND meeting_host = ?"
      " AND meeting_id IS NOT NULL AND create_in_doubt = 0 ORDER BY id",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, doctor_id);
  stmt.BindText(2, host);
  return stmt.ForEachRow([&](const SqliteStmt& row) {
    ids->push_back(row.ColumnText(0));
    return Status::OK();
  });
}

}  // namespace

// GrantRevokes' (store/grant_revokes.h), here for StoreSyncWrite: the same
// write a cancel's deletion takes.
Status StoreImpl::QueueDoctorMeetingDeletions(const std::string& doctor_id,
                                              const std::string& host,
                                              int* queued) {
  *queued = 0;
  const int64_t now = options_.clock->NowSeconds();
  uint64_t seq = 0;
  Status s = Write([&](SqliteDb* db, bool*) {
    std::vector<std::string> ids;
    Status ws = MeetingAppointmentsOf(db, doctor_id, host, &ids);
    for (size_t i = 0; ws.ok() && i < ids.size(); ++i) {
      SyncTask stored;
      bool found = false;
      ws = LoadSyncTask(db, ids[i], &stored, &found);
      if (ws.ok() && found) {
        ws = StoreSyncWrite(db, stored, WithoutMeeting(stored), now, &seq);
        *queued += ws.ok() ? 1 : 0;
      }
    }
    return ws;
  });
  if (s.ok() && seq != 0) NoteChangeSeq(seq);
  return s;
}

namespace {

Status CountRows(SqliteDb* db, const char* sql, const std::string& host,
                 int* count) {
  SqliteStmt stmt;
  Status s = db->Prepare(sql, &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, host);
  bool has_row = false;
  s = stmt.Step(&has_row);
  if (s.ok() && has_row) *count = static_cast<int>(stmt.ColumnInt64(0));
  return s;
}

}  // namespace

Status StoreImpl::CountQueuedDeletions(const std::string& host, int* count) {
  *count = 0;
  return Read([&](SqliteDb* db) {
    return CountRows(db, "SELECT COUNT(*) FROM zoom_deletions WHERE host = ?",
                     host, count);
  });
}

Status StoreImpl::CountCreatesInDoubt(const std::string& host, int* count) {
  *count = 0;
  return Read([&](SqliteDb* db) {
    return CountRows(db,
                     "SELECT COUNT(*) FROM appointments WHERE meeting_host = ?"
                     " AND create_in_doubt = 1",
                     host, count);
  });
}

}  // namespace telemed
