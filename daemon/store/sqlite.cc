#include "store/sqlite.h"

#include <errno.h>
#include <unistd.h>

#include <utility>

namespace telemed {

namespace {

std::string Describe(int rc, sqlite3* db, const char* what) {
  // errmsg is more specific ("no such table: x") but belongs to the last
  // call on `db`; errstr is all we have without a connection.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return std::string(what) + ": " + detail;
}

}  // namespace

Status SqliteStatus(int rc, sqlite3* db, const char* what) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::OK();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(
          "database_busy",
          std::string(what) +
              ": the database stayed locked by another writer past the busy "
              "timeout");
    case SQLITE_NOTADB:
      return Status::Corruption("not_a_database", Describe(rc, db, what));
    case SQLITE_CORRUPT:
      return Status::Corruption("database_corrupt", Describe(rc, db, what));
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return Status::PermissionDenied("database_not_writable",
                                      Describe(rc, db, what));
    case SQLITE_FULL:
      return Status::IoError("disk_full", Describe(rc, db, what));
    case SQLITE_CONSTRAINT:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_ERROR:
      // Our checks run before our statements, so these are our bugs.
      return Status::Internal("database_misuse", Describe(rc, db, what));
    default:
      return Status::IoError("database_failed", Describe(rc, db, what));
  }
}

SqliteDb::~SqliteDb() { Close(); }

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {
  other.cache_.clear();
}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    other.cache_.clear();
  }
  return *this;
}

void SqliteDb::Close() {
  cache_.clear();
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status SqliteDb::Open(const std::string& path, int busy_timeout_ms,
                      SqliteDb* out, bool create_if_missing) {
  SqliteDb db;
  // NOMUTEX: each connection is used by one thread at a time (the Store's
  // mutexes see to that), so SQLite's own per-connection mutex is waste.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create_if_missing) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc == SQLITE_CANTOPEN && !create_if_missing &&
      access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
    return Status::NotFound("no_database", "open " + path + ": no such file");
  }
  if (rc != SQLITE_OK) {
    return SqliteStatus(rc, db.db_, ("open " + path).c_str());
  }
  rc = sqlite3_busy_timeout(db.db_, busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db.db_, "set busy timeout");
  *out = std::move(db);
  return Status::OK();
}

Status SqliteDb::Exec(const char* sql, const char* what) {
  return SqliteStatus(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), db_,
                      what);
}

Status SqliteDb::Prepare(const char* sql, SqliteStmt* out) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end() && cache_.size() < kMaxCachedStatements) {
    sqlite3_stmt* compiled = nullptr;
    // PERSISTENT: kept for the connection's life, so SQLite takes its
    // memory from the heap rather than the small lookaside pool.
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &compiled, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "prepare statement");
    auto entry = std::make_unique<CachedStatement>(compiled);
    std::string_view key(sqlite3_sql(compiled));
    it = cache_.emplace(key, std::move(entry)).first;
  }
  if (it == cache_.end() || it->second->in_use) {
    return SqliteStmt::Prepare(db_, sql, out);
  }
  SqliteStmt lent;
  lent.stmt_ = it->second->stmt;
  lent.in_use_ = &it->second->in_use;
  *lent.in_use_ = true;
  *out = std::move(lent);
  return Status::OK();
}

SqliteStmt::~SqliteStmt() { Release(); }

SqliteStmt::SqliteStmt(SqliteStmt&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      bind_rc_(std::exchange(other.bind_rc_, SQLITE_OK)),
      in_use_(std::exchange(other.in_use_, nullptr)) {}

SqliteStmt& SqliteStmt::operator=(SqliteStmt&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = std::exchange(other.bind_rc_, SQLITE_OK);
    in_use_ = std::exchange(other.in_use_, nullptr);
  }
  return *this;
}

void SqliteStmt::Release() {
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
  } else {
    // A reset ends the statement's read transaction (a SELECT stopped
    // before its last row would hold it open); its result was already
    // reported by Step.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  }
  stmt_ = nullptr;
  in_use_ = nullptr;
}

Status SqliteStmt::Prepare(sqlite3* db, const char* sql, SqliteStmt* out) {
  SqliteStmt stmt;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt.stmt_, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db, "prepare statement");
  *out = std::move(stmt);
  return Status::OK();
}

void SqliteStmt::BindText(int index, const std::string& value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(),
                             static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStmt::BindInt64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStmt::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStmt::BindBlob(int index, const std::string& value) {
  // value.data() is never null, so an empty value stays an empty BLOB
  // rather than turning into NULL.
  int rc = sqlite3_bind_blob(stmt_, index, value.data(),
                             static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Status SqliteStmt::Step(bool* has_row) {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) return SqliteStatus(bind_rc_, db, "bind value");
  int rc = sqlite3_step(stmt_);
  *has_row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::OK();
  return SqliteStatus(rc, db, "run statement");
}

Status SqliteStmt::Run() {
  bool has_row = true;
  while (has_row) {
    Status s = Step(&has_row);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

void SqliteStmt::Reset() {
  // sqlite3_reset repeats the last step's error, which Step reported.
  sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

int64_t SqliteStmt::ColumnInt64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

std::string SqliteStmt::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

std::string SqliteStmt::ColumnBlob(int index) const {
  const void* bytes = sqlite3_column_blob(stmt_, index);
  if (bytes == nullptr) return std::string();  // NULL or zero length
  return std::string(static_cast<const char*>(bytes),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

bool SqliteStmt::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

SqliteTransaction::~SqliteTransaction() {
  // A failed COMMIT may already have rolled back; ROLLBACK then would only
  // report "no transaction is active".
  if (open_ && sqlite3_get_autocommit(db_) == 0) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status SqliteTransaction::BeginImmediate() {
  int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "begin write transaction");
  open_ = true;
  return Status::OK();
}

Status SqliteTransaction::Commit() {
  int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "commit");
  open_ = false;
  return Status::OK();
}

}  // namespace telemed
