// ZoomCheck: is the clinic's Zoom set up so that the bridge can work? Run by
// `telemed-bridge zoom test`, by the daemon periodically and whenever the
// credentials or doctors change; its last result is stored, so that
// GET /api/v1/status reports it without calling Zoom.
//
// The check gets a token (the credentials work), compares the granted
// scopes with what the bridge needs (naming each missing one), and looks up
// every S2S doctor's zoom_user in the account (GET /users/{id-or-email}).
// Doctors who connect their own Zoom account (auth "oauth") are not about
// this app: `zoom test` tries their grants apart (zoom/grant_check.h).
#ifndef TELEMED_ZOOM_ZOOM_CHECK_H_
#define TELEMED_ZOOM_ZOOM_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "zoom/zoom_scopes.h"

namespace telemed {

class Clock;
class S2sTokenSource;
class ClinicRecords;
class SettingsStore;
class ZoomApi;

// One line of the verdict.
struct ZoomCheckItem {
  std::string subject;  // "credentials", "scopes", "doctor dr-smith", ...
  bool ok = false;
  std::string detail;  // for people: what is wrong and what to do
};

struct ZoomCheckResult {
  int64_t checked_at = 0;   // unix seconds
  bool ok = false;          // every item ok
  bool configured = false;  // an S2S app is stored at all
  // False when no S2S app is stored and none is needed: no doctor has auth
  // "s2s" and at least one has auth "oauth" (each connects their own Zoom
  // account). The `credentials` item then is ok and says so; what remains
  // to do is each OAuth doctor's connection (zoom/grant_check.h).
  bool s2s_app_needed = true;
  std::vector<std::string> granted_scopes;
  std::vector<std::string> missing_scopes;
  std::vector<ZoomCheckItem> items;
};

// The scopes the bridge needs (granular names; a classic equivalent such as
// meeting:write:admin satisfies its granular ones, see docs/zoom-notes.md).
const std::vector<std::string>& RequiredZoomScopes();

// Which token the check looks at. kFresh mints one (`zoom test`: how an
// admin makes a scope fix take effect; the token is stored for the daemon
// too). kStored uses the shared token while it is valid (the daemon's
// periodic check) and mints only when it is near expiry, or when it lacks a
// scope and may predate the admin's fix.
enum class CheckToken { kFresh, kStored };

// Why a doctor with auth "oauth" gets no meetings while it has no grant:
// GET /api/v1/status and `doctor put` say it in these words.
extern const char kOauthDoctorCannotSync[];
// The same for a doctor whose grant Zoom refused (reconnect_needed).
extern const char kOauthDoctorMustReconnect[];

// Runs the check. Failures of Zoom (wrong credentials, unknown users) are
// items of *out, not errors; errors are the store's.
Status RunZoomCheck(ClinicRecords* records, S2sTokenSource* tokens,
                    ZoomApi* api, const Clock* clock, CheckToken which,
                    ZoomCheckResult* out);

// Judges an unconfigured *result (no S2S app stored) against the doctors as
// they are now: sets s2s_app_needed (see ZoomCheckResult), makes the
// `credentials` item ok and saying so when no app is needed, failing with
// what to run when one is, and recomputes result->ok. A result with an app
// stored is left as it is. RunZoomCheck applies it; readers of a stored
// verdict apply it too (LoadCurrentZoomCheck), so that registering an S2S
// doctor, or removing the last one, shows at once and without calling Zoom.
// Errors are the store's.
Status JudgeS2sAppNeed(ClinicRecords* records, ZoomCheckResult* result);

// The stored last result (settings row "zoom.check", JSON).
Status SaveZoomCheck(SettingsStore* settings, const ZoomCheckResult& result);
// *found false when no check ran yet.
Status LoadZoomCheck(SettingsStore* settings, ZoomCheckResult* out,
                     bool* found);
// LoadZoomCheck, then JudgeS2sAppNeed when one was found: what GET
// /api/v1/status, the admin page and `telemed-bridge status` show.
Status LoadCurrentZoomCheck(ClinicRecords* records, SettingsStore* settings,
                            ZoomCheckResult* out, bool* found);

// Drops the stored result (its app was forgotten).
Status ForgetZoomCheck(SettingsStore* settings);

// {"checked_at","ok","configured","s2s_app_needed","granted_scopes",
//  "missing_scopes","items":[{"subject","ok","detail"}]} (checked_at as
// RFC 3339 UTC).
std::string ZoomCheckToJson(const ZoomCheckResult& result);

}  // namespace telemed

#endif  // TELEMED_ZOOM_ZOOM_CHECK_H_
