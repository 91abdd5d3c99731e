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

  // Statements the connection holds compiled (cached or lent out).
  int CountStatements() {
    int n = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.get(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(db.get(), s)) {
      ++n;
    }
    return n;
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

TEST(Sqlite, CachedStatementIsKeptAndReused) {
  constexpr const char* kInsert = "INSERT INTO t VALUES (?)";
  for (int v = 0; v < 5; ++v) {
    SqliteStmt stmt;
    CHECK_OK(db.Prepare(kInsert, &stmt));
    stmt.BindInt64(1, v);
    CHECK_OK(stmt.Run());
  }
  LONGS_EQUAL(5, CountRows());
  LONGS_EQUAL(1, CountStatements());
  // The same text at another address finds the same entry.
  std::string copy(kInsert);
  SqliteStmt stmt;
  CHECK_OK(db.Prepare(copy.c_str(), &stmt));
  LONGS_EQUAL(1, CountStatements());
}

TEST(Sqlite, CachedStatementComesBackResetWithoutBindings) {
  {
    SqliteStmt stmt;
    CHECK_OK(db.Prepare("SELECT ?1 FROM t", &stmt));
    CHECK_OK(db.Exec("INSERT INTO t VALUES (1), (2)", "insert"));
    stmt.BindInt64(1, 42);
    bool has_row = false;
    CHECK_OK(stmt.Step(&has_row));  // stopped before its last row
    CHECK_TRUE(has_row);
  }
  sqlite3_stmt* cached = sqlite3_next_stmt(db.get(), nullptr);
  // Not busy: its read transaction ended when it was given back.
  LONGS_EQUAL(0, sqlite3_stmt_busy(cached));
  SqliteStmt again;
  CHECK_OK(db.Prepare("SELECT ?1 FROM t", &again));
  bool has_row = false;
  CHECK_OK(again.Step(&has_row));
  CHECK_TRUE(has_row);
  CHECK_TRUE(again.ColumnIsNull(0));
}

TEST(Sqlite, NestedUseOfOneTextGetsItsOwnStatement) {
  constexpr const char* kCount = "SELECT COUNT(*) FROM t";
  SqliteStmt outer;
  CHECK_OK(db.Prepare(kCount, &outer));
  {
    SqliteStmt inner;
    CHECK_OK(db.Prepare(kCount, &inner));
    LONGS_EQUAL(2, CountStatements());
    bool has_row = false;
    CHECK_OK(inner.Step(&has_row));
    LONGS_EQUAL(0, inner.ColumnInt64(0));
  }
  LONGS_EQUAL(1, CountStatements());  // the uncached one was finalized
  bool has_row = false;
  CHECK_OK(outer.Step(&has_row));
  LONGS_EQUAL(0, outer.ColumnInt64(0));
}

TEST(Sqlite, CacheMovesWithItsConnection) {
  {
    SqliteStmt stmt;
    CHECK_OK(db.Prepare("INSERT INTO t VALUES (1)", &stmt));
    CHECK_OK(stmt.Run());
  }
  SqliteDb moved(std::move(db));
  SqliteStmt stmt;
  CHECK_OK(moved.Prepare("INSERT INTO t VALUES (1)", &stmt));
  CHECK_OK(stmt.Run());
  db = std::move(moved);
  LONGS_EQUAL(2, CountRows());
}

TEST(Sqlite, BadSqlIsNotCached) {
  SqliteStmt stmt;
  Status s = db.Prepare("SELECT nope FROM t", &stmt);
  STRCMP_EQUAL("database_misuse", s.reason().c_str());
  LONGS_EQUAL(0, CountStatements());
}

}  // namespace telemed
