#include "zoom/grant_check.h"

#include "store/clinic_records.h"
#include "zoom/zoom_client.h"

namespace telemed {

namespace {

std::string Subject(const std::string& doctor_id, const std::string& email) {
  std::string subject = "doctor " + doctor_id;
  if (!email.empty()) subject += " (Zoom user " + email + ")";
  return subject;
}

// Words for a failed GET /users/me: what the admin or the doctor does next.
std::string GrantFailure(const Status& status, const ZoomError& error) {
  switch (error.failure) {
    case ZoomFailure::kNotConnected:
      return kOauthDoctorCannotSync;
    case ZoomFailure::kReconnectNeeded:
      return kOauthDoctorMustReconnect;
    case ZoomFailure::kNotConfigured:
      return "no Zoom OAuth app is stored, so no doctor's connection can be "
             "used: store it with 'telemed-bridge zoom oauth-app' "
             "(docs/zoom-setup.md)";
    case ZoomFailure::kNoAnswer:
    case ZoomFailure::kTokenUnavailable:
    case ZoomFailure::kTokenRenewing:
    case ZoomFailure::kRateLimited:
      return "could not be checked now (" + status.message() +
             "); the connection may still work: run the test again later";
    case ZoomFailure::kRefused:
      if (!error.missing_scopes.empty()) {
        return "Zoom refused GET /users/me: the OAuth app lacks a scope to "
               "read the user; add it in the app's Scopes page, then the "
               "doctor connects again";
      }
      return "Zoom refused GET /users/me (HTTP " +
             std::to_string(error.http_status) + ", code " +
             std::to_string(error.zoom_code) + ": " + error.message + ")";
    default:
      return "could not be checked: " + status.message();
  }
}

ZoomCheckItem GrantItem(const Doctor& doctor, const DoctorGrant* grant,
                        ZoomClient* client) {
  if (grant != nullptr && grant->state == GrantState::kDisconnecting) {
    return {"doctor " + doctor.id + " (disconnecting)", true,
            "being disconnected: it gets no new meetings"};
  }
  ZoomUser me;
  ZoomError error;
  Status s = client->ApiFor(doctor.id)->GetUser("me", &me, &error);
  if (s.ok()) {
    return {Subject(doctor.id, me.email), true,
            "connected: its own Zoom account answers"};
  }
  return {Subject(doctor.id, grant != nullptr ? grant->zoom_email : ""), false,
          GrantFailure(s, error)};
}

}  // namespace

Status ListOAuthDoctors(ClinicRecords* records, DoctorGrants* grants,
                        std::vector<OAuthDoctor>* out) {
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  if (!s.ok()) return s;
  for (Doctor& doctor : doctors) {
    if (doctor.auth != AuthMode::kOauth) continue;
    OAuthDoctor entry;
    s = grants->GetGrant(doctor.id, &entry.grant, &entry.connected_once);
    if (!s.ok()) return s;
    entry.doctor = std::move(doctor);
    out->push_back(std::move(entry));
  }
  return Status::OK();
}

Status CheckDoctorGrants(ClinicRecords* records, DoctorGrants* grants,
                         ZoomClient* client, std::vector<ZoomCheckItem>* out) {
  std::vector<OAuthDoctor> doctors;
  Status s = ListOAuthDoctors(records, grants, &doctors);
  if (!s.ok()) return s;
  for (const OAuthDoctor& entry : doctors) {
    out->push_back(GrantItem(
        entry.doctor, entry.connected_once ? &entry.grant : nullptr, client));
  }
  return Status::OK();
}

}  // namespace telemed
