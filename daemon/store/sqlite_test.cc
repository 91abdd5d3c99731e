#include "store/sqlite.h"

#include <string>

#include "store/testutil.h"

namespace telemed {

TEST_GROUP(Sqlite) {
  void setup() override {
    path = dir.File("t.db");
    CHECK_OK(SqliteDb::Open(path, 1000, &db));
    CHECK_OK(db.Exec("CREATE TABLE t (v INTEGER NOT NULL)", "create"));
  }
  int64_t CountRows() {
    SqliteStmt stmt;
    CHECK_OK(SqliteStmt::Prepare(db.get(), "SELECT COUNT(*) FROM t", &stmt));
    bool has_row = false;
    CHECK_OK(stmt.Step(&has_row));
    return stmt.ColumnInt64(0);
  }

  test::TempDir dir;
  std::string path;
  SqliteDb db;
};

TEST(Sqlite, BusyAndLockedNeverSurfaceAsSuch) {
  for (int rc : {SQLITE_BUSY, SQLITE_LOCKED, SQLITE_BUSY_SNAPSHOT}) {
    Status s = SqliteStatus(rc, nullptr, "put");
    CHECK(s.code() == Status::Code::kUnavailable);
    STRCMP_EQUAL("database_busy", s.reason().c_str());
  }
}

TEST(Sqlite, MapsResultCodes) {
  CHECK_TRUE(SqliteStatus(SQLITE_DONE, nullptr, "x").ok());
  STRCMP_EQUAL("not_a_database",
               SqliteStatus(SQLITE_NOTADB, nullptr, "x").reason().c_str());
  STRCMP_EQUAL("disk_full",
               SqliteStatus(SQLITE_FULL, nullptr, "x").reason().c_str());
  Status s = SqliteStatus(SQLITE_IOERR_FSYNC, nullptr, "commit");
  CHECK(s.code() == Status::Code::kIoError);
  STRCMP_EQUAL("commit: disk I/O error", s.message().c_str());
}

TEST(Sqlite, ReportsSqlErrorsWithTheirText) {
  Status s = db.Exec("SELECT nope FROM t", "read");
  CHECK(s.code() == Status::Code::kInternal);
  STRCMP_EQUAL("read: no such column: nope", s.message().c_str());
}

TEST(Sqlite, TransactionRollsBackUnlessCommitted) {
  {
    SqliteTransaction txn(db.get());
    CHECK_OK(txn.BeginImmediate());
    CHECK_OK(db.Exec("INSERT INTO t VALUES (1)", "insert"));
  }
  LONGS_EQUAL(0, CountRows());
  SqliteTransaction txn(db.get());
  CHECK_OK(txn.BeginImmediate());
  CHECK_OK(db.Exec("INSERT INTO t VALUES (1)", "insert"));
  CHECK_OK(txn.Commit());
  LONGS_EQUAL(1, CountRows());
}

TEST(Sqlite, BindErrorIsReportedByStep) {
  SqliteStmt stmt;
  CHECK_OK(SqliteStmt::Prepare(db.get(), "INSERT INTO t VALUES (?)", &stmt));
  stmt.BindInt64(2, 7);  // out of range
  stmt.BindInt64(1, 7);
  Status s = stmt.Run();
  CHECK_FALSE(s.ok());
  LONGS_EQUAL(0, CountRows());
}

TEST(Sqlite, StatementRunsAgainAfterReset) {
  SqliteStmt stmt;
  CHECK_OK(SqliteStmt::Prepare(db.get(), "INSERT INTO t VALUES (?)", &stmt));
  for (int v = 0; v < 3; ++v) {
    stmt.BindInt64(1, v);
    CHECK_OK(stmt.Run());
    stmt.Reset();
  }
  LONGS_EQUAL(3, CountRows());
}

TEST(Sqlite, MovedOwnerLeavesSourceEmpty) {
  SqliteDb moved(std::move(db));
  CHECK(db.get() == nullptr);
  CHECK(moved.get() != nullptr);
  db = std::move(moved);
  LONGS_EQUAL(0, CountRows());
}

}  // namespace telemed
