// Connecting a doctor's own Zoom account (user OAuth), the steps the front
// ends drive: a single-use connect link for the doctor, the doctor's
// Continue (which spends the link and starts one authorization attempt),
// and Zoom's redirect back to the bridge (the callback), which exchanges
// the code, learns who connected and stores the grant.
//
// Links and attempts are random (32 bytes, base64url) and stored only as
// their SHA-256 (store/doctor_grants.h); an attempt's PKCE verifier is
// sealed. A link lives 15 minutes, an attempt 10; both are single-use.
// The redirect URL is <public_url>/oauth/callback unless the OAuth app
// stored its own (zoom oauth-app --redirect-url): that one is what the
// admin entered in Zoom, so it wins, and it must lead back to this bridge.
#ifndef TELEMED_ZOOM_OAUTH_CONNECT_H_
#define TELEMED_ZOOM_OAUTH_CONNECT_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "zoom/revoke_queue.h"
#include "zoom/user_oauth.h"
#include "zoom/zoom_api.h"

namespace telemed {

class ClinicRecords;
class DoctorGrants;
class GrantRevokes;
class Logger;
class RandomSource;
class UserTokenSource;

constexpr int64_t kConnectLinkSeconds = 15 * 60;
constexpr int64_t kOAuthAttemptSeconds = 10 * 60;

// What the steps borrow; each must outlive the call.
struct OAuthConnectDeps {
  ClinicRecords* records = nullptr;   // the doctor
  DoctorGrants* grants = nullptr;     // links, attempts, the old grant
  SettingsStore* settings = nullptr;  // the OAuth app
  const SecretBox* box = nullptr;
  RandomSource* random = nullptr;
  // https://HOST[:PORT], no trailing '/': the origin of connect links and
  // of the default redirect URL.
  std::string public_url;
  // Zoom's OAuth host (authorize, token, revoke), its API (users/me),
  // the transport and clock; used by the callback only.
  OAuthEndpoint oauth;
  std::string api_base_url;
  // Stores the new grant (StoreNewGrant); used by the callback only.
  UserTokenSource* user_tokens = nullptr;
  // Revokes the callback lets go of wait here when Zoom cannot take them
  // (zoom/revoke_queue.h); used by the callback and by disconnecting.
  GrantRevokes* revokes = nullptr;
  Logger* logger = nullptr;  // may be null
  // Keep a connection only when the Zoom account is the doctor's zoom_user.
  bool match_email = true;
};

struct ConnectLink {
  std::string url;  // <public_url>/oauth/connect/<id>
  int64_t expires_at = 0;
};

// The redirect URL Zoom sends the doctor back to: the app's own when it
// stored one, else <public_url>/oauth/callback. What the admin enters in
// the app's settings at Zoom.
std::string OAuthRedirectUrl(const std::string& public_url,
                             const OAuthApp& app);

// A new connect link for `doctor_id`. Errors: NotFound "doctor_not_found";
// Conflict "doctor_not_oauth" (an s2s doctor); Conflict
// "oauth_app_not_configured" (no OAuth app stored).
Status CreateConnectLink(const OAuthConnectDeps& deps,
                         const std::string& doctor_id, int64_t now,
                         ConnectLink* out);

// The doctor a link (its id, the last path segment) is for, without
// spending it: what the link's page shows. NotFound "connect_link_invalid"
// when it is unknown, spent or expired.
Status FindConnectLink(const OAuthConnectDeps& deps, const std::string& link_id,
                       int64_t now, std::string* doctor_id);

// The doctor's Continue: spends the link and starts an attempt (fresh PKCE
// verifier, random state); *authorize_url is Zoom's page to send the
// browser to. Errors: NotFound "connect_link_invalid"; CreateConnectLink's
// doctor_not_oauth and oauth_app_not_configured (checked again: the admin
// may have changed them since).
Status BeginAuthorization(const OAuthConnectDeps& deps,
                          const std::string& link_id, int64_t now,
                          std::string* authorize_url);

// What Zoom's redirect brought back (its query).
struct OAuthCallback {
  std::string state;
  std::string code;
  std::string error;  // e.g. "access_denied"; "" when none
};

// Finishes an attempt. On success the doctor's grant is stored (the old
// one revoked at Zoom when another Zoom user connected) and *who names the
// Zoom account. Every revoke goes through RevokeOrQueue
// (zoom/revoke_queue.h): one Zoom could not take is tried again later.
// Refusals, in the order checked; the first three send nothing to Zoom and
// every one leaves the doctor's grant as it was:
//   NotFound "oauth_state_invalid": unknown, expired or used state;
//   PermissionDenied "zoom_access_denied": Zoom sent error= (the doctor
//     declined, or Zoom refused);
//   InvalidArgument "oauth_code_missing": neither code nor error;
//   Zoom's errors from ExchangeCode / FetchMe (the code refused, Zoom
//     unreachable);
//   PermissionDenied "zoom_account_mismatch": the Zoom account is not the
//     doctor's zoom_user (match_email); the new grant is revoked at Zoom.
Status FinishAuthorization(const OAuthConnectDeps& deps,
                           const OAuthCallback& callback, int64_t now,
                           std::string* doctor_id, ZoomUser* who);

// Whether `user` is the doctor's `zoom_user`: the email ignoring ASCII
// case when zoom_user holds an '@', else the user id. An empty zoom_user
// matches anyone: a doctor registered without one has nothing to match
// (zoom_user is optional for auth oauth), so the account the doctor signs
// in with is kept, and its e-mail is what the doctor's `oauth` shows.
bool ZoomUserMatches(const std::string& zoom_user, const ZoomUser& user);

// The revoke seams of `deps`.
RevokeDeps RevokeDepsOf(const OAuthConnectDeps& deps);

}  // namespace telemed

#endif  // TELEMED_ZOOM_OAUTH_CONNECT_H_
