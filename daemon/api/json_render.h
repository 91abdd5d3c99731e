// JSON bodies the local API returns: records (as docs/api.md shows them) and
// the shapes of their lists (the error shape is http/json_reply.h).
#ifndef TELEMED_API_JSON_RENDER_H_
#define TELEMED_API_JSON_RENDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/status.h"
#include "model/records.h"
#include "store/doctor_grants.h"

namespace telemed {

// An appointment as GET /appointments/{id} returns it. Never contains a
// start URL; the passcode is the patient's, part of join_url anyway.
CjsonPtr AppointmentToJson(const Appointment& appointment);
// A doctor as GET /doctors/{id} returns it. `grant`: the doctor's own Zoom
// OAuth grant, null when it has none; its "oauth" object (null for an S2S
// doctor) never shows a token.
CjsonPtr DoctorToJson(const Doctor& doctor, const DoctorGrant* grant);

std::string RenderAppointment(const Appointment& appointment);
std::string RenderDoctor(const Doctor& doctor, const DoctorGrant* grant);
// `grants`: every stored grant (DoctorGrants::ListGrants), in any order.
std::string RenderDoctorList(const std::vector<Doctor>& doctors,
                             const std::vector<DoctorGrant>& grants);
// {"items":[...],"next_cursor":...}: the cursor (FormatFeedCursor) is
// opaque to clients.
std::string RenderFeedPage(const std::vector<Appointment>& items,
                           const std::string& next_cursor);
}  // namespace telemed

#endif  // TELEMED_API_JSON_RENDER_H_
