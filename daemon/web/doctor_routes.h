// The admin page's Doctors screen: GET /admin/api/doctors (each with the
// state of its Zoom user), PUT and DELETE /admin/api/doctors/{id}, and POST
// /admin/api/doctors/{id}/connect (a connect link, zoom/oauth_connect.h) and
// .../disconnect (sync/doctor_disconnect.h, as the API's). See
// docs/admin-api.md, "Doctors". A doctor is read and validated exactly as
// PUT /api/v1/doctors/{id} reads it (model/json_body.h) and stored through
// the same store role, so the page, the API and `doctor put` agree.
#ifndef TELEMED_WEB_DOCTOR_ROUTES_H_
#define TELEMED_WEB_DOCTOR_ROUTES_H_

#include "web/admin_router.h"

namespace telemed {

class ClinicRecords;
class Clock;
class Logger;
struct OAuthConnectDeps;

namespace web {

class AdminAudit;
class DoctorChecker;

// Borrowed; each must outlive the router's handlers.
struct DoctorRoutesDeps {
  ClinicRecords* records = nullptr;
  // The states; the daemon runs its RunOnce every few seconds, so a saved
  // doctor's state moves from "unchecked" within 10 s.
  const DoctorChecker* checker = nullptr;
  AdminAudit* audit = nullptr;
  Logger* logger = nullptr;
  const Clock* clock = nullptr;  // a connect link's expiry
  // Null: connect answers 409 oauth_app_not_configured, disconnect 503,
  // and removing an OAuth doctor leaves its grant.
  const OAuthConnectDeps* oauth_connect = nullptr;
};

void AddDoctorRoutes(const DoctorRoutesDeps& deps, AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_DOCTOR_ROUTES_H_
