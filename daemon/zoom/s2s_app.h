// The clinic's Zoom Server-to-Server app as an admin sets it up: the checks
// of what was typed or pasted, asking Zoom whether it accepts the app, and
// storing, testing or forgetting it with everything that goes along (and
// forgetting the user-managed OAuth app, which shares the key). Shared
// by the `zoom s2s`, `zoom test` and `zoom forget` commands and the admin
// page's Zoom screen, so both accept, refuse and store alike.
#ifndef TELEMED_ZOOM_S2S_APP_H_
#define TELEMED_ZOOM_S2S_APP_H_

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "zoom/s2s_token_source.h"
#include "zoom/zoom_check.h"
#include "zoom/zoom_endpoints.h"

namespace telemed {

class Clock;
class SecretBox;
class SettingsStore;
class Store;
class ZoomApi;
class ZoomTransport;

// Zoom's secrets are 32 characters; anything this long is a wrong paste.
constexpr size_t kMaxS2sSecretBytes = 4096;

// Zoom's account and client ids are short printable tokens: 1..256
// characters, no space or control character (a copy-paste gone wrong).
bool IsValidS2sId(const std::string& value);

// Trims the whitespace around a pasted or read secret (the line break of a
// file, a space pasted along: not part of it) and says what is still wrong
// with it: nullptr when nothing, else words to follow "the client secret "
// ("is empty", "is too long", "holds a space ... inside it", "holds a NUL
// byte").
const char* NormalizeS2sSecret(std::string* secret);

// One token request for `credentials` at `oauth_url`; nothing is stored and
// the token is wiped. Errors as RequestS2sToken's: the kind in *failure
// (kCredentialsRefused when Zoom refuses the app, kTokenUnavailable when it
// cannot be reached).
Status CheckS2sApp(ZoomTransport* transport, const std::string& oauth_url,
                   const Clock* clock, const S2sCredentials& credentials,
                   ZoomFailure* failure);

// Stores the app (secret sealed under `box`) with the endpoints `given`
// (empty ones keep the stored values), forgets the last check's verdict (it
// was about the app replaced), tells a running daemon the app changed (its
// Zoom check runs again at once), and makes the appointments that failed under
// the old app due again (*requeued: how many; may be null).
Status StoreS2sApp(Store* store, const SecretBox& box,
                   const S2sCredentials& credentials,
                   const ZoomEndpoints& given, int* requeued);

// Removes the app, its cached token and the last check's verdict (it was
// about this app), and tells a running daemon. When nothing else sealed
// under the bridge's key is left (no OAuth app, no doctor's grant), a new
// secret key may be used from now on (*key_released true; may be null).
Status ForgetS2sApp(Store* store, bool* key_released = nullptr);

// What ForgetOAuthApp removed.
struct ForgottenOAuthApp {
  std::vector<std::string> disconnected;  // doctors whose grants went
  bool key_released = false;              // as ForgetS2sApp's
  // Revokes still owed to Zoom, dropped: without the app's client they can
  // never be sent.
  int revokes_dropped = 0;
};

// Removes the user-managed OAuth app (zoom/user_oauth.h) and tells a
// running daemon. Refused (Conflict "oauth_doctors_connected", naming them)
// while doctors have grants, unless `disconnect_doctors`: their grants are
// then purged as a disconnect purges them (nothing is revoked at Zoom: a
// doctor removes the app in their Zoom account), and their appointments
// wait as not connected. Releases the key as ForgetS2sApp does.
Status ForgetOAuthApp(Store* store, bool disconnect_doctors,
                      ForgottenOAuthApp* out);

// What `zoom test` does: a check with a fresh token (so a scope fix takes
// effect at once, also for a running daemon), stored for GET
// /api/v1/status; when all is well the failed appointments are made due
// again (what was fixed in Zoom may cure them; *requeued, may be null).
// Errors are the store's; Zoom's failures are items of *out.
Status TestS2sApp(Store* store, S2sTokenSource* tokens, ZoomApi* api,
                  const Clock* clock, ZoomCheckResult* out, int* requeued);

// Marks the Zoom app as changed for a running daemon's ZoomWatch (the
// settings row "zoom.config_version").
Status BumpZoomConfigVersion(SettingsStore* settings);
// The version BumpZoomConfigVersion last wrote ("" before the first).
Status ReadZoomConfigVersion(SettingsStore* settings, std::string* out);

}  // namespace telemed

#endif  // TELEMED_ZOOM_S2S_APP_H_
