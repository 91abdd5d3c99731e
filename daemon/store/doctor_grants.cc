// StoreImpl's per-doctor OAuth grants (store/doctor_grants.h): one row per
// doctor in doctor_grants, generations from the one-row counter
// doctor_grant_generation. Writes that touch token bytes run with
// secure_delete on, so an overwritten or deleted token leaves no copy in
// the file's free space.
#include <string>
#include <vector>

#include "base/clock.h"
#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

constexpr char kSelectGrant[] =
    "SELECT doctor_id, state, access_token, refresh_token, access_expires_at,"
    " zoom_user_id, zoom_email, connected_at, generation, updated_at"
    " FROM doctor_grants";

GrantState StateFromName(const std::string& name) {
  if (name == "reconnect_needed") return GrantState::kReconnectNeeded;
  if (name == "disconnecting") return GrantState::kDisconnecting;
  return GrantState::kConnected;
}

void ReadGrant(const SqliteStmt& stmt, DoctorGrant* out) {
  out->doctor_id = stmt.ColumnText(0);
  out->state = StateFromName(stmt.ColumnText(1));
  out->sealed_access_token = stmt.ColumnBlob(2);
  out->sealed_refresh_token = stmt.ColumnBlob(3);
  out->access_expires_at = stmt.ColumnInt64(4);
  out->zoom_user_id = stmt.ColumnText(5);
  out->zoom_email = stmt.ColumnText(6);
  out->connected_at = stmt.ColumnInt64(7);
  out->generation = stmt.ColumnInt64(8);
  out->updated_at = stmt.ColumnInt64(9);
}

Status SelectGrant(SqliteDb* db, const std::string& doctor_id, DoctorGrant* out,
                   bool* found) {
  const std::string sql = std::string(kSelectGrant) + " WHERE doctor_id = ?";
  SqliteStmt stmt;
  Status s = db->Prepare(sql.c_str(), &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, doctor_id);
  s = stmt.Step(found);
  if (s.ok() && *found) ReadGrant(stmt, out);
  return s;
}

// The next generation of the whole database.
Status NextGeneration(SqliteDb* db, int64_t* generation) {
  return StepCounter(
      db,
      "UPDATE doctor_grant_generation SET last = last + 1 WHERE id = 1"
      " RETURNING last",
      Status::Corruption("bad_grant_counter",
                         "the grant generation counter is missing"),
      generation);
}

Status UpsertGrant(SqliteDb* db, const DoctorGrant& grant, int64_t generation,
                   int64_t now) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT OR REPLACE INTO doctor_grants (doctor_id, state, access_token,"
      " refresh_token, access_expires_at, zoom_user_id, zoom_email,"
      " connected_at, generation, updated_at)"
      " VALUES (?, 'connected', ?, ?, ?, ?, ?, ?, ?, ?)",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, grant.doctor_id);
  stmt.BindBlob(2, grant.sealed_access_token);
  stmt.BindBlob(3, grant.sealed_refresh_token);
  stmt.BindInt64(4, grant.access_expires_at);
  stmt.BindText(5, grant.zoom_user_id);
  stmt.BindText(6, grant.zoom_email);
  stmt.BindInt64(7, grant.connected_at);
  stmt.BindInt64(8, generation);
  stmt.BindInt64(9, now);
  return stmt.Run();
}

}  // namespace

const char* GrantStateName(GrantState state) {
  switch (state) {
    case GrantState::kConnected:
      return "connected";
    case GrantState::kReconnectNeeded:
      return "reconnect_needed";
    case GrantState::kDisconnecting:
      return "disconnecting";
  }
  return "connected";
}

Status StoreImpl::GetGrant(const std::string& doctor_id, DoctorGrant* out,
                           bool* found) {
  *found = false;
  return Read(
      [&](SqliteDb* db) { return SelectGrant(db, doctor_id, out, found); });
}

Status StoreImpl::ListGrants(std::vector<DoctorGrant>* out) {
  out->clear();
  return Read([&](SqliteDb* db) {
    const std::string sql = std::string(kSelectGrant) + " ORDER BY doctor_id";
    SqliteStmt stmt;
    Status s = db->Prepare(sql.c_str(), &stmt);
    if (!s.ok()) return s;
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      out->emplace_back();
      ReadGrant(row, &out->back());
      return Status::OK();
    });
  });
}

Status StoreImpl::PutGrant(const DoctorGrant& grant, int64_t* generation) {
  const int64_t now = options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool*) {
    Status s = NextGeneration(db, generation);
    if (!s.ok()) return s;
    return WithSecureDelete(
        db, [&] { return UpsertGrant(db, grant, *generation, now); });
  });
}

Status StoreImpl::UpdateGrantTokens(const std::string& doctor_id,
                                    int64_t expected,
                                    const std::string& sealed_access_token,
                                    const std::string& sealed_refresh_token,
                                    int64_t access_expires_at, bool* applied,
                                    int64_t* generation) {
  const int64_t now = options_.clock->NowSeconds();
  *applied = false;
  return Write([&](SqliteDb* db, bool*) {
    DoctorGrant current;
    bool found = false;
    Status s = SelectGrant(db, doctor_id, &current, &found);
    if (!s.ok() || !found || current.generation != expected ||
        current.state != GrantState::kConnected) {
      return s;
    }
    s = NextGeneration(db, generation);
    if (!s.ok()) return s;
    current.sealed_access_token = sealed_access_token;
    current.sealed_refresh_token = sealed_refresh_token;
    current.access_expires_at = access_expires_at;
    s = WithSecureDelete(
        db, [&] { return UpsertGrant(db, current, *generation, now); });
    *applied = s.ok();
    return s;
  });
}

Status StoreImpl::SetGrantState(const std::string& doctor_id, int64_t expected,
                                GrantState state, bool* applied) {
  const int64_t now = options_.clock->NowSeconds();
  *applied = false;
  return Write([&](SqliteDb* db, bool*) {
    int64_t generation = 0;
    Status s = NextGeneration(db, &generation);
    if (!s.ok()) return s;
    SqliteStmt stmt;
    s = db->Prepare(
        "UPDATE doctor_grants SET state = ?, generation = ?, updated_at = ?"
        " WHERE doctor_id = ? AND (? = 0 OR generation = ?)",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindText(1, GrantStateName(state));
    stmt.BindInt64(2, generation);
    stmt.BindInt64(3, now);
    stmt.BindText(4, doctor_id);
    stmt.BindInt64(5, expected);
    stmt.BindInt64(6, expected);
    // The row is rewritten with its tokens: no copy of them is left behind.
    s = WithSecureDelete(db, [&] { return stmt.Run(); });
    *applied = s.ok() && sqlite3_changes(db->get()) > 0;
    return s;
  });
}

Status StoreImpl::PurgeGrant(const std::string& doctor_id) {
  Status s = Write([&](SqliteDb* db, bool*) {
    return WithSecureDelete(db, [&] {
      SqliteStmt stmt;
      Status d =
          db->Prepare("DELETE FROM doctor_grants WHERE doctor_id = ?", &stmt);
      if (!d.ok()) return d;
      stmt.BindText(1, doctor_id);
      return stmt.Run();
    });
  });
  return s.ok() ? TruncateWal() : s;
}

Status StoreImpl::TruncateWal() {
  MutexLock lock(&checkpoint_mu_);
  if (checkpointer_.get() == nullptr) {
    Status s = OpenConnection(/*read_only=*/false, &checkpointer_);
    if (!s.ok()) return s;
  }
  int rc =
      sqlite3_wal_checkpoint_v2(checkpointer_.get(), nullptr,
                                SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  if (rc == SQLITE_BUSY) {
    return Status::Unavailable("wal_busy",
                               "another connection is reading the database: "
                               "the write-ahead log was not truncated yet");
  }
  return SqliteStatus(rc, checkpointer_.get(), "truncate the WAL");
}

}  // namespace telemed
