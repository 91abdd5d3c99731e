#include "support/db_check.h"

#include "store/sqlite.h"

namespace telemed {
namespace test {

namespace {

// The first column of the first row of `sql`.
Status QueryOne(sqlite3* db, const char* sql, std::string* out) {
  SqliteStmt stmt;
  Status s = SqliteStmt::Prepare(db, sql, &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (s.ok() && !has_row) return Status::Internal("no_row", sql);
  if (s.ok()) *out = stmt.ColumnText(0);
  return s;
}

}  // namespace

Status CheckDatabase(const std::string& path, int64_t* appointments) {
  constexpr int kBusyTimeoutMs = 10000;
  SqliteDb db;
  Status s = SqliteDb::Open(path, kBusyTimeoutMs, &db);
  std::string verdict;
  if (s.ok()) s = QueryOne(db.get(), "PRAGMA integrity_check", &verdict);
  if (s.ok() && verdict != "ok") {
    return Status::Corruption("integrity_check", path + ": " + verdict);
  }
  std::string count;
  if (s.ok()) {
    s = QueryOne(db.get(), "SELECT COUNT(*) FROM appointments", &count);
  }
  if (s.ok()) *appointments = std::stoll(count);
  return s;
}

}  // namespace test
}  // namespace telemed
