// AdminAudit: where the admin page's handlers record what an admin did
// (kept 90 days, shown on System, printed by `admin audit`). Never given a
// secret: no password, token, client secret or API key in `detail`.
#ifndef TELEMED_WEB_ADMIN_AUDIT_H_
#define TELEMED_WEB_ADMIN_AUDIT_H_

#include <string>

namespace telemed {
namespace web {

// The actions, as stored and shown (stable words).
namespace audit_action {
constexpr char kSetUp[] = "admin_created";
constexpr char kSignIn[] = "sign_in";
constexpr char kSignInFailed[] = "sign_in_failed";
constexpr char kSignOut[] = "sign_out";
constexpr char kSignOutEverywhere[] = "sign_out_everywhere";
constexpr char kPasswordChanged[] = "password_changed";
constexpr char kZoomAppSaved[] = "zoom_app_saved";
constexpr char kZoomAppForgotten[] = "zoom_app_forgotten";
constexpr char kOAuthAppSaved[] = "oauth_app_saved";
constexpr char kOAuthAppForgotten[] = "oauth_app_forgotten";
constexpr char kDoctorAdded[] = "doctor_added";
constexpr char kDoctorChanged[] = "doctor_changed";
constexpr char kDoctorRemoved[] = "doctor_removed";
constexpr char kDoctorDisconnected[] = "doctor_disconnected";
constexpr char kKeyCreated[] = "api_key_created";
constexpr char kKeyRevoked[] = "api_key_revoked";
constexpr char kAppointmentRetried[] = "appointment_retried";
constexpr char kBackupDownloaded[] = "backup_downloaded";
constexpr char kSecretKeyDownloaded[] = "secret_key_downloaded";
}  // namespace audit_action

class AdminAudit {
 public:
  virtual ~AdminAudit() = default;
  // Best effort: a failure to record is logged, never fails the action.
  // `address` is the peer's IP; `detail` a short plain text ("doctor
  // dr-lee", "key frontdesk").
  virtual void Record(const std::string& action, const std::string& address,
                      const std::string& detail) = 0;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ADMIN_AUDIT_H_
