// Owners for SQLite's C handles and the one mapping of its result codes to
// Status. Internal to store/: the rest of the daemon sees only Store.
//
// SqliteDb owns a connection and the statements it keeps prepared, SqliteStmt
// a prepared statement (its own, or one lent by its connection's cache) and
// SqliteTransaction an open transaction; each releases its handle in its
// destructor (a statement before its connection: declare them in that
// order). None is thread-safe; the Store guards each connection with a Mutex.
#ifndef TELEMED_STORE_SQLITE_H_
#define TELEMED_STORE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace telemed {

// Maps an SQLite result code to a Status whose message starts with `what`
// and carries sqlite3_errmsg(db) (db may be null). SQLITE_OK, _ROW and
// _DONE are OK. SQLITE_BUSY/_LOCKED, which reach us only after the busy
// timeout ran out, become Unavailable("database_busy"), never a raw
// "database is locked"; a file that is not a database becomes
// Corruption("not_a_database").
Status SqliteStatus(int rc, sqlite3* db, const char* what);

class SqliteStmt;

class SqliteDb final {
 public:
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;

  // Opens `path` read-write, creating it when missing unless
  // `create_if_missing` is false (then a missing file is
  // NotFound("no_database"), Open's only NotFound, so a connection opened
  // after the file was deleted cannot make an empty one); *out is replaced
  // only on success.
  // Every statement then waits up to busy_timeout_ms for another
  // connection's lock.
  static Status Open(const std::string& path, int busy_timeout_ms,
                     SqliteDb* out, bool create_if_missing = true);

  // The primary SQLite result code of this connection's last failed call,
  // for a caller that must tell apart failures that share a Status code
  // (SQLITE_NOTADB and SQLITE_CORRUPT are both Corruption).
  int last_error() const { return sqlite3_errcode(db_) & 0xff; }

  // Runs one or more statements that return no rows we need.
  Status Exec(const char* sql, const char* what);

  // Like SqliteStmt::Prepare, but lends a statement this connection keeps
  // compiled: parsing and planning cost more than most of our statements
  // take to run. *out resets it and clears its bindings when destroyed, so
  // no read transaction stays open between uses; it must not outlive this
  // connection. A statement already lent out (the same `sql` nested) or
  // past kMaxCachedStatements is compiled afresh and owned by *out.
  Status Prepare(const char* sql, SqliteStmt* out);

  sqlite3* get() const { return db_; }

 private:
  // Far above the store's fixed set of statement texts; only a bound
  // against a caller that builds SQL text at run time.
  static constexpr size_t kMaxCachedStatements = 64;

  // One statement kept compiled; finalized with its entry.
  struct CachedStatement {
    explicit CachedStatement(sqlite3_stmt* compiled) : stmt(compiled) {}
    ~CachedStatement() { sqlite3_finalize(stmt); }
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;

    sqlite3_stmt* const stmt;
    bool in_use = false;
  };

  // Finalizes the cached statements, then closes the connection.
  void Close();

  sqlite3* db_ = nullptr;
  // Keys view the statement's own SQL text (sqlite3_sql), which lives as
  // long as the statement; unique_ptr keeps each entry's address stable for
  // the SqliteStmts that borrow it, also across a move of this SqliteDb.
  std::unordered_map<std::string_view, std::unique_ptr<CachedStatement>> cache_;
};

class SqliteStmt final {
 public:
  SqliteStmt() = default;
  ~SqliteStmt();
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;
  SqliteStmt(SqliteStmt&& other) noexcept;
  SqliteStmt& operator=(SqliteStmt&& other) noexcept;

  // Compiles `sql` (one statement) for `db`, which must outlive *out.
  // Statements run on every request use SqliteDb::Prepare instead.
  static Status Prepare(sqlite3* db, const char* sql, SqliteStmt* out);

  // Binders take 1-based indexes. A binding error is kept and reported by
  // the next Step()/Run(), so callers check once.
  void BindText(int index, const std::string& value);
  void BindInt64(int index, int64_t value);
  void BindNull(int index);
  // Binds `value` as a BLOB: any bytes, NUL included (settings values).
  void BindBlob(int index, const std::string& value);

  // Advances; *has_row tells whether a row is ready for the Column*s.
  Status Step(bool* has_row);
  // Steps to the end, for statements whose rows we do not read.
  Status Run();
  // Steps through every row, calling on_row(*this) (returns Status) for
  // each; stops at the first error.
  template <typename OnRow>
  Status ForEachRow(OnRow&& on_row) {
    bool has_row = true;
    Status s;
    while (s.ok() && (s = Step(&has_row)).ok() && has_row) s = on_row(*this);
    return s;
  }
  // Makes the statement ready to run again; bindings stay until rebound.
  void Reset();

  // Columns are 0-based. NULL reads as 0 or "".
  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;
  // The column's bytes, as BindBlob stored them.
  std::string ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class SqliteDb;
  // Gives the statement back to its cache entry, or finalizes our own.
  void Release();

  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
  // Set when stmt_ is lent by a SqliteDb's cache: cleared (not finalized)
  // on release; *in_use_ tells the cache it is lent out.
  bool* in_use_ = nullptr;
};

// An open transaction on one connection: rolled back by the destructor
// unless Commit() succeeded.
class SqliteTransaction final {
 public:
  // `db` is borrowed and must outlive the transaction.
  explicit SqliteTransaction(sqlite3* db) : db_(db) {}
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  // BEGIN IMMEDIATE: takes the write lock now, so a read-modify-write never
  // fails to upgrade its lock half-way.
  Status BeginImmediate();
  Status Commit();

 private:
  sqlite3* const db_;
  bool open_ = false;
};

}  // namespace telemed

#endif  // TELEMED_STORE_SQLITE_H_
