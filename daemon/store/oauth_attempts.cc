// StoreImpl's connect links and OAuth attempts (store/doctor_grants.h): rows
// keyed by the SHA-256 of a random id, spent by a DELETE ... RETURNING so a
// link or a state is used at most once even by two requests at once.
// Expired rows are dropped whenever a new one is added, and by the daemon's
// housekeeping (PurgeExpiredOAuthSteps).
#include <sqlite3.h>

#include <string>

#include "base/clock.h"
#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

struct AttemptTable {
  bool has_verifier;
  const char* insert;  // (key, doctor_id, verifier, expires_at)
  const char* purge;   // expires_at <= ?
  const char* drop;    // doctor_id = ?
  const char* select;  // key = ? -> doctor_id, verifier, expires_at
  const char* take;    // DELETE key = ? RETURNING the same
};

constexpr AttemptTable kLinks = {
    false,
    "INSERT INTO oauth_connect_links (id_sha256, doctor_id, expires_at)"
    " VALUES (?1, ?2, ?4)",
    "DELETE FROM oauth_connect_links WHERE expires_at <= ?",
    "DELETE FROM oauth_connect_links WHERE doctor_id = ?",
    "SELECT doctor_id, '', expires_at FROM oauth_connect_links"
    " WHERE id_sha256 = ?",
    "DELETE FROM oauth_connect_links WHERE id_sha256 = ?"
    " RETURNING doctor_id, '', expires_at",
};

constexpr AttemptTable kAttempts = {
    true,
    "INSERT INTO oauth_attempts (state_sha256, doctor_id, verifier,"
    " expires_at) VALUES (?1, ?2, ?3, ?4)",
    "DELETE FROM oauth_attempts WHERE expires_at <= ?",
    "DELETE FROM oauth_attempts WHERE doctor_id = ?",
    "SELECT doctor_id, verifier, expires_at FROM oauth_attempts"
    " WHERE state_sha256 = ?",
    "DELETE FROM oauth_attempts WHERE state_sha256 = ?"
    " RETURNING doctor_id, verifier, expires_at",
};

// Deletes the rows of `table` that expired by `now`; adds to *purged.
Status PurgeExpired(SqliteDb* db, const AttemptTable& table, int64_t now,
                    int* purged) {
  SqliteStmt purge;
  Status s = db->Prepare(table.purge, &purge);
  if (!s.ok()) return s;
  purge.BindInt64(1, now);
  s = purge.Run();
  if (s.ok()) *purged += sqlite3_changes(db->get());
  return s;
}

// Deletes the rows of `table` of `doctor_id`; adds to *dropped.
Status DropOfDoctor(SqliteDb* db, const AttemptTable& table,
                    const std::string& doctor_id, int* dropped) {
  SqliteStmt drop;
  Status s = db->Prepare(table.drop, &drop);
  if (!s.ok()) return s;
  drop.BindText(1, doctor_id);
  s = drop.Run();
  if (s.ok()) *dropped += sqlite3_changes(db->get());
  return s;
}

Status InsertAttempt(SqliteDb* db, const AttemptTable& table,
                     const std::string& key, const OAuthAttempt& attempt,
                     int64_t now) {
  int purged = 0;
  Status s = PurgeExpired(db, table, now, &purged);
  if (!s.ok()) return s;
  SqliteStmt insert;
  s = db->Prepare(table.insert, &insert);
  if (!s.ok()) return s;
  insert.BindText(1, key);
  insert.BindText(2, attempt.doctor_id);
  if (table.has_verifier) {
    insert.BindBlob(3, attempt.sealed_verifier);
  }
  insert.BindInt64(4, attempt.expires_at);
  return insert.Run();
}

// Runs `sql` (select or take) for `key`; *found only for a row still valid
// at `now` (before its expires_at; an expired one a take still deletes).
Status ReadAttempt(SqliteDb* db, const char* sql, const std::string& key,
                   int64_t now, OAuthAttempt* out, bool* found) {
  *found = false;
  SqliteStmt stmt;
  Status s = db->Prepare(sql, &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, key);
  bool has_row = false;
  s = stmt.Step(&has_row);
  if (!s.ok() || !has_row) return s;
  if (stmt.ColumnInt64(2) <= now) return Status::OK();
  out->doctor_id = stmt.ColumnText(0);
  out->sealed_verifier = stmt.ColumnBlob(1);
  out->expires_at = stmt.ColumnInt64(2);
  *found = true;
  return Status::OK();
}

}  // namespace

Status StoreImpl::AddConnectLink(const std::string& id_sha256,
                                 const OAuthAttempt& link, int64_t now) {
  return Write([&](SqliteDb* db, bool*) {
    return InsertAttempt(db, kLinks, id_sha256, link, now);
  });
}

Status StoreImpl::FindConnectLink(const std::string& id_sha256, int64_t now,
                                  OAuthAttempt* out, bool* found) {
  *found = false;
  return Read([&](SqliteDb* db) {
    return ReadAttempt(db, kLinks.select, id_sha256, now, out, found);
  });
}

Status StoreImpl::SpendConnectLink(const std::string& id_sha256, int64_t now,
                                   OAuthAttempt* out, bool* found) {
  *found = false;
  return Write([&](SqliteDb* db, bool*) {
    return ReadAttempt(db, kLinks.take, id_sha256, now, out, found);
  });
}

Status StoreImpl::AddOAuthAttempt(const std::string& state_sha256,
                                  const OAuthAttempt& attempt, int64_t now) {
  return Write([&](SqliteDb* db, bool*) {
    return InsertAttempt(db, kAttempts, state_sha256, attempt, now);
  });
}

Status StoreImpl::TakeOAuthAttempt(const std::string& state_sha256, int64_t now,
                                   OAuthAttempt* out, bool* found) {
  *found = false;
  return Write([&](SqliteDb* db, bool*) {
    return ReadAttempt(db, kAttempts.take, state_sha256, now, out, found);
  });
}

Status StoreImpl::DropDoctorOAuthSteps(const std::string& doctor_id,
                                       int* dropped) {
  *dropped = 0;
  return Write([&](SqliteDb* db, bool* commit) {
    Status s = DropOfDoctor(db, kLinks, doctor_id, dropped);
    if (s.ok()) s = DropOfDoctor(db, kAttempts, doctor_id, dropped);
    *commit = *dropped > 0;
    return s;
  });
}

Status StoreImpl::PurgeExpiredOAuthSteps(int* purged) {
  *purged = 0;
  const int64_t now = options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool* commit) {
    Status s = PurgeExpired(db, kLinks, now, purged);
    if (s.ok()) s = PurgeExpired(db, kAttempts, now, purged);
    *commit = *purged > 0;
    return s;
  });
}

}  // namespace telemed
