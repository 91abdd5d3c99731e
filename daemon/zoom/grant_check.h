// GrantCheck: is each OAuth doctor's own Zoom connection alive? One item per
// doctor with auth "oauth", for `telemed-bridge zoom test` and the admin
// page's Zoom test. The daemon's periodic check (zoom/zoom_check.h) is the
// S2S app's and never calls Zoom for a doctor's grant: the grants' states
// show on GET /api/v1/status and on each doctor's record.
//
// A connected doctor's grant is tried with GET /users/me through the
// doctor's own token source (ZoomClient::ApiFor), which refreshes the access
// token when it is due. A refresh Zoom refuses marks the grant
// reconnect_needed, as it would in any other call.
#ifndef TELEMED_ZOOM_GRANT_CHECK_H_
#define TELEMED_ZOOM_GRANT_CHECK_H_

#include <vector>

#include "base/status.h"
#include "model/records.h"
#include "store/doctor_grants.h"
#include "zoom/zoom_check.h"

namespace telemed {

class ClinicRecords;
class DoctorGrants;
class ZoomClient;

// A doctor with auth "oauth" and its grant as stored.
struct OAuthDoctor {
  Doctor doctor;
  bool connected_once = false;  // a grant row exists (in any state)
  DoctorGrant grant;            // when connected_once
};

// Every OAuth doctor, by id, with its grant. Errors are the store's.
Status ListOAuthDoctors(ClinicRecords* records, DoctorGrants* grants,
                        std::vector<OAuthDoctor>* out);

// Appends one item per OAuth doctor to *out, subject "doctor ID" plus
// " (Zoom user EMAIL)" when the account is known, or " (disconnecting)":
//   ok: the grant works (the email is the one /users/me answers now), or the
//     doctor is being disconnected (nothing to do);
//   failing, with what to do: not connected, reconnect needed (now or
//     before), no OAuth app stored, or Zoom unreachable or refusing.
// `client` must have been opened with grants (ZoomClient::user_tokens()).
// Errors are the store's; Zoom's answers are items.
Status CheckDoctorGrants(ClinicRecords* records, DoctorGrants* grants,
                         ZoomClient* client, std::vector<ZoomCheckItem>* out);

}  // namespace telemed

#endif  // TELEMED_ZOOM_GRANT_CHECK_H_
