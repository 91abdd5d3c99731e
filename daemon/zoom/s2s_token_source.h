// S2S OAuth for the clinic's Zoom app: its credentials (client secret
// sealed at rest) and the one access token the bridge shares between the
// daemon and the CLI.
//
// Zoom's S2S tokens live an hour and have no refresh token. Older Zoom
// invalidated the previous token when a new one was issued, so the bridge
// keeps one cached token (sealed in the database, reused across restarts
// and processes) and renews it shortly before expiry by exactly one request
// in flight across processes (a lease in the database).
#ifndef TELEMED_ZOOM_S2S_TOKEN_SOURCE_H_
#define TELEMED_ZOOM_S2S_TOKEN_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/process_identity.h"
#include "base/status.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class RandomSource;
class SecretBox;
class SettingsStore;
class ZoomTransport;

struct S2sCredentials {
  std::string account_id;
  std::string client_id;
  std::string client_secret;  // wipe after use (WipeString)
};

// Stores the app (secret sealed under the bridge's key) and drops any cached
// token of an earlier app.
Status SaveS2sCredentials(SettingsStore* store, const SecretBox& box,
                          const S2sCredentials& credentials);
// *configured false (and OK) when no app is stored.
Status LoadS2sCredentials(SettingsStore* store, const SecretBox& box,
                          S2sCredentials* out, bool* configured);
// The stored app's ids without opening the sealed secret (client_secret
// left empty): what a screen shows. *configured false when none is stored.
Status LoadS2sAppIds(SettingsStore* store, S2sCredentials* out,
                     bool* configured);
// Removes the app and its cached token.
Status ForgetS2sCredentials(SettingsStore* store);

// A token as Zoom issued it.
struct S2sToken {
  std::string access_token;
  int64_t expires_at = 0;           // unix seconds
  std::vector<std::string> scopes;  // granted, from "scope"
  std::string api_url;              // Zoom's regional API host (logged)
  int64_t issued_at_micros = 0;     // 0 = unknown (rows of older versions)
  // The token as the database holds it (sealed): tells whether the stored
  // token is still the one a process cached.
  std::string sealed;
};

// One token request for `credentials` at `oauth_base_url`, nothing stored
// (`zoom s2s` checks an app with it before storing the app). Errors as
// S2sTokenSource::GetToken's, their kind in *failure when given.
Status RequestS2sToken(ZoomTransport* transport,
                       const std::string& oauth_base_url, const Clock* clock,
                       const S2sCredentials& credentials, S2sToken* out,
                       ZoomFailure* failure = nullptr);

class S2sTokenSource final : public TokenSource {
 public:
  struct Options {
    std::string oauth_base_url = "https://zoom.us";  // no trailing '/'
    // Borrowed; each must outlive the source.
    ZoomTransport* transport = nullptr;
    SettingsStore* store = nullptr;
    const SecretBox* box = nullptr;
    const Clock* clock = nullptr;
    RandomSource* random = nullptr;  // names this process's lease
    // Tells a lease of a killed process (zoom/token_lease.h); null: the
    // machine's own (RealProcessIdentity).
    const ProcessIdentity* processes = nullptr;
    // Renew this long before expiry; another process's token is used while
    // it has at least 30 s left.
    int64_t renew_margin_seconds = 300;
    // When not OK, this process may not use the stored app at all (its
    // secret key is not the one the database's secrets are sealed under;
    // see service/zoom_session.h): CheckUsable, GetToken and FetchFresh return
    // it, and nothing is unsealed, sealed or asked of Zoom.
    Status refused;
  };
  explicit S2sTokenSource(const Options& options) : options_(options) {}

  using TokenSource::CheckUsable;
  using TokenSource::GetToken;
  // The stored token while it has more than the renew margin left (also
  // one another process, such as `zoom test`, stored since), else a new one.
  Status GetToken(std::string* token, ZoomFailure* failure) override
      EXCLUDES(mu_);
  void Invalidate(const std::string& token) override EXCLUDES(mu_);
  // True when `token` was issued at least a minute ago (or when unknown):
  // a scope the admin added since is not in it, so a fresh token may carry
  // it. A token issued within the last minute already reflects the app.
  bool MayPredateScopeFix(const std::string& token) override EXCLUDES(mu_);
  // zoom_not_configured without an app; the refusal again while the stored
  // credentials are the ones Zoom last refused (a change clears it). The
  // sealed secret is opened only when the stored app changed since the
  // last call: the engine asks before every batch of calls.
  Status CheckUsable(ZoomFailure* failure) override EXCLUDES(mu_);

  // Asks Zoom for a new token now and stores it for every process (the
  // CLI's `zoom test`: an admin's scope fix takes effect at once, also in a
  // running daemon). Errors as GetToken's, their kind in *failure when
  // given.
  Status FetchFresh(S2sToken* out, ZoomFailure* failure = nullptr)
      EXCLUDES(mu_);
  // The token GetToken hands out, with its granted scopes (the daemon's
  // periodic check reads them without minting a token).
  Status Current(S2sToken* out, ZoomFailure* failure = nullptr) EXCLUDES(mu_);

 private:
  Status CurrentLocked(S2sToken* out, ZoomFailure* failure) REQUIRES(mu_);
  // Whether the stored token is another than the one cached (one small
  // read).
  bool StoredDiffers() REQUIRES(mu_);
  Status LoadStored(S2sToken* out, bool* found);
  Status SaveToken(S2sToken* token);
  // *another_renews: the lease is another process's (no request was sent).
  Status Renew(S2sToken* out, ZoomFailure* failure, bool* another_renews)
      REQUIRES(mu_);
  Status LoadCredentials(S2sCredentials* out, ZoomFailure* failure);
  Status TakeLease(std::string* owner, bool* taken);
  // The digest of the stored app's credentials, the secret opened only
  // when the stored rows differ from the last ones digested.
  Status StoredDigest(std::string* digest, ZoomFailure* failure) REQUIRES(mu_);

  const Options options_;
  const RealProcessIdentity real_processes_;
  Mutex mu_;
  S2sToken cached_ GUARDED_BY(mu_);
  // SHA-256 of the credentials Zoom last refused, and its refusal.
  std::string refused_digest_ GUARDED_BY(mu_);
  Status refusal_ GUARDED_BY(mu_);
  // The stored rows (ids and sealed secret) last digested, and the digest.
  std::string digested_rows_ GUARDED_BY(mu_);
  std::string digest_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_S2S_TOKEN_SOURCE_H_
