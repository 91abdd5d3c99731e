#include "store/rows.h"

#include "base/words.h"

namespace telemed {

namespace {

Status ParseSyncStatus(const std::string& text, SyncStatus* out) {
  for (SyncStatus status :
       {SyncStatus::kPending, SyncStatus::kSynced, SyncStatus::kFailed}) {
    if (text == SyncStatusName(status)) {
      *out = status;
      return Status::OK();
    }
  }
  return Status::Corruption("bad_sync_status",
                            "stored sync_status '" + text + "' is unknown");
}

void ReadSyncError(const SqliteStmt& row, Appointment* out) {
  out->has_error = !row.ColumnIsNull(11);
  SyncError& error = out->error;
  error.code = row.ColumnText(11);
  error.message = row.ColumnText(12);
  error.zoom_code = static_cast<int>(row.ColumnInt64(16));
  error.retry_at = row.ColumnInt64(17);
  error.missing_scopes = SplitWords(row.ColumnText(18));
}

}  // namespace

Status ReadAppointment(const SqliteStmt& row, Appointment* out) {
  AppointmentRequest& request = out->request;
  request.id = row.ColumnText(0);
  request.doctor_id = row.ColumnText(1);
  request.start_time = row.ColumnInt64(2);
  request.duration_minutes = static_cast<int>(row.ColumnInt64(3));
  request.timezone = row.ColumnText(4);
  request.topic = row.ColumnText(5);
  request.cancelled = row.ColumnInt64(6) != 0;
  out->has_meeting = !row.ColumnIsNull(8);
  out->meeting =
      Meeting{row.ColumnText(8), row.ColumnText(9), row.ColumnText(10),
              out->has_meeting ? row.ColumnInt64(19) : 0};
  ReadSyncError(row, out);
  out->revision = row.ColumnInt64(13);
  out->updated_at = row.ColumnInt64(14);
  out->change_seq = static_cast<uint64_t>(row.ColumnInt64(15));
  return ParseSyncStatus(row.ColumnText(7), &out->sync_status);
}

void ReadZoomState(const SqliteStmt& row, ZoomState* out) {
  const int i = kZoomColumnsIndex;
  out->needs_work = row.ColumnInt64(i) != 0;
  out->meeting_host = row.ColumnText(i + 1);
  out->synced_start_time = row.ColumnInt64(i + 2);
  out->synced_duration = static_cast<int>(row.ColumnInt64(i + 3));
  out->synced_topic = row.ColumnText(i + 4);
  out->synced_timezone = row.ColumnText(i + 5);
  out->create_generation = row.ColumnInt64(i + 6);
  out->create_in_doubt = row.ColumnInt64(i + 7) != 0;
  out->attempts = static_cast<int>(row.ColumnInt64(i + 8));
  out->next_attempt_at = row.ColumnInt64(i + 9);
  out->checked_at = row.ColumnInt64(i + 10);
  out->warning = row.ColumnText(i + 11);
  out->sweep_at = row.ColumnInt64(i + 12);
  out->sweep_round = static_cast<int>(row.ColumnInt64(i + 13));
  out->sweep_host = row.ColumnText(i + 14);
  out->patch_in_doubt = row.ColumnInt64(i + 15) != 0;
}

Status LoadAppointment(SqliteDb* db, const std::string& id, Appointment* out,
                       bool* found) {
  SqliteStmt stmt;
  Status s = db->Prepare("SELECT " TELEMED_APPOINTMENT_COLUMNS
                         " FROM appointments WHERE id = ?",
                         &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, id);
  s = stmt.Step(found);
  if (s.ok() && *found) s = ReadAppointment(stmt, out);
  return s;
}

Status LoadSyncTask(SqliteDb* db, const std::string& id, SyncTask* out,
                    bool* found) {
  SqliteStmt stmt;
  Status s =
      db->Prepare("SELECT " TELEMED_APPOINTMENT_COLUMNS
                  ", " TELEMED_ZOOM_COLUMNS " FROM appointments WHERE id = ?",
                  &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, id);
  s = stmt.Step(found);
  if (!s.ok() || !*found) return s;
  out->queue_deletions.clear();
  out->count_write_host.clear();
  out->count_write_day = 0;
  ReadZoomState(stmt, &out->zoom);
  s = ReadAppointment(stmt, &out->appointment);
  bool has_doctor = false;
  if (s.ok()) {
    s = LoadDoctor(db, out->appointment.request.doctor_id, &out->doctor,
                   &has_doctor);
  }
  // The foreign key makes this a damaged file, not a caller's mistake.
  if (s.ok() && !has_doctor) {
    return Status::Corruption("missing_doctor",
                              "appointment " + id + " has no doctor");
  }
  return s;
}

Status CheckLimit(int limit) {
  if (limit >= 1) return Status::OK();
  return Status::InvalidArgument("invalid_limit", "limit must be >= 1",
                                 "limit");
}

Status AppointmentNotFound(const std::string& id) {
  return Status::NotFound("appointment_not_found", "no appointment " + id);
}

Status ReadDoctor(const SqliteStmt& row, Doctor* out) {
  out->id = row.ColumnText(0);
  out->name = row.ColumnText(1);
  out->zoom_user = row.ColumnText(2);
  out->created_at = row.ColumnInt64(4);
  out->updated_at = row.ColumnInt64(5);
  if (ParseAuthMode(row.ColumnText(3), &out->auth)) return Status::OK();
  return Status::Corruption("bad_auth_mode",
                            "doctor " + out->id + " has an unknown auth mode");
}

Status LoadDoctor(SqliteDb* db, const std::string& id, Doctor* out,
                  bool* found) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "SELECT id, name, zoom_user, auth, created_at, updated_at FROM doctors"
      " WHERE id = ?",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, id);
  s = stmt.Step(found);
  if (s.ok() && *found) s = ReadDoctor(stmt, out);
  return s;
}

// A counter row rather than MAX(change_seq) + 1, so purging the newest
// appointment can never hand its position to another one behind a client's
// cursor.
Status NextChangeSeq(SqliteDb* db, uint64_t* seq) {
  int64_t value = 0;
  Status s = StepCounter(
      db,
      "UPDATE change_feed SET last_seq = last_seq + 1 "
      "WHERE id = 1 RETURNING last_seq",
      Status::Corruption("no_change_feed", "change_feed row is missing"),
      &value);
  if (s.ok()) *seq = static_cast<uint64_t>(value);
  return s;
}

Status StepCounter(SqliteDb* db, const char* sql, const Status& missing,
                   int64_t* value) {
  SqliteStmt stmt;
  Status s = db->Prepare(sql, &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (s.ok() && !has_row) return missing;
  if (s.ok()) *value = stmt.ColumnInt64(0);
  return s.ok() ? stmt.Run() : s;
}

}  // namespace telemed
