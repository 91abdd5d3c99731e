#include "store/migrations.h"

#include <iterator>

namespace telemed {

namespace {

struct Migration {
  int version;  // the user_version after this step
  const char* sql;
};

// Append only; see docs/schema.md for what each column means.
const Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE doctors (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  zoom_user TEXT NOT NULL,
  auth TEXT NOT NULL CHECK (auth IN ('s2s', 'oauth')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE appointments (
  id TEXT PRIMARY KEY NOT NULL,
  doctor_id TEXT NOT NULL REFERENCES doctors (id),
  start_time INTEGER NOT NULL,
  duration_minutes INTEGER NOT NULL,
  timezone TEXT NOT NULL,
  topic TEXT NOT NULL,
  cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
  sync_status TEXT NOT NULL CHECK (sync_status IN ('pending', 'synced', 'failed')),
  meeting_id TEXT,
  meeting_join_url TEXT,
  meeting_passcode TEXT,
  error_code TEXT,
  error_message TEXT,
  revision INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  change_seq INTEGER NOT NULL,
  zoom_action_pending INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX appointments_by_change_seq ON appointments (change_seq);
CREATE INDEX appointments_by_doctor ON appointments (doctor_id);
CREATE TABLE change_feed (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL
);
INSERT INTO change_feed (id, last_seq) VALUES (1, 0);
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  key_sha256 TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name)
  WHERE revoked_at IS NULL;
)sql"},
};

Status ReadUserVersion(SqliteDb* db, const std::string& path, int* version) {
  SqliteStmt stmt;
  Status s = SqliteStmt::Prepare(db->get(), "PRAGMA user_version", &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (s.reason() == "not_a_database") {
    return Status::Corruption(
        "not_a_database", "database " + path + " is not a SQLite database");
  }
  if (!s.ok()) return s.WithContext("read schema version of " + path);
  *version = has_row ? static_cast<int>(stmt.ColumnInt64(0)) : 0;
  return Status::OK();
}

Status CheckNotTooNew(int version, const std::string& path) {
  if (version <= LatestSchemaVersion()) return Status::OK();
  return Status::Conflict(
      "schema_too_new",
      "database " + path + " has schema version " + std::to_string(version) +
          ", newer than this telemed-bridge supports (" +
          std::to_string(LatestSchemaVersion()) + "): upgrade telemed-bridge");
}

Status ApplyFrom(SqliteDb* db, int version) {
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    Status s = db->Exec(m.sql, "apply schema migration");
    if (!s.ok()) return s;
    // user_version lives in the file header and commits with the rest.
    std::string set = "PRAGMA user_version = " + std::to_string(m.version);
    s = db->Exec(set.c_str(), "set schema version");
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

Status MigrateSchema(SqliteDb* db, const std::string& path) {
  int version = 0;
  Status s = ReadUserVersion(db, path, &version);
  if (s.ok()) s = CheckNotTooNew(version, path);
  if (!s.ok() || version == LatestSchemaVersion()) return s;
  // Another process may be migrating the same file: re-read under the lock.
  SqliteTransaction txn(db->get());
  s = txn.BeginImmediate();
  if (s.ok()) s = ReadUserVersion(db, path, &version);
  if (s.ok()) s = CheckNotTooNew(version, path);
  if (s.ok()) s = ApplyFrom(db, version);
  if (s.ok()) s = txn.Commit();
  return s.ok() ? s : s.WithContext("migrate " + path);
}

}  // namespace telemed
