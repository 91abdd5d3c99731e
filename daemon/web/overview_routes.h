// The admin page's Overview: GET /admin/api/overview, one look at whether
// the bridge works (docs/admin-api.md, "Overview"): the version and
// uptime, the last Zoom check, the sync queue, each doctor's share of
// Zoom's daily write limit, and the page's certificate. Read from the store
// alone, as GET /api/v1/status is: the overview never calls Zoom.
#ifndef TELEMED_WEB_OVERVIEW_ROUTES_H_
#define TELEMED_WEB_OVERVIEW_ROUTES_H_

#include <cstdint>
#include <functional>
#include <string>

#include "web/admin_router.h"

namespace telemed {

class Clock;
class Logger;
class Store;

namespace web {

// What the overview shows of the page's TLS certificate.
struct CertificateSummary {
  std::string fingerprint_sha256;  // of the DER, "AB:CD:..." as browsers
  int64_t not_after = 0;           // unix seconds
  bool imported = false;           // the clinic's own, not self-signed
};

// Borrowed pointers; each must outlive the router's handlers.
struct OverviewDeps {
  Store* store = nullptr;
  const Clock* clock = nullptr;
  int64_t started_at = 0;  // unix seconds: when the daemon started
  // The certificate in use now (it may be renewed or imported while the
  // daemon runs); asked on each request. Empty, or false returned: the
  // overview shows "certificate": null.
  std::function<bool(CertificateSummary*)> certificate;
  Logger* logger = nullptr;
};

void AddOverviewRoutes(const OverviewDeps& deps, AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_OVERVIEW_ROUTES_H_
