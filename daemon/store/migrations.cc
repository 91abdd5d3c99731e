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
    // The Zoom sync engine's state (docs/sync.md). Rows written before it
    // never had a Zoom action, so each owes the engine a first look.
    {2, R"sql(
ALTER TABLE appointments ADD COLUMN error_zoom_code INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN error_retry_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN error_missing_scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN meeting_host TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN synced_start_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN synced_duration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN synced_topic TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN synced_timezone TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN create_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN create_in_doubt INTEGER NOT NULL DEFAULT 0
  CHECK (create_in_doubt IN (0, 1));
ALTER TABLE appointments ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN checked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN warning TEXT NOT NULL DEFAULT '';
UPDATE appointments SET zoom_action_pending = 1;
CREATE INDEX appointments_due ON appointments (next_attempt_at, id)
  WHERE zoom_action_pending = 1;
CREATE TABLE zoom_deletions (
  meeting_id TEXT PRIMARY KEY NOT NULL,
  host TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX zoom_deletions_due ON zoom_deletions (next_attempt_at);
CREATE TABLE zoom_daily_writes (
  host TEXT NOT NULL,
  utc_day INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (host, utc_day)
) WITHOUT ROWID;
CREATE TABLE settings (
  name TEXT PRIMARY KEY NOT NULL,
  value BLOB NOT NULL
);
CREATE TABLE leases (
  name TEXT PRIMARY KEY NOT NULL,
  owner TEXT NOT NULL,
  until INTEGER NOT NULL
);
)sql"},
    // Follow-up sweeps for a create Zoom may act on after the bridge looked
    // for it (docs/sync.md, "Exactly once"); none is pending for old rows.
    {3, R"sql(
ALTER TABLE appointments ADD COLUMN sweep_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN sweep_round INTEGER NOT NULL DEFAULT 0
  CHECK (sweep_round BETWEEN 0 AND 3);
ALTER TABLE appointments ADD COLUMN sweep_host TEXT NOT NULL DEFAULT '';
)sql"},
    // A PATCH whose outcome is unknown (docs/sync.md, "Exactly once"): the
    // meeting is read back before it is patched again.
    {4, R"sql(
ALTER TABLE appointments ADD COLUMN patch_in_doubt INTEGER NOT NULL DEFAULT 0
  CHECK (patch_in_doubt IN (0, 1));
)sql"},
    // The database's identity: 32 random hex digits, made once with the
    // database (or on its upgrade), never changed. Feed cursors carry part
    // of it, so a cursor of another database is refused, not misread.
    {5, R"sql(
INSERT INTO settings (name, value)
  VALUES ('store.database_id', lower(hex(randomblob(16))));
)sql"},
    // The admin page's access (store/admin_accounts.h): one admin, one
    // setup code, sessions by the SHA-256 of their id, the audit log.
    {6, R"sql(
CREATE TABLE admin_account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  password_hash TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE admin_setup_code (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code_sha256 TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE admin_sessions (
  id_sha256 TEXT PRIMARY KEY NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  address TEXT NOT NULL
);
CREATE TABLE admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  address TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX admin_audit_by_at ON admin_audit (at);
)sql"},
    // The admin page's appointment list: newest first by start time, all or
    // of one status, paged by (start_time, id) (store/appointment_list.cc).
    {7, R"sql(
CREATE INDEX appointments_by_start ON appointments (start_time, id);
CREATE INDEX appointments_by_status_start
  ON appointments (sync_status, start_time, id);
)sql"},
    // Per-doctor Zoom OAuth grants (store/doctor_grants.h): tokens sealed,
    // a generation per write from one counter that never repeats.
    {8, R"sql(
CREATE TABLE doctor_grants (
  doctor_id TEXT PRIMARY KEY NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('connected', 'reconnect_needed', 'disconnecting')),
  access_token BLOB NOT NULL,
  refresh_token BLOB NOT NULL,
  access_expires_at INTEGER NOT NULL,
  zoom_user_id TEXT NOT NULL,
  zoom_email TEXT NOT NULL,
  connected_at INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE doctor_grant_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last INTEGER NOT NULL
);
INSERT INTO doctor_grant_generation (id, last) VALUES (1, 0);
)sql"},
    // The steps before a grant (store/doctor_grants.h): single-use connect
    // links and OAuth attempts, keyed by the SHA-256 of their random id.
    {9, R"sql(
CREATE TABLE oauth_connect_links (
  id_sha256 TEXT PRIMARY KEY NOT NULL,
  doctor_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE oauth_attempts (
  state_sha256 TEXT PRIMARY KEY NOT NULL,
  doctor_id TEXT NOT NULL,
  verifier BLOB NOT NULL,
  expires_at INTEGER NOT NULL
);
)sql"},
    // Appointments an earlier release parked for good while their OAuth
    // doctor was not connected look again: the engine now rechecks them
    // every minute (docs/sync.md). 10, not 9: version 9 is the connect
    // flow's tables.
    {10, R"sql(
UPDATE appointments SET zoom_action_pending = 1, next_attempt_at = 0
  WHERE error_code = 'doctor_not_connected';
)sql"},
    // Revokes of doctors' Zoom grants still owed to Zoom
    // (store/grant_revokes.h): the refresh token sealed, retried with
    // backoff until Zoom takes it.
    {11, R"sql(
CREATE TABLE pending_revokes (
  id INTEGER PRIMARY KEY,
  doctor_id TEXT NOT NULL,
  token BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pending_revokes_due ON pending_revokes (next_attempt_at);
)sql"},
};

Status CheckNotTooNew(int version, const std::string& path) {
  if (version <= LatestSchemaVersion()) return Status::OK();
  return Status::Conflict(
      "schema_too_new",
      "database " + path + " has schema version " + std::to_string(version) +
          ", newer than this telemed-bridge supports (" +
          std::to_string(LatestSchemaVersion()) + "): upgrade telemed-bridge");
}

Status ApplyFrom(SqliteDb* db, int version, int target) {
  for (const Migration& m : kMigrations) {
    if (m.version <= version || m.version > target) continue;
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

Status ReadUserVersion(SqliteDb* db, const std::string& path, int* version) {
  SqliteStmt stmt;
  Status s = SqliteStmt::Prepare(db->get(), "PRAGMA user_version", &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (!s.ok() && db->last_error() == SQLITE_NOTADB) {
    return Status::Corruption("not_a_database",
                              "database " + path + " is not a SQLite database");
  }
  if (!s.ok()) return s.WithContext("read schema version of " + path);
  *version = has_row ? static_cast<int>(stmt.ColumnInt64(0)) : 0;
  return Status::OK();
}

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

Status MigrateSchema(SqliteDb* db, const std::string& path) {
  return MigrateSchemaTo(db, path, LatestSchemaVersion());
}

Status MigrateSchemaTo(SqliteDb* db, const std::string& path, int target) {
  int version = 0;
  Status s = ReadUserVersion(db, path, &version);
  if (s.ok()) s = CheckNotTooNew(version, path);
  if (!s.ok() || version >= target) return s;
  // Another process may be migrating the same file: re-read under the lock.
  SqliteTransaction txn(db->get());
  s = txn.BeginImmediate();
  if (s.ok()) s = ReadUserVersion(db, path, &version);
  if (s.ok()) s = CheckNotTooNew(version, path);
  if (s.ok()) s = ApplyFrom(db, version, target);
  if (s.ok()) s = txn.Commit();
  return s.ok() ? s : s.WithContext("migrate " + path);
}

}  // namespace telemed
