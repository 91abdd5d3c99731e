// StoreImpl's API keys: only SHA-256 of a key is stored; last use is kept in
// memory and written at most once a minute, so authenticating stays a read.
#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/random.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

constexpr int64_t kUseFlushIntervalSeconds = 60;
constexpr size_t kKeyBytes = 32;  // 256 bits from the RandomSource

bool IsValidKeyName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status MakeKey(RandomSource* random, std::string* key) {
  uint8_t bytes[kKeyBytes];
  Status s = random->Fill(bytes, sizeof(bytes));
  if (s.ok()) *key = "tbk_" + Base64UrlEncode(bytes, sizeof(bytes));
  return s;
}

Status CheckNoActiveKey(SqliteDb* db, const std::string& name) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "SELECT 1 FROM api_keys WHERE name = ? AND revoked_at IS NULL", &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, name);
  bool found = false;
  s = stmt.Step(&found);
  if (s.ok() && found) {
    return Status::AlreadyExists("api_key_exists",
                                 "an active API key is named " + name, "name");
  }
  return s;
}

Status InsertKey(SqliteDb* db, const std::string& name,
                 const std::string& key_sha256, int64_t now) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO api_keys (name, key_sha256, created_at) VALUES (?, ?, ?)",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, name);
  stmt.BindText(2, key_sha256);
  stmt.BindInt64(3, now);
  return stmt.Run();
}

Status WriteUses(SqliteDb* db, const std::map<int64_t, int64_t>& uses) {
  SqliteStmt stmt;
  // MAX: another process may have written a later use of the same key.
  Status s = db->Prepare(
      "UPDATE api_keys SET last_used_at = MAX(last_used_at, ?) WHERE id = ?",
      &stmt);
  for (auto it = uses.begin(); s.ok() && it != uses.end(); ++it) {
    stmt.BindInt64(1, it->second);
    stmt.BindInt64(2, it->first);
    s = stmt.Run();
    stmt.Reset();
  }
  return s;
}

}  // namespace

Status StoreImpl::CreateApiKey(const std::string& name, RandomSource* random,
                               std::string* key_out) {
  if (!IsValidKeyName(name)) {
    return Status::Validation("invalid_name",
                              "API key names are 1 to 64 of A-Z a-z 0-9 . _ -",
                              "name");
  }
  std::string key;
  Status s = MakeKey(random, &key);
  if (!s.ok()) return s;
  int64_t now = options_.clock->NowSeconds();
  s = Write([&](SqliteDb* db, bool*) {
    Status ws = CheckNoActiveKey(db, name);
    return ws.ok() ? InsertKey(db, name, Sha256Hex(key), now) : ws;
  });
  if (s.ok()) *key_out = std::move(key);
  return s;
}

Status StoreImpl::ListApiKeys(std::vector<ApiKeyInfo>* out) {
  out->clear();
  std::vector<int64_t> ids;
  Status s = Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status rs = db->Prepare(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_keys"
        " ORDER BY name, created_at, id",
        &stmt);
    if (!rs.ok()) return rs;
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      ids.push_back(row.ColumnInt64(0));
      out->push_back(ApiKeyInfo{row.ColumnText(1), row.ColumnInt64(2),
                                row.ColumnInt64(3), row.ColumnInt64(4)});
      return Status::OK();
    });
  });
  // This process's unwritten uses are newer than what the file says.
  MutexLock lock(&use_mu_);
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = pending_use_.find(ids[i]);
    if (it != pending_use_.end()) {
      (*out)[i].last_used_at = std::max((*out)[i].last_used_at, it->second);
    }
  }
  return s;
}

Status StoreImpl::RevokeApiKey(const std::string& name) {
  int64_t now = options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool* commit) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "UPDATE api_keys SET revoked_at = ? WHERE name = ?"
        " AND revoked_at IS NULL",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, now);
    stmt.BindText(2, name);
    s = stmt.Run();
    *commit = s.ok() && sqlite3_changes(db->get()) > 0;
    if (s.ok() && !*commit) {
      return Status::NotFound("api_key_not_found",
                              "no active API key is named " + name);
    }
    return s;
  });
}

Status StoreImpl::AuthenticateApiKey(const std::string& key,
                                     std::string* name_out) {
  int64_t id = 0;
  bool found = false;
  Status s = Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    // key_sha256 is UNIQUE, so this is one index probe.
    Status rs = db->Prepare(
        "SELECT id, name FROM api_keys WHERE key_sha256 = ?"
        " AND revoked_at IS NULL",
        &stmt);
    if (!rs.ok()) return rs;
    stmt.BindText(1, Sha256Hex(key));
    rs = stmt.Step(&found);
    if (rs.ok() && found) {
      id = stmt.ColumnInt64(0);
      *name_out = stmt.ColumnText(1);
    }
    return rs;
  });
  if (!s.ok()) return s;
  if (!found) {
    return Status::Unauthenticated("invalid_api_key",
                                   "unknown or revoked API key");
  }
  if (NoteKeyUse(id)) {
    // Authentication succeeded; a failed write keeps the notes for the next
    // flush, so there is nothing the caller should do about it.
    FlushApiKeyUse();
  }
  return Status::OK();
}

bool StoreImpl::NoteKeyUse(int64_t id) {
  int64_t now = options_.clock->NowSeconds();
  MutexLock lock(&use_mu_);
  pending_use_[id] = now;
  if (now - last_use_flush_ < kUseFlushIntervalSeconds) return false;
  // Claim this flush so concurrent callers do not all write.
  last_use_flush_ = now;
  return true;
}

Status StoreImpl::FlushApiKeyUse() {
  std::map<int64_t, int64_t> uses;
  {
    MutexLock lock(&use_mu_);
    uses.swap(pending_use_);
    last_use_flush_ = options_.clock->NowSeconds();
  }
  if (uses.empty()) return Status::OK();
  Status s = Write([&](SqliteDb* db, bool*) { return WriteUses(db, uses); });
  if (s.ok()) return s;
  // Put the notes back, keeping any newer use noted meanwhile.
  MutexLock lock(&use_mu_);
  for (const auto& use : uses) {
    int64_t& slot = pending_use_[use.first];
    slot = std::max(slot, use.second);
  }
  return s;
}

}  // namespace telemed
