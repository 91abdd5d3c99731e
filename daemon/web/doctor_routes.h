// The admin page's Doctors screen: GET /admin/api/doctors (each with the
// state of its Zoom user), PUT and DELETE /admin/api/doctors/{id}. See
// docs/admin-api.md, "Doctors". A doctor is read and validated exactly as
// PUT /api/v1/doctors/{id} reads it (model/json_body.h) and stored through
// the same store role, so the page, the API and `doctor put` agree.
#ifndef TELEMED_WEB_DOCTOR_ROUTES_H_
#define TELEMED_WEB_DOCTOR_ROUTES_H_

#include "web/admin_router.h"

namespace telemed {

class ClinicRecords;
class Logger;

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
};

void AddDoctorRoutes(const DoctorRoutesDeps& deps, AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_DOCTOR_ROUTES_H_
