// The Appointments screen's endpoints (docs/admin-api.md, "Appointments"):
// the list, newest first by start time, filtered by status and searched by
// appointment or doctor id, paged by an opaque cursor; and the retry of a
// failed appointment, as the API's POST .../retry does.
#ifndef TELEMED_WEB_APPOINTMENT_ROUTES_H_
#define TELEMED_WEB_APPOINTMENT_ROUTES_H_

#include <string>

#include "web/admin_router.h"

namespace telemed {

class ClinicRecords;
class SyncQueue;

namespace web {

class AdminAudit;

// Borrowed; each must outlive the router the routes are added to.
struct AppointmentRoutesDeps {
  ClinicRecords* records = nullptr;  // the list and each appointment
  SyncQueue* queue = nullptr;        // the retry (RequeueAppointment)
  AdminAudit* audit = nullptr;       // records appointment_retried
  // Where the zone files are, for each row's start in its own zone.
  std::string zoneinfo_dir = "/usr/share/zoneinfo";
};

// Registers GET /admin/api/appointments and
// POST /admin/api/appointments/{id}/retry (both Access::kSession).
void AddAppointmentRoutes(const AppointmentRoutesDeps& deps,
                          AdminRouter* router);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_APPOINTMENT_ROUTES_H_
