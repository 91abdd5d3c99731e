// The session endpoints of the admin page (docs/admin-api.md, "Session"):
// the session probe, *Set up* with the one-time setup code, sign-in,
// sign-out (here and everywhere), the password change and the audit log.
#ifndef TELEMED_WEB_SESSION_ROUTES_H_
#define TELEMED_WEB_SESSION_ROUTES_H_

#include "web/admin_access.h"
#include "web/admin_router.h"

namespace telemed {
namespace web {

// Registers the endpoints on `router`; `access` is borrowed and must
// outlive the router's use of them.
void AddSessionRoutes(AdminAccess* access, AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_SESSION_ROUTES_H_
