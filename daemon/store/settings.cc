// StoreImpl's small shared values: settings (bytes by name), the secret
// key's fingerprint, leases among processes and the per-host daily count of
// Zoom writes. Each write is one BEGIN IMMEDIATE transaction, which is what
// makes first-writer-wins and lease taking safe across processes.
#include <string>

#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

// Under a prefix of its own, so DeleteSettings("zoom.") cannot drop it.
constexpr char kKeyFingerprintSetting[] = "secrets.key_fingerprint";

// Written by migration 5 (migrations.cc).
constexpr char kDatabaseIdSetting[] = "store.database_id";
constexpr size_t kDatabaseIdLength = 32;

bool IsDatabaseId(const std::string& text) {
  if (text.size() != kDatabaseIdLength) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status SelectSetting(SqliteDb* db, const std::string& name, std::string* value,
                     bool* found) {
  SqliteStmt stmt;
  Status s = db->Prepare("SELECT value FROM settings WHERE name = ?", &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, name);
  s = stmt.Step(found);
  if (s.ok() && *found) *value = stmt.ColumnBlob(0);
  return s;
}

Status UpsertSetting(SqliteDb* db, const std::string& name,
                     const std::string& value) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO settings (name, value) VALUES (?, ?)"
      " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, name);
  stmt.BindBlob(2, value);
  return stmt.Run();
}

Status KeyMismatch(const std::string& stored, const std::string& presented,
                   const std::string& key_path) {
  return Status::Conflict(
      "secret_key_mismatch",
      "the database's secrets are sealed under the key with fingerprint " +
          stored + ", but key file " + key_path + " has fingerprint " +
          presented +
          ": use the key file that belongs to this database (--key-file)");
}

// Counts are only needed for today (Zoom's limit) and yesterday (a status
// page read just after midnight); older days are dropped as they pass.
Status PruneZoomWrites(SqliteDb* db, int64_t utc_day) {
  SqliteStmt stmt;
  Status s =
      db->Prepare("DELETE FROM zoom_daily_writes WHERE utc_day < ? - 1", &stmt);
  if (!s.ok()) return s;
  stmt.BindInt64(1, utc_day);
  return stmt.Run();
}

Status IncrementZoomWrites(SqliteDb* db, const std::string& host,
                           int64_t utc_day, int* count) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO zoom_daily_writes (host, utc_day, count) VALUES (?, ?, 1)"
      " ON CONFLICT (host, utc_day) DO UPDATE SET count = count + 1"
      " RETURNING count",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, host);
  stmt.BindInt64(2, utc_day);
  bool has_row = false;
  s = stmt.Step(&has_row);
  if (s.ok() && has_row) *count = static_cast<int>(stmt.ColumnInt64(0));
  return s.ok() ? stmt.Run() : s;
}

}  // namespace

Status CountZoomWrite(SqliteDb* db, const std::string& host, int64_t utc_day,
                      int* count) {
  Status s = PruneZoomWrites(db, utc_day);
  if (s.ok()) s = IncrementZoomWrites(db, host, utc_day, count);
  return s;
}

Status StoreImpl::GetDatabaseId(std::string* out) {
  std::string value;
  bool found = false;
  Status s = GetSetting(kDatabaseIdSetting, &value, &found);
  if (!s.ok()) return s;
  if (!found || !IsDatabaseId(value)) {
    return Status::Corruption("bad_database_id",
                              "the database's id (settings row " +
                                  std::string(kDatabaseIdSetting) +
                                  ") is missing or malformed");
  }
  *out = value;
  return Status::OK();
}

Status StoreImpl::AddZoomWrite(const std::string& host, int64_t utc_day,
                               int* count) {
  return Write([&](SqliteDb* db, bool*) {
    return CountZoomWrite(db, host, utc_day, count);
  });
}

Status StoreImpl::GetZoomWrites(const std::string& host, int64_t utc_day,
                                int* count) {
  *count = 0;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "SELECT count FROM zoom_daily_writes WHERE host = ? AND utc_day = ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, host);
    stmt.BindInt64(2, utc_day);
    bool found = false;
    s = stmt.Step(&found);
    if (s.ok() && found) *count = static_cast<int>(stmt.ColumnInt64(0));
    return s;
  });
}

Status StoreImpl::GetSetting(const std::string& name, std::string* value,
                             bool* found) {
  *found = false;
  return Read(
      [&](SqliteDb* db) { return SelectSetting(db, name, value, found); });
}

Status StoreImpl::PutSetting(const std::string& name,
                             const std::string& value) {
  return Write(
      [&](SqliteDb* db, bool*) { return UpsertSetting(db, name, value); });
}

Status StoreImpl::DeleteSettings(const std::string& prefix) {
  // An empty prefix would also drop the key fingerprint: always a bug.
  if (prefix.empty()) {
    return Status::InvalidArgument("empty_prefix",
                                   "DeleteSettings needs a non-empty prefix");
  }
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    // substr rather than LIKE: names may hold LIKE's wildcards.
    Status s = db->Prepare(
        "DELETE FROM settings WHERE substr(name, 1, length(?1)) = ?1", &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, prefix);
    return stmt.Run();
  });
}

Status StoreImpl::BindKeyFingerprint(const std::string& fingerprint,
                                     const std::string& key_path) {
  return Write([&](SqliteDb* db, bool* commit) {
    std::string stored;
    bool found = false;
    Status s = SelectSetting(db, kKeyFingerprintSetting, &stored, &found);
    if (!s.ok()) return s;
    *commit = !found;
    if (!found) return UpsertSetting(db, kKeyFingerprintSetting, fingerprint);
    if (stored == fingerprint) return Status::OK();
    return KeyMismatch(stored, fingerprint, key_path);
  });
}

Status StoreImpl::UnbindKeyFingerprint() {
  return DeleteSettings(kKeyFingerprintSetting);
}

Status StoreImpl::TryTakeLease(const std::string& name,
                               const std::string& owner, int64_t now,
                               int64_t until, bool* taken) {
  *taken = false;
  return Write([&](SqliteDb* db, bool* commit) {
    SqliteStmt stmt;
    // One statement decides and takes, so no other writer can slip in
    // between a check and the take.
    Status s = db->Prepare(
        "INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?4)"
        " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
        " until = excluded.until WHERE leases.until < ?3"
        " OR leases.owner = excluded.owner",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, name);
    stmt.BindText(2, owner);
    stmt.BindInt64(3, now);
    stmt.BindInt64(4, until);
    s = stmt.Run();
    if (s.ok()) *taken = sqlite3_changes(db->get()) > 0;
    *commit = *taken;
    return s;
  });
}

Status StoreImpl::ReleaseLease(const std::string& name,
                               const std::string& owner) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s =
        db->Prepare("DELETE FROM leases WHERE name = ? AND owner = ?", &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, name);
    stmt.BindText(2, owner);
    return stmt.Run();
  });
}

Status StoreImpl::GetLeaseOwner(const std::string& name, std::string* owner,
                                bool* found) {
  *found = false;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status s = db->Prepare("SELECT owner FROM leases WHERE name = ?", &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, name);
    s = stmt.Step(found);
    if (s.ok() && *found) *owner = stmt.ColumnText(0);
    return s;
  });
}

Status StoreImpl::TakeOverLease(const std::string& name,
                                const std::string& gone_owner,
                                const std::string& owner, int64_t until,
                                bool* taken) {
  *taken = false;
  return Write([&](SqliteDb* db, bool* commit) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "UPDATE leases SET owner = ?3, until = ?4 WHERE name = ?1"
        " AND owner = ?2",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, name);
    stmt.BindText(2, gone_owner);
    stmt.BindText(3, owner);
    stmt.BindInt64(4, until);
    s = stmt.Run();
    if (s.ok()) *taken = sqlite3_changes(db->get()) > 0;
    *commit = *taken;
    return s;
  });
}

}  // namespace telemed
