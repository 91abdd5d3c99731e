#include "web/error_advice.h"

namespace telemed {
namespace web {

namespace {

struct Advice {
  const char* code;
  const char* action;
};

// Every code the sync engine stores (sync/outcome.cc); error_advice_test.cc
// checks that each code docs/api.md lists has its own advice.
constexpr Advice kAdvice[] = {
    {"zoom_not_configured",
     "Enter the Zoom app's Account ID, Client ID and Client secret on the "
     "Zoom screen."},
    {"zoom_credentials_invalid",
     "Press Test connection on the Zoom screen and follow what it says about "
     "the credentials; if the secret key file was changed, enter the Client "
     "secret again."},
    {"zoom_scope_missing",
     "Add the missing scopes to the app in the Zoom App Marketplace, then "
     "press Test connection on the Zoom screen."},
    {"zoom_user_not_found",
     "Correct the doctor's Zoom user on the Doctors screen (or add that user "
     "in Zoom), then press Retry."},
    {"zoom_user_cannot_host",
     "Give the doctor's Zoom user a licence or allow them to host meetings "
     "in the Zoom portal (User Management, Users), then press Retry."},
    {"zoom_meeting_started",
     "Nothing to do for this meeting: Zoom refuses changes once it has "
     "started. Arrange a new appointment if needed."},
    {"zoom_rejected",
     "Read the message: it is Zoom's reason, often a setting of the Zoom "
     "account (passcode or meeting policies). Fix it in Zoom, then press "
     "Retry."},
    {"zoom_unavailable",
     "Nothing: the bridge keeps trying at least every 5 minutes. If it "
     "lasts, check this box's internet access and status.zoom.us."},
    {"zoom_rate_limited",
     "Nothing: Zoom asked the bridge to slow down, and it goes on by "
     "itself."},
    {"zoom_daily_limit",
     "Nothing: the bridge goes on after 00:00 UTC. Many changes to one "
     "appointment in a day use up Zoom's limit of 100."},
    {"doctor_not_connected",
     "On the Doctors screen, press Connect to Zoom and send the doctor the "
     "link; or set the doctor's Connection to Clinic Zoom account (S2S) "
     "with a Zoom user."},
    {"doctor_reconnect_needed",
     "Zoom no longer accepts the doctor's own connection: the doctor connects "
     "their Zoom account again; the appointment then syncs by itself within "
     "a minute."},
};

constexpr char kUnknown[] =
    "Read the message; once the cause is fixed, press Retry.";

}  // namespace

const char* ErrorAdvice(const std::string& code) {
  for (const Advice& advice : kAdvice) {
    if (code == advice.code) return advice.action;
  }
  return kUnknown;
}

}  // namespace web
}  // namespace telemed
