// User OAuth with Zoom, the one-shot parts: the clinic's user-managed OAuth
// app (its client secret sealed at rest), PKCE, the authorize URL, the code
// exchange, who connected (GET /users/me) and revoking a token. Keeping a
// connected doctor's tokens alive is zoom/user_token_source.h.
//
// Facts relied on (docs/zoom-notes.md, "User OAuth"): the authorize URL
// carries PKCE S256 and a caller's `state`; the exchange and the refresh
// use Basic client authentication and a form body; every refresh rotates
// the refresh token; tokens never go in a URL query.
#ifndef TELEMED_ZOOM_USER_OAUTH_H_
#define TELEMED_ZOOM_USER_OAUTH_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class RandomSource;
class SecretBox;
class SettingsStore;
class ZoomTransport;

// The clinic's user-managed OAuth app.
struct OAuthApp {
  std::string client_id;
  std::string client_secret;  // wipe after use (WipeString)
  // The redirect URL the admin entered in Zoom; "" when none was stored
  // (the bridge then derives it from its public URL).
  std::string redirect_url;
};

// Stores the app, the secret sealed under the bridge's key. Any earlier
// app is replaced (an empty redirect_url removes a stored one).
Status SaveOAuthApp(SettingsStore* store, const SecretBox& box,
                    const OAuthApp& app);
// Deletes the stored app (none is fine). The doctors' grants are not
// touched: see ForgetOAuthApp (zoom/s2s_app.h).
Status DeleteOAuthApp(SettingsStore* store);
// *configured false (and OK) when no app is stored.
Status LoadOAuthApp(SettingsStore* store, const SecretBox& box, OAuthApp* out,
                    bool* configured);
// What the admin may give as the redirect URL: https://HOST[:PORT]/PATH,
// or http:// on localhost or 127.0.0.1 (Zoom allows loopback only for
// development); at most 2048 characters, no white space, control
// character or fragment. InvalidArgument("invalid_redirect_url", field
// "redirect_url") otherwise.
Status CheckRedirectUrl(const std::string& url);
// The stored app without opening the sealed secret (client_secret left
// empty): what a screen shows.
Status LoadOAuthAppIds(SettingsStore* store, OAuthApp* out, bool* configured);

// One authorization attempt's PKCE pair (RFC 7636, method S256).
struct Pkce {
  std::string verifier;   // base64url of 32 random bytes: 43 characters
  std::string challenge;  // base64url(SHA-256(verifier)), no padding
};
// A fresh verifier per attempt.
Status NewPkce(RandomSource* random, Pkce* out);
std::string PkceChallenge(const std::string& verifier);

// GET {oauth_base_url}/oauth/authorize?response_type=code&client_id&
// redirect_uri&state&code_challenge&code_challenge_method=S256, every
// value percent-encoded. `state` is the caller's (random, single-use,
// bound to the doctor and the attempt).
std::string AuthorizeUrl(const std::string& oauth_base_url,
                         const std::string& client_id,
                         const std::string& redirect_uri,
                         const std::string& state,
                         const std::string& code_challenge);

// Tokens as Zoom's token endpoint issued them.
struct UserTokens {
  std::string access_token;   // wipe after use
  std::string refresh_token;  // wipe after use
  int64_t expires_at = 0;     // unix seconds
};

// The addresses and seams of one call to Zoom's OAuth endpoints. Borrowed.
struct OAuthEndpoint {
  std::string oauth_base_url = "https://zoom.us";  // no trailing '/'
  ZoomTransport* transport = nullptr;
  const Clock* clock = nullptr;
};

// POST /oauth/token grant_type=authorization_code with `code`, the
// attempt's `verifier` and the authorize URL's `redirect_uri`. Errors:
// no answer or an unusable endpoint (Unavailable, kTokenUnavailable); the
// app's credentials refused (Unauthenticated "zoom_credentials_invalid",
// kCredentialsRefused); the code refused, used, expired or the verifier
// wrong (Unauthenticated "zoom_code_refused", kRefused).
Status ExchangeCode(const OAuthEndpoint& endpoint, const OAuthApp& app,
                    const std::string& code, const std::string& verifier,
                    const std::string& redirect_uri, UserTokens* out,
                    ZoomFailure* failure);
// POST /oauth/token grant_type=refresh_token. Errors: no answer or an
// unusable endpoint (Unavailable, kTokenUnavailable: the grant may still
// be alive); any 400/401 refusal (Unauthenticated
// "doctor_reconnect_needed", kReconnectNeeded: the doctor must connect
// again).
Status RefreshUserTokens(const OAuthEndpoint& endpoint, const OAuthApp& app,
                         const std::string& refresh_token, UserTokens* out,
                         ZoomFailure* failure);
// POST /oauth/revoke token=`token` (access or refresh). Unavailable
// ("zoom_no_answer", kNoAnswer) when nothing usable came back, so the
// caller retries later; Zoom's refusal as "zoom_error", kRefused.
Status RevokeUserToken(const OAuthEndpoint& endpoint, const OAuthApp& app,
                       const std::string& token, ZoomFailure* failure);
// GET {api_base_url}/users/me with `access_token`: who connected. Errors
// as ZoomApi::GetUser's.
Status FetchMe(const std::string& api_base_url, ZoomTransport* transport,
               const Clock* clock, const std::string& access_token,
               ZoomUser* out, ZoomError* error);

}  // namespace telemed

#endif  // TELEMED_ZOOM_USER_OAUTH_H_
