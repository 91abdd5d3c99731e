// The admin page's Zoom screen: /admin/api/zoom (the stored apps and the
// last test), /zoom/s2s (save the app after Zoom accepted it, or forget
// it), /zoom/oauth-app (the OAuth app doctors connect their own Zoom
// accounts to), /zoom/test (what `telemed-bridge zoom test` does) and
// /zoom/users (the Doctors screen's user picker). See docs/admin-api.md,
// "Zoom".
//
// They do what the `zoom` commands do, through the same functions
// (zoom/s2s_app.h, zoom/user_oauth.h), and never send a client secret or
// a token back.
#ifndef TELEMED_WEB_ZOOM_ROUTES_H_
#define TELEMED_WEB_ZOOM_ROUTES_H_

#include <string>

#include "web/admin_router.h"

namespace telemed {

class Clock;
class Logger;
class SecretBox;
class Store;
class S2sTokenSource;
class ZoomApi;
class ZoomClient;
class ZoomTransport;

namespace web {

class AdminAudit;
class ZoomUserCache;

// Borrowed; each must outlive the router's handlers.
struct ZoomRoutesDeps {
  Store* store = nullptr;
  const SecretBox* box = nullptr;  // seals the client secret
  // The daemon's Zoom client (ZoomClient): a new app is checked over
  // `transport` at `oauth_url` (as the daemon resolved it, ZoomSession);
  // the test runs with `tokens` and `api`.
  ZoomTransport* transport = nullptr;
  std::string oauth_url;
  S2sTokenSource* tokens = nullptr;
  ZoomApi* api = nullptr;
  // The OAuth doctors' connections the test also tries (CheckDoctorGrants);
  // null: the test has only the app's items.
  ZoomClient* doctors = nullptr;
  ZoomUserCache* users = nullptr;
  const Clock* clock = nullptr;
  AdminAudit* audit = nullptr;
  Logger* logger = nullptr;
  // https://HOST[:PORT]: the origin of the default OAuth redirect URL
  // (OAuthConnectDeps::public_url).
  std::string public_url;
};

void AddZoomRoutes(const ZoomRoutesDeps& deps, AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ZOOM_ROUTES_H_
