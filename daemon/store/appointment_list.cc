// StoreImpl's appointment list for the admin page (newest first, filtered,
// keyset-paged), and the SQL it runs. With 10,000 appointments a page takes
// about 0.2 ms at any depth, and a search matching few rows, which reads the
// whole index, about 2.3 ms (bench/admin_list_bench, bench/RESULTS.md).
#include "store/appointment_list.h"

#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

// Numbered parameters, so each shape binds the same numbers (those it
// lacks are never read).
constexpr char kStatusClause[] = " AND sync_status = ?1";
// instr rather than LIKE: no wildcard in the search text to escape, and
// no case folding that ids do not have.
constexpr char kSearchClause[] =
    " AND (instr(id, ?2) > 0 OR instr(doctor_id, ?2) > 0)";
// A row value, which SQLite turns into a range on the index's
// (start_time, id) columns: the page starts right after the last row seen.
constexpr char kAfterClause[] = " AND (start_time, id) < (?3, ?4)";

}  // namespace

std::string AppointmentListSql(const AppointmentQuery& query) {
  std::string sql =
      "SELECT " TELEMED_APPOINTMENT_COLUMNS " FROM appointments WHERE 1";
  if (query.has_status) sql += kStatusClause;
  if (!query.search.empty()) sql += kSearchClause;
  if (query.has_after) sql += kAfterClause;
  return sql + " ORDER BY start_time DESC, id DESC LIMIT ?5";
}

void BindAppointmentQuery(const AppointmentQuery& query, int rows,
                          SqliteStmt* stmt) {
  if (query.has_status) stmt->BindText(1, SyncStatusName(query.status));
  if (!query.search.empty()) stmt->BindText(2, query.search);
  if (query.has_after) {
    stmt->BindInt64(3, query.after_start);
    stmt->BindText(4, query.after_id);
  }
  stmt->BindInt64(5, rows);
}

Status StoreImpl::ListAppointments(const AppointmentQuery& query,
                                   std::vector<Appointment>* out, bool* more) {
  out->clear();
  *more = false;
  Status s = CheckLimit(query.limit);
  if (!s.ok()) return s;
  // One row beyond the page says whether another page follows.
  const int rows = query.limit + 1;
  const std::string sql = AppointmentListSql(query);
  s = Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status rs = db->Prepare(sql.c_str(), &stmt);
    if (!rs.ok()) return rs;
    BindAppointmentQuery(query, rows, &stmt);
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      out->emplace_back();
      return ReadAppointment(row, &out->back());
    });
  });
  if (!s.ok()) {
    out->clear();
    return s;
  }
  if (static_cast<int>(out->size()) > query.limit) {
    out->pop_back();
    *more = true;
  }
  return s;
}

}  // namespace telemed
