// UserTokenSource: the access tokens of doctors who connected their own Zoom
// account (user OAuth), kept alive by refreshing.
//
// Zoom rotates the refresh token on every refresh and only the newest one
// works; a refresh whose answer is lost may lose the grant. So, per doctor:
// at most one refresh in flight, in this process (a mutex per doctor) and
// across processes (a SettingsStore lease named after the doctor); the new
// pair is committed to the database (DoctorGrants, optimistic on the
// grant's generation) before the new access token is handed out. A crash
// before the refresh is sent, or after its commit, leaves a working grant;
// a crash in between leaves the old refresh token, which Zoom then refuses:
// the doctor shows reconnect_needed, never a silent failure loop.
//
// Tokens are sealed in the database under purposes naming the doctor
// (GrantPurpose), and are read from it on every call, so a refresh by
// another process is seen at once. Nothing here puts a token in a URL.
#ifndef TELEMED_ZOOM_USER_TOKEN_SOURCE_H_
#define TELEMED_ZOOM_USER_TOKEN_SOURCE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "base/mutex.h"
#include "base/process_identity.h"
#include "base/status.h"
#include "zoom/user_oauth.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class DoctorGrants;
struct DoctorGrant;
class GrantRevokes;
class RandomSource;
class SecretBox;
class SettingsStore;
class ZoomTransport;

// The SecretBox purposes of a doctor's sealed tokens ("access" or
// "refresh"), so a token moved to another doctor's row does not open.
std::string GrantPurpose(const char* which, const std::string& doctor_id);

// How long a disconnecting grant (sync/doctor_disconnect.h) lives at most:
// its stored access token deletes the doctor's meetings meanwhile.
constexpr int64_t kDisconnectGraceSeconds = 10 * 60;

class UserTokenSource final {
 public:
  struct Options {
    std::string oauth_base_url = "https://zoom.us";  // no trailing '/'
    // Borrowed; each must outlive the source.
    ZoomTransport* transport = nullptr;
    DoctorGrants* grants = nullptr;
    // Where a refreshed pair that can no longer be committed is revoked
    // (zoom/revoke_queue.h); null: it is dropped (tests of other things).
    GrantRevokes* revokes = nullptr;
    SettingsStore* settings = nullptr;  // the OAuth app and the leases
    const SecretBox* box = nullptr;
    const Clock* clock = nullptr;
    RandomSource* random = nullptr;  // names this process's leases
    // Tells a lease of a killed process (zoom/token_lease.h); null: the
    // machine's own (RealProcessIdentity).
    const ProcessIdentity* processes = nullptr;
    // Refresh this long before the access token expires.
    int64_t renew_margin_seconds = 300;
    // How long another process's refresh holds the doctor's lease: past
    // it the refresh is taken to have died, as it is at once when its
    // process provably ended (zoom/token_lease.h). Longer
    // than one request over HttpsTransport can take with its default
    // timeouts (connect 10 s, write 30 s, read 30 s), so a slow refresh is
    // never joined by a second one with the same refresh token.
    int64_t lease_seconds = 120;
    // Not OK: this process may not open the stored secrets (see
    // S2sTokenSource::Options::refused); every call returns it.
    Status refused;
  };
  explicit UserTokenSource(const Options& options) : options_(options) {}
  UserTokenSource(const UserTokenSource&) = delete;
  UserTokenSource& operator=(const UserTokenSource&) = delete;

  // A valid access token of `doctor_id`: the stored one while it has more
  // than the renew margin left and was not invalidated, else a refreshed
  // one (committed before it is returned). Errors, their kind in *failure:
  //   no grant, or a grant being disconnected: Validation
  //     "doctor_not_connected", kNotConnected;
  //   Zoom refused the refresh token now or before: Unauthenticated
  //     "doctor_reconnect_needed", kReconnectNeeded (the grant is marked
  //     reconnect_needed);
  //   no OAuth app stored: Validation "oauth_app_not_configured",
  //     kNotConfigured;
  //   the token endpoint could not be used, or another live process is
  //     refreshing: the stored token is handed out while it has 30 s or
  //     more left (and was not invalidated); after that Unavailable,
  //     kTokenUnavailable, or "zoom_token_renewing" kTokenRenewing (the
  //     grant stays connected);
  //   the bridge's own errors (database, secret key): kNone.
  // Thread-safe; callers for one doctor wait for one refresh.
  Status GetToken(const std::string& doctor_id, std::string* token,
                  ZoomFailure* failure) EXCLUDES(mu_);
  // Cheap, never calls Zoom nor opens a sealed token: OK while the doctor
  // has a connected grant and an OAuth app is stored; else GetToken's
  // doctor_not_connected, doctor_reconnect_needed or
  // oauth_app_not_configured (kind in *failure), so the sync engine can
  // settle the doctor's work at once.
  Status CheckUsable(const std::string& doctor_id, ZoomFailure* failure);
  // Zoom answered 401 code 124 for `token`: the next GetToken of the doctor
  // refreshes (once: only while the stored token is still `token`).
  void Invalidate(const std::string& doctor_id, const std::string& token)
      EXCLUDES(mu_);

  // Stores a new connection for `doctor_id` (the callback, after the code
  // exchange and GET /users/me), replacing any earlier grant; the tokens
  // are sealed here. *generation: the grant's generation.
  Status StoreNewGrant(const std::string& doctor_id, const UserTokens& tokens,
                       const ZoomUser& user, int64_t* generation);

  // A TokenSource for ZoomApi that acts for `doctor_id` (ZoomClient's
  // ApiFor). It borrows this source, which must outlive it.
  std::unique_ptr<TokenSource> ForDoctor(const std::string& doctor_id);

  // For deleting a disconnecting doctor's meetings only
  // (sync/doctor_disconnect.h): while the grant is `disconnecting`, its
  // stored access token as long as it has 30 s or more left and was not
  // invalidated, never a refresh (Zoom rotates the refresh token, and the
  // grant is about to be purged); after that doctor_not_connected,
  // kNotConnected. Any other grant: GetToken.
  Status GetDeletionToken(const std::string& doctor_id, std::string* token,
                          ZoomFailure* failure) EXCLUDES(mu_);
  // A TokenSource over GetDeletionToken (ZoomClient's DeletionApiFor).
  std::unique_ptr<TokenSource> ForDeletions(const std::string& doctor_id);

 private:
  struct Grant;  // a grant as read, tokens opened
  struct DoctorSlot {
    Mutex mu;  // one refresh of this doctor in flight in this process
    std::string invalidated GUARDED_BY(mu);  // SHA-256 hex of a refused token
  };
  DoctorSlot* SlotOf(const std::string& doctor_id) EXCLUDES(mu_);
  Status LoadGrant(const std::string& doctor_id, Grant* out,
                   ZoomFailure* failure);
  // The doctor's grant row, refused as GetToken refuses an unusable one.
  Status LoadUsableRow(const std::string& doctor_id, DoctorGrant* out,
                       ZoomFailure* failure);
  // *another_refreshes: another process holds the doctor's lease (nothing
  // was sent).
  Status Refresh(const Grant& grant, std::string* token, ZoomFailure* failure,
                 bool* another_refreshes);
  Status RefreshLeased(const Grant& grant, std::string* token,
                       ZoomFailure* failure);
  Status CommitTokens(const Grant& grant, const UserTokens& fresh,
                      bool* applied);
  Status MarkReconnectNeeded(const Grant& grant);
  Status LetGoOfFreshPair(const Grant& refreshed, const UserTokens& fresh);

  const Options options_;
  const RealProcessIdentity real_processes_;
  Mutex mu_;
  std::map<std::string, std::unique_ptr<DoctorSlot>> slots_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_USER_TOKEN_SOURCE_H_
