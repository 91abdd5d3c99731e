// DoctorGrants: the store's role for per-doctor Zoom OAuth grants: what a
// doctor who connected their own Zoom account gave the bridge (an access
// token and the refresh token that renews it), who they are at Zoom, and
// the grant's state.
//
// Tokens arrive and leave sealed (secrets/secret_box.h): the store never
// sees them in the clear. Zoom rotates the refresh token on every refresh
// and only the newest works, so updates are optimistic: each write gives
// the grant a new generation, drawn from one counter of the database that
// never repeats (also across a purge and a reconnect), and a refresh commits
// its new pair only while the grant is still the generation it read.
//
// Every write to a grant row runs with SQLite's secure_delete on, so the
// bytes a row held are overwritten in the file, not left in free space;
// PurgeGrant also checkpoints and truncates the WAL, so no earlier page
// image keeps them either.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_DOCTOR_GRANTS_H_
#define TELEMED_STORE_DOCTOR_GRANTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {

enum class GrantState {
  kConnected,        // the tokens are (as far as the bridge knows) alive
  kReconnectNeeded,  // Zoom refused the refresh token: the doctor reconnects
  kDisconnecting,    // the doctor was disconnected; purged when work ends
};

// "connected", "reconnect_needed", "disconnecting" (the database's and the
// API's words).
const char* GrantStateName(GrantState state);

struct DoctorGrant {
  std::string doctor_id;
  GrantState state = GrantState::kConnected;
  std::string sealed_access_token;   // sealed; see zoom/user_token_source.h
  std::string sealed_refresh_token;  // sealed
  int64_t access_expires_at = 0;     // unix seconds
  std::string zoom_user_id;          // from GET /users/me
  std::string zoom_email;
  int64_t connected_at = 0;  // unix seconds; kept by token updates
  // The last write (unix seconds): for a disconnecting grant, when it was
  // disconnected (token updates apply only to connected grants).
  int64_t updated_at = 0;
  // Set by every write (never chosen by the caller); > 0.
  int64_t generation = 0;
};

// A doctor's step on the way to a grant: a connect link (single-use,
// handed to the doctor) or an OAuth attempt (the authorize URL's state,
// bound to the doctor and the attempt's PKCE verifier). Both are stored
// only as the SHA-256 of their random id, so the file never holds a usable
// link or state.
struct OAuthAttempt {
  std::string doctor_id;
  std::string sealed_verifier;  // sealed; "" for a connect link
  int64_t expires_at = 0;       // unix seconds
};

class DoctorGrants {
 public:
  // *found false when the doctor has no grant.
  virtual Status GetGrant(const std::string& doctor_id, DoctorGrant* out,
                          bool* found) = 0;
  // Every grant, by doctor id.
  virtual Status ListGrants(std::vector<DoctorGrant>* out) = 0;
  // Stores a new connection for grant.doctor_id, replacing any grant it had
  // (state and generation from `grant` are ignored: it is connected, with a
  // new generation, returned in *generation).
  virtual Status PutGrant(const DoctorGrant& grant, int64_t* generation) = 0;
  // A refresh's new pair: committed only when the doctor's grant is still
  // generation `expected` and connected; *applied says whether it was.
  // *generation gets the new generation when applied.
  virtual Status UpdateGrantTokens(const std::string& doctor_id,
                                   int64_t expected,
                                   const std::string& sealed_access_token,
                                   const std::string& sealed_refresh_token,
                                   int64_t access_expires_at, bool* applied,
                                   int64_t* generation) = 0;
  // Sets the state when the grant is generation `expected` (0: whatever
  // generation it is); *applied says whether a grant was changed.
  virtual Status SetGrantState(const std::string& doctor_id, int64_t expected,
                               GrantState state, bool* applied) = 0;
  // Deletes the doctor's grant (none is fine) with secure_delete on, then
  // checkpoints the WAL into the file and truncates it. Unavailable
  // ("wal_busy") when another connection's read kept the WAL from being
  // truncated: the row is gone, and calling PurgeGrant again finishes.
  virtual Status PurgeGrant(const std::string& doctor_id) = 0;

  // Stores a connect link under `id_sha256` (SHA-256 hex of its id) and
  // drops the links that expired before `now`.
  virtual Status AddConnectLink(const std::string& id_sha256,
                                const OAuthAttempt& link, int64_t now) = 0;
  // The link, left in place (a GET may look, only a POST spends): *found
  // false when it is unknown or expired at `now`.
  virtual Status FindConnectLink(const std::string& id_sha256, int64_t now,
                                 OAuthAttempt* out, bool* found) = 0;
  // Spends the link: deletes it and, when it had not expired at `now`,
  // returns it with *found true. A second spend finds nothing.
  virtual Status SpendConnectLink(const std::string& id_sha256, int64_t now,
                                  OAuthAttempt* out, bool* found) = 0;
  // Stores an attempt under `state_sha256` and drops the attempts that
  // expired before `now`.
  virtual Status AddOAuthAttempt(const std::string& state_sha256,
                                 const OAuthAttempt& attempt, int64_t now) = 0;
  // Takes the attempt as SpendConnectLink spends a link: single-use.
  virtual Status TakeOAuthAttempt(const std::string& state_sha256, int64_t now,
                                  OAuthAttempt* out, bool* found) = 0;
  // Drops every connect link and attempt of `doctor_id`, expired or not
  // (a disconnect: a connection begun before it may not finish after it);
  // *dropped counts them.
  virtual Status DropDoctorOAuthSteps(const std::string& doctor_id,
                                      int* dropped) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~DoctorGrants() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_DOCTOR_GRANTS_H_
