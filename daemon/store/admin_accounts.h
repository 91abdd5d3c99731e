// AdminAccounts: the store's role for the admin page's access: the one
// admin's password hash, the one-time setup code that lets the first admin
// be made, the signed-in sessions and the audit log of admin actions.
//
// Nothing secret is stored as given: the password as its PBKDF2 text
// (secrets/password_hash.h), the setup code and session ids as SHA-256.
// Times are unix seconds.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_ADMIN_ACCOUNTS_H_
#define TELEMED_STORE_ADMIN_ACCOUNTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {

// How long the audit log keeps an entry.
constexpr int kAuditKeepDays = 90;

struct AdminSession {
  std::string id_sha256;  // SHA-256 (hex) of the cookie's value
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  std::string address;  // the peer that signed in
};

struct AuditEntry {
  int64_t id = 0;  // increasing; assigned by AddAuditEntry
  int64_t at = 0;
  std::string action;   // web/admin_audit.h's words
  std::string address;  // the peer's IP, or "console" for the CLI
  std::string detail;
};

class AdminAccounts {
 public:
  // *found false when no admin was made yet.
  virtual Status GetAdminPasswordHash(std::string* hash, bool* found) = 0;
  // Makes the admin with `password_hash` when `setup_code_sha256` is the
  // stored, unexpired code, which is used up in the same transaction.
  // Conflict("already_set_up") once an admin exists;
  // InvalidArgument("setup_code_invalid", field "setup_code") when the code
  // is wrong, expired or none was made.
  virtual Status CreateAdmin(const std::string& setup_code_sha256,
                             const std::string& password_hash) = 0;
  // Replaces any earlier code with one valid until `expires_at`.
  // Conflict("already_set_up") when an admin exists.
  virtual Status PutSetupCode(const std::string& code_sha256,
                              int64_t expires_at) = 0;
  // Sets the admin's password (making the admin when there is none, for
  // `admin reset-password`), drops any setup code and ends every session,
  // in one transaction.
  virtual Status SetAdminPassword(const std::string& password_hash) = 0;

  virtual Status AddSession(const AdminSession& session) = 0;
  // *found false when there is no session with this id hash.
  virtual Status GetSession(const std::string& id_sha256, AdminSession* out,
                            bool* found) = 0;
  virtual Status TouchSession(const std::string& id_sha256,
                              int64_t last_seen_at) = 0;
  // Ends one session (none is fine), or every session but `except_sha256`
  // ("" ends all).
  virtual Status EndSession(const std::string& id_sha256) = 0;
  virtual Status EndOtherSessions(const std::string& except_sha256) = 0;
  // Drops sessions made before `created_before` or idle since before
  // `seen_before` (they can no longer be used).
  virtual Status PurgeSessions(int64_t created_before, int64_t seen_before) = 0;

  // Appends `entry` (its id is assigned; at 0 means now).
  virtual Status AddAuditEntry(const AuditEntry& entry) = 0;
  // Newest first: up to `limit` (>= 1) entries with an id below
  // `before_id` (0: from the newest).
  virtual Status ListAuditEntries(int64_t before_id, int limit,
                                  std::vector<AuditEntry>* out) = 0;
  // Deletes entries older than `keep_days` (kAuditKeepDays in the daemon's
  // housekeeping); *purged (may be null) gets how many.
  virtual Status PurgeAuditEntries(int keep_days, int* purged) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~AdminAccounts() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_ADMIN_ACCOUNTS_H_
