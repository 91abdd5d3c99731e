// StoreImpl's admin accounts (store/admin_accounts.h): the admin's password
// hash and the setup code are single rows (id = 1); sessions are keyed by
// their id's hash; the audit log is append-only but for its purge.
#include <string>
#include <vector>

#include "base/clock.h"
#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

Status AlreadySetUp() {
  return Status::Conflict("already_set_up",
                          "an admin exists already: sign in, or use "
                          "`telemed-bridge admin reset-password` on the box");
}

Status SelectAdminHash(SqliteDb* db, std::string* hash, bool* found) {
  SqliteStmt stmt;
  Status s = db->Prepare("SELECT password_hash FROM admin_account WHERE id = 1",
                         &stmt);
  if (!s.ok()) return s;
  s = stmt.Step(found);
  if (s.ok() && *found) *hash = stmt.ColumnText(0);
  return s;
}

Status CheckNoAdmin(SqliteDb* db) {
  std::string hash;
  bool found = false;
  Status s = SelectAdminHash(db, &hash, &found);
  return s.ok() && found ? AlreadySetUp() : s;
}

// OK when `code_sha256` is the stored code and it has not expired.
Status CheckSetupCode(SqliteDb* db, const std::string& code_sha256,
                      int64_t now) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "SELECT 1 FROM admin_setup_code WHERE id = 1 AND code_sha256 = ?"
      " AND expires_at > ?",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, code_sha256);
  stmt.BindInt64(2, now);
  bool found = false;
  s = stmt.Step(&found);
  if (s.ok() && (!found || code_sha256.empty())) {
    return Status::InvalidArgument(
        "setup_code_invalid",
        "the setup code is wrong or expired: print a new one on the box with "
        "`telemed-bridge admin setup-code`",
        "setup_code");
  }
  return s;
}

Status UpsertAdmin(SqliteDb* db, const std::string& hash, int64_t now) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO admin_account (id, password_hash, updated_at)"
      " VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET"
      " password_hash = ?1, updated_at = ?2",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, hash);
  stmt.BindInt64(2, now);
  return stmt.Run();
}

// Runs `sql` with one text parameter (may be none: `text` null).
Status RunWithText(SqliteDb* db, const char* sql, const std::string* text) {
  SqliteStmt stmt;
  Status s = db->Prepare(sql, &stmt);
  if (!s.ok()) return s;
  if (text != nullptr) stmt.BindText(1, *text);
  return stmt.Run();
}

Status DropSetupCodeAndSessions(SqliteDb* db) {
  Status s = RunWithText(db, "DELETE FROM admin_setup_code", nullptr);
  if (s.ok()) s = RunWithText(db, "DELETE FROM admin_sessions", nullptr);
  return s;
}

}  // namespace

Status StoreImpl::GetAdminPasswordHash(std::string* hash, bool* found) {
  *found = false;
  return Read([&](SqliteDb* db) { return SelectAdminHash(db, hash, found); });
}

Status StoreImpl::CreateAdmin(const std::string& setup_code_sha256,
                              const std::string& password_hash) {
  const int64_t now = options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool*) {
    Status s = CheckNoAdmin(db);
    if (s.ok()) s = CheckSetupCode(db, setup_code_sha256, now);
    if (s.ok()) s = UpsertAdmin(db, password_hash, now);
    if (s.ok()) s = DropSetupCodeAndSessions(db);
    return s;
  });
}

Status StoreImpl::PutSetupCode(const std::string& code_sha256,
                               int64_t expires_at) {
  return Write([&](SqliteDb* db, bool*) {
    Status s = CheckNoAdmin(db);
    if (!s.ok()) return s;
    SqliteStmt stmt;
    s = db->Prepare(
        "INSERT OR REPLACE INTO admin_setup_code (id, code_sha256, expires_at)"
        " VALUES (1, ?, ?)",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, code_sha256);
    stmt.BindInt64(2, expires_at);
    return stmt.Run();
  });
}

Status StoreImpl::SetAdminPassword(const std::string& password_hash) {
  const int64_t now = options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool*) {
    Status s = UpsertAdmin(db, password_hash, now);
    return s.ok() ? DropSetupCodeAndSessions(db) : s;
  });
}

Status StoreImpl::AddSession(const AdminSession& session) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "INSERT INTO admin_sessions (id_sha256, csrf_token, created_at,"
        " last_seen_at, address) VALUES (?, ?, ?, ?, ?)",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, session.id_sha256);
    stmt.BindText(2, session.csrf_token);
    stmt.BindInt64(3, session.created_at);
    stmt.BindInt64(4, session.last_seen_at);
    stmt.BindText(5, session.address);
    return stmt.Run();
  });
}

Status StoreImpl::GetSession(const std::string& id_sha256, AdminSession* out,
                             bool* found) {
  *found = false;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "SELECT csrf_token, created_at, last_seen_at, address"
        " FROM admin_sessions WHERE id_sha256 = ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, id_sha256);
    s = stmt.Step(found);
    if (s.ok() && *found) {
      *out = AdminSession{id_sha256, stmt.ColumnText(0), stmt.ColumnInt64(1),
                          stmt.ColumnInt64(2), stmt.ColumnText(3)};
    }
    return s;
  });
}

Status StoreImpl::TouchSession(const std::string& id_sha256,
                               int64_t last_seen_at) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "UPDATE admin_sessions SET last_seen_at = MAX(last_seen_at, ?)"
        " WHERE id_sha256 = ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, last_seen_at);
    stmt.BindText(2, id_sha256);
    return stmt.Run();
  });
}

Status StoreImpl::EndSession(const std::string& id_sha256) {
  return Write([&](SqliteDb* db, bool*) {
    return RunWithText(db, "DELETE FROM admin_sessions WHERE id_sha256 = ?",
                       &id_sha256);
  });
}

Status StoreImpl::EndOtherSessions(const std::string& except_sha256) {
  return Write([&](SqliteDb* db, bool*) {
    return RunWithText(db, "DELETE FROM admin_sessions WHERE id_sha256 != ?",
                       &except_sha256);
  });
}

Status StoreImpl::PurgeSessions(int64_t created_before, int64_t seen_before) {
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "DELETE FROM admin_sessions WHERE created_at < ? OR last_seen_at < ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, created_before);
    stmt.BindInt64(2, seen_before);
    return stmt.Run();
  });
}

Status StoreImpl::AddAuditEntry(const AuditEntry& entry) {
  const int64_t at = entry.at != 0 ? entry.at : options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool*) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "INSERT INTO admin_audit (at, action, address, detail)"
        " VALUES (?, ?, ?, ?)",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, at);
    stmt.BindText(2, entry.action);
    stmt.BindText(3, entry.address);
    stmt.BindText(4, entry.detail);
    return stmt.Run();
  });
}

Status StoreImpl::ListAuditEntries(int64_t before_id, int limit,
                                   std::vector<AuditEntry>* out) {
  out->clear();
  Status s = CheckLimit(limit);
  if (!s.ok()) return s;
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status rs = db->Prepare(
        "SELECT id, at, action, address, detail FROM admin_audit"
        " WHERE ?1 = 0 OR id < ?1 ORDER BY id DESC LIMIT ?2",
        &stmt);
    if (!rs.ok()) return rs;
    stmt.BindInt64(1, before_id);
    stmt.BindInt64(2, limit);
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      out->push_back(AuditEntry{row.ColumnInt64(0), row.ColumnInt64(1),
                                row.ColumnText(2), row.ColumnText(3),
                                row.ColumnText(4)});
      return Status::OK();
    });
  });
}

Status StoreImpl::PurgeAuditEntries(int keep_days, int* purged) {
  const int64_t before =
      options_.clock->NowSeconds() - static_cast<int64_t>(keep_days) * 86400;
  return Write([&](SqliteDb* db, bool* commit) {
    SqliteStmt stmt;
    Status s = db->Prepare("DELETE FROM admin_audit WHERE at < ?", &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, before);
    s = stmt.Run();
    const int count = s.ok() ? sqlite3_changes(db->get()) : 0;
    if (purged != nullptr) *purged = count;
    *commit = count > 0;
    return s;
  });
}

}  // namespace telemed
