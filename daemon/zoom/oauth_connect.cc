#include "zoom/oauth_connect.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "base/encoding.h"
#include "base/log.h"
#include "base/random.h"
#include "model/records.h"
#include "secrets/secret_box.h"
#include "store/clinic_records.h"
#include "store/doctor_grants.h"
#include "zoom/user_token_source.h"

namespace telemed {

namespace {

constexpr size_t kRandomBytes = 32;

Status RandomId(RandomSource* random, std::string* out) {
  std::vector<uint8_t> bytes(kRandomBytes);
  Status s = random->Fill(bytes.data(), bytes.size());
  if (s.ok()) *out = Base64UrlEncode(bytes.data(), bytes.size());
  return s;
}

std::string VerifierPurpose(const std::string& state_sha256) {
  return "zoom.oauth.verifier:" + state_sha256;
}

Status LinkInvalid() {
  return Status::NotFound("connect_link_invalid",
                          "this connect link is unknown, used or expired: "
                          "ask the clinic for a new one");
}

// The doctor, refused unless it connects by OAuth and an app is stored.
Status CheckConnectable(const OAuthConnectDeps& deps,
                        const std::string& doctor_id, Doctor* doctor) {
  Status s = deps.records->GetDoctor(doctor_id, doctor);
  if (!s.ok()) return s;
  if (doctor->auth != AuthMode::kOauth) {
    return Status::Conflict(
        "doctor_not_oauth",
        "doctor " + doctor_id +
            " uses the clinic's Zoom account (auth s2s): nothing to connect",
        "auth");
  }
  OAuthApp app;
  bool configured = false;
  s = LoadOAuthAppIds(deps.settings, &app, &configured);
  if (s.ok() && !configured) {
    return Status::Conflict("oauth_app_not_configured",
                            "no Zoom OAuth app is stored: run `telemed-bridge "
                            "zoom oauth-app` or use the page's Zoom screen",
                            "");
  }
  return s;
}

// Revokes `token`, a refresh token of `doctor_id` the bridge lets go of,
// now or later (zoom/revoke_queue.h). Only the bridge's own errors (the
// database, the key) come back; the callback's answer stays its own, so
// they are logged.
void Revoke(const OAuthConnectDeps& deps, const std::string& doctor_id,
            const std::string& token, int64_t now) {
  Status s = RevokeOrQueue(RevokeDepsOf(deps), doctor_id, token, now);
  if (!s.ok() && deps.logger != nullptr) {
    deps.logger->Error("could not keep doctor %s's Zoom grant to revoke: %s",
                       doctor_id.c_str(), s.ToString().c_str());
  }
}

bool EqualIgnoringAsciiCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The old grant's refresh token, opened; "" when there is none to revoke
// (none stored, or the same Zoom user connected again: revoking that
// user's old grant may end the new one).
Status OldTokenToRevoke(const OAuthConnectDeps& deps,
                        const std::string& doctor_id, const ZoomUser& who,
                        std::string* token) {
  DoctorGrant old;
  bool found = false;
  Status s = deps.grants->GetGrant(doctor_id, &old, &found);
  if (!s.ok() || !found || old.zoom_user_id == who.id) return s;
  return deps.box->Open(GrantPurpose("refresh", doctor_id),
                        old.sealed_refresh_token, token);
}

// Takes the attempt of `state`; the refusals that send nothing to Zoom.
Status TakeAttempt(const OAuthConnectDeps& deps, const OAuthCallback& callback,
                   int64_t now, OAuthAttempt* attempt, std::string* verifier) {
  bool found = false;
  const std::string key = Sha256Hex(callback.state);
  Status s = callback.state.empty()
                 ? Status::OK()
                 : deps.grants->TakeOAuthAttempt(key, now, attempt, &found);
  if (!s.ok()) return s;
  if (!found) {
    return Status::NotFound("oauth_state_invalid",
                            "this answer from Zoom is unknown, used or "
                            "expired: open a new connect link");
  }
  if (!callback.error.empty()) {
    return Status::PermissionDenied(
        "zoom_access_denied",
        "Zoom did not grant access (" + callback.error +
            "): to try again, ask the clinic for a new connect link and "
            "allow the app at Zoom");
  }
  if (callback.code.empty()) {
    return Status::InvalidArgument("oauth_code_missing",
                                   "Zoom's answer carried no code", "code");
  }
  return deps.box->Open(VerifierPurpose(key), attempt->sealed_verifier,
                        verifier);
}

// Exchanges the code and asks Zoom who connected.
Status ExchangeAndIdentify(const OAuthConnectDeps& deps, const OAuthApp& app,
                           const OAuthCallback& callback,
                           const OAuthAttempt& attempt,
                           const std::string& verifier, int64_t now,
                           UserTokens* tokens, ZoomUser* who) {
  ZoomFailure failure = ZoomFailure::kNone;
  Status s =
      ExchangeCode(deps.oauth, app, callback.code, verifier,
                   OAuthRedirectUrl(deps.public_url, app), tokens, &failure);
  if (!s.ok()) return s;
  ZoomError error;
  s = FetchMe(deps.api_base_url, deps.oauth.transport, deps.oauth.clock,
              tokens->access_token, who, &error);
  if (!s.ok()) Revoke(deps, attempt.doctor_id, tokens->refresh_token, now);
  return s;
}

// Stores the new grant, then revokes the old one when another user had it.
Status StoreGrant(const OAuthConnectDeps& deps, const std::string& doctor_id,
                  const UserTokens& tokens, const ZoomUser& who, int64_t now) {
  std::string old_token;
  Status s = OldTokenToRevoke(deps, doctor_id, who, &old_token);
  int64_t generation = 0;
  if (s.ok()) {
    s = deps.user_tokens->StoreNewGrant(doctor_id, tokens, who, &generation);
  }
  if (s.ok() && !old_token.empty()) {
    Revoke(deps, doctor_id, old_token, now);
  }
  WipeString(&old_token);
  return s;
}

}  // namespace

RevokeDeps RevokeDepsOf(const OAuthConnectDeps& deps) {
  RevokeDeps out;
  out.revokes = deps.revokes;
  out.settings = deps.settings;
  out.box = deps.box;
  out.oauth = deps.oauth;
  out.logger = deps.logger;
  return out;
}

bool ZoomUserMatches(const std::string& zoom_user, const ZoomUser& user) {
  if (zoom_user.empty()) return true;
  if (zoom_user.find('@') == std::string::npos) return zoom_user == user.id;
  return EqualIgnoringAsciiCase(zoom_user, user.email);
}

std::string OAuthRedirectUrl(const std::string& public_url,
                             const OAuthApp& app) {
  return app.redirect_url.empty() ? public_url + "/oauth/callback"
                                  : app.redirect_url;
}

Status CreateConnectLink(const OAuthConnectDeps& deps,
                         const std::string& doctor_id, int64_t now,
                         ConnectLink* out) {
  Doctor doctor;
  Status s = CheckConnectable(deps, doctor_id, &doctor);
  std::string id;
  if (s.ok()) s = RandomId(deps.random, &id);
  if (!s.ok()) return s;
  OAuthAttempt link;
  link.doctor_id = doctor_id;
  link.expires_at = now + kConnectLinkSeconds;
  s = deps.grants->AddConnectLink(Sha256Hex(id), link, now);
  if (!s.ok()) return s;
  out->url = deps.public_url + "/oauth/connect/" + id;
  out->expires_at = link.expires_at;
  return Status::OK();
}

Status FindConnectLink(const OAuthConnectDeps& deps, const std::string& link_id,
                       int64_t now, std::string* doctor_id) {
  OAuthAttempt link;
  bool found = false;
  Status s = link_id.empty() ? Status::OK()
                             : deps.grants->FindConnectLink(Sha256Hex(link_id),
                                                            now, &link, &found);
  if (!s.ok()) return s;
  if (!found) return LinkInvalid();
  *doctor_id = link.doctor_id;
  return Status::OK();
}

Status BeginAuthorization(const OAuthConnectDeps& deps,
                          const std::string& link_id, int64_t now,
                          std::string* authorize_url) {
  OAuthAttempt link;
  bool found = false;
  Status s = link_id.empty() ? Status::OK()
                             : deps.grants->SpendConnectLink(
                                   Sha256Hex(link_id), now, &link, &found);
  if (!s.ok()) return s;
  if (!found) return LinkInvalid();
  Doctor doctor;
  s = CheckConnectable(deps, link.doctor_id, &doctor);
  OAuthApp app;
  bool configured = false;
  if (s.ok()) s = LoadOAuthAppIds(deps.settings, &app, &configured);
  Pkce pkce;
  std::string state;
  if (s.ok()) s = NewPkce(deps.random, &pkce);
  if (s.ok()) s = RandomId(deps.random, &state);
  OAuthAttempt attempt;
  attempt.doctor_id = link.doctor_id;
  attempt.expires_at = now + kOAuthAttemptSeconds;
  const std::string key = Sha256Hex(state);
  if (s.ok()) {
    s = deps.box->Seal(VerifierPurpose(key), pkce.verifier,
                       &attempt.sealed_verifier);
  }
  WipeString(&pkce.verifier);
  if (s.ok()) s = deps.grants->AddOAuthAttempt(key, attempt, now);
  if (!s.ok()) return s;
  *authorize_url = AuthorizeUrl(deps.oauth.oauth_base_url, app.client_id,
                                OAuthRedirectUrl(deps.public_url, app), state,
                                pkce.challenge);
  return Status::OK();
}

Status FinishAuthorization(const OAuthConnectDeps& deps,
                           const OAuthCallback& callback, int64_t now,
                           std::string* doctor_id, ZoomUser* who) {
  if (deps.user_tokens == nullptr || deps.revokes == nullptr) {
    return Status::Internal("oauth_not_wired",
                            "no token source to store a doctor's grant in");
  }
  OAuthAttempt attempt;
  std::string verifier;
  Status s = TakeAttempt(deps, callback, now, &attempt, &verifier);
  if (!s.ok()) return s;
  *doctor_id = attempt.doctor_id;
  Doctor doctor;
  s = CheckConnectable(deps, attempt.doctor_id, &doctor);
  OAuthApp app;
  bool configured = false;
  if (s.ok()) s = LoadOAuthApp(deps.settings, *deps.box, &app, &configured);
  UserTokens tokens;
  if (s.ok())
    s = ExchangeAndIdentify(deps, app, callback, attempt, verifier, now,
                            &tokens, who);
  WipeString(&verifier);
  if (s.ok() && deps.match_email && !ZoomUserMatches(doctor.zoom_user, *who)) {
    Revoke(deps, attempt.doctor_id, tokens.refresh_token, now);
    s = Status::PermissionDenied(
        "zoom_account_mismatch",
        "the Zoom account " + who->email + " is not doctor " +
            attempt.doctor_id + "'s (" + doctor.zoom_user +
            "): sign in to Zoom as the doctor and open a new connect link");
  }
  if (s.ok()) s = StoreGrant(deps, attempt.doctor_id, tokens, *who, now);
  WipeString(&tokens.access_token);
  WipeString(&tokens.refresh_token);
  WipeString(&app.client_secret);
  return s;
}

}  // namespace telemed
