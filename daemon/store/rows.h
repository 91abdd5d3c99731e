// Row readers and small statements shared by the store's files (store.cc,
// sync_state.cc, settings.cc). Internal to store/.
//
// Every appointment query selects TELEMED_APPOINTMENT_COLUMNS, optionally
// followed by TELEMED_ZOOM_COLUMNS, so one reader serves them all.
#ifndef TELEMED_STORE_ROWS_H_
#define TELEMED_STORE_ROWS_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/records.h"
#include "store/sqlite.h"
#include "store/sync_records.h"

namespace telemed {

// What the clinic sees of an appointment (ReadAppointment), in this order.
#define TELEMED_APPOINTMENT_COLUMNS                                          \
  "id, doctor_id, start_time, duration_minutes, timezone, topic, "           \
  "cancelled, sync_status, meeting_id, meeting_join_url, meeting_passcode, " \
  "error_code, error_message, revision, updated_at, change_seq, "            \
  "error_zoom_code, error_retry_at, error_missing_scopes, synced_start_time"
// The hidden Zoom state (ReadZoomState); starts at kZoomColumnsIndex.
#define TELEMED_ZOOM_COLUMNS                                                \
  "zoom_action_pending, meeting_host, synced_start_time, synced_duration, " \
  "synced_topic, synced_timezone, create_generation, create_in_doubt, "     \
  "attempts, next_attempt_at, checked_at, warning, sweep_at, sweep_round, " \
  "sweep_host, patch_in_doubt"
constexpr int kZoomColumnsIndex = 20;
// What "owed a look now" means: needs work, due at once, a fresh backoff.
// Shared by every write that requeues (clinic change, doctor change, retry).
#define TELEMED_REQUEUE_SET \
  "zoom_action_pending = 1, next_attempt_at = 0, attempts = 0"

// Reads TELEMED_APPOINTMENT_COLUMNS from `row`; Corruption on a bad status.
Status ReadAppointment(const SqliteStmt& row, Appointment* out);
// Reads TELEMED_ZOOM_COLUMNS from `row`, starting at kZoomColumnsIndex.
void ReadZoomState(const SqliteStmt& row, ZoomState* out);
// *found false (and *out untouched) when there is no appointment `id`.
Status LoadAppointment(SqliteDb* db, const std::string& id, Appointment* out,
                       bool* found);
// The appointment, its doctor and its Zoom state; *found as above.
Status LoadSyncTask(SqliteDb* db, const std::string& id, SyncTask* out,
                    bool* found);
Status AppointmentNotFound(const std::string& id);

// Reads "id, name, zoom_user, auth, created_at, updated_at".
Status ReadDoctor(const SqliteStmt& row, Doctor* out);
Status LoadDoctor(SqliteDb* db, const std::string& id, Doctor* out,
                  bool* found);

// Takes the next position in the change feed (inside a write transaction).
Status NextChangeSeq(SqliteDb* db, uint64_t* seq);
// Runs `sql`, an UPDATE of a one-row counter RETURNING its new value, into
// *value; `missing` when the row is not there.
Status StepCounter(SqliteDb* db, const char* sql, const Status& missing,
                   int64_t* value);

// Runs `body` with secure_delete on. The flag belongs to the connection,
// which the group committer shares with other writes, so it is set back.
template <typename Body>
Status WithSecureDelete(SqliteDb* db, Body&& body) {
  Status s = db->Exec("PRAGMA secure_delete = ON", "enable secure delete");
  if (!s.ok()) return s;
  s = body();
  Status off = db->Exec("PRAGMA secure_delete = OFF", "disable secure delete");
  return s.ok() ? off : s;
}

// OK for limit >= 1, else InvalidArgument("invalid_limit").
Status CheckLimit(int limit);

// Adds one create or update to Zoom user `host`'s count for `utc_day`
// (unix seconds / 86400) and drops the counts of days gone by; *count
// receives the new count (settings.cc).
Status CountZoomWrite(SqliteDb* db, const std::string& host, int64_t utc_day,
                      int* count);

// Runs a due-list `sql` (parameters: now and a row limit; column 0 the
// key) and keeps up to `limit` rows whose key is not in `exclude`. Asking
// for |exclude| more rows than wanted leaves `limit` after skipping.
template <typename Record, typename ReadRow>
Status SelectDue(SqliteDb* db, const char* sql, int64_t now, int limit,
                 const std::vector<std::string>& exclude,
                 std::vector<Record>* out, ReadRow read_row) {
  const std::set<std::string> skip(exclude.begin(), exclude.end());
  SqliteStmt stmt;
  Status s = db->Prepare(sql, &stmt);
  if (!s.ok()) return s;
  stmt.BindInt64(1, now);
  stmt.BindInt64(2, limit + static_cast<int64_t>(skip.size()));
  return stmt.ForEachRow([&](const SqliteStmt& row) {
    if (skip.count(row.ColumnText(0)) > 0) return Status::OK();
    if (static_cast<int>(out->size()) == limit) return Status::OK();
    out->emplace_back();
    return read_row(row, &out->back());
  });
}

}  // namespace telemed

#endif  // TELEMED_STORE_ROWS_H_
