// The API keys screen's endpoints (docs/admin-api.md, "API keys"): the
// active keys with their last use, creating one (its secret shown in that
// answer only) and revoking one, as the `apikey` commands do. A key's `id`
// on the page is its name, which is unique among active keys.
#ifndef TELEMED_WEB_KEY_ROUTES_H_
#define TELEMED_WEB_KEY_ROUTES_H_

#include "web/admin_router.h"

namespace telemed {

class ApiKeyStore;
class RandomSource;

namespace web {

class AdminAudit;

// Borrowed; each must outlive the router the routes are added to.
struct KeyRoutesDeps {
  ApiKeyStore* keys = nullptr;
  RandomSource* random = nullptr;  // the new keys' bytes
  AdminAudit* audit = nullptr;     // api_key_created / api_key_revoked
};

// Registers GET and POST /admin/api/keys and DELETE /admin/api/keys/{id}
// (all Access::kSession).
void AddKeyRoutes(const KeyRoutesDeps& deps, AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_KEY_ROUTES_H_
