#include "zoom/s2s_app.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "secrets/secret_box.h"
#include "store/store.h"
#include "zoom/user_oauth.h"

namespace telemed {

namespace {

constexpr size_t kMaxIdBytes = 256;
constexpr char kConfigVersion[] = "zoom.config_version";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

}  // namespace

bool IsValidS2sId(const std::string& value) {
  bool printable = !value.empty() && value.size() <= kMaxIdBytes;
  for (unsigned char c : value) printable = printable && c > ' ' && c < 0x7f;
  return printable;
}

const char* NormalizeS2sSecret(std::string* secret) {
  const char* problem = nullptr;
  if (secret->size() > kMaxS2sSecretBytes) problem = "is too long";
  while (!secret->empty() && IsSpace(secret->back())) secret->pop_back();
  size_t lead = 0;
  while (lead < secret->size() && IsSpace((*secret)[lead])) ++lead;
  secret->erase(0, lead);
  if (problem == nullptr && secret->empty()) problem = "is empty";
  if (problem == nullptr &&
      std::any_of(secret->begin(), secret->end(), IsSpace)) {
    problem =
        "holds a space, tab or line break inside it (Zoom's secrets have "
        "none: copy it again from the app's App Credentials page)";
  }
  if (problem == nullptr && secret->find('\0') != std::string::npos) {
    problem = "holds a NUL byte";
  }
  return problem;
}

Status CheckS2sApp(ZoomTransport* transport, const std::string& oauth_url,
                   const Clock* clock, const S2sCredentials& credentials,
                   ZoomFailure* failure) {
  S2sToken token;
  Status s = RequestS2sToken(transport, oauth_url, clock, credentials, &token,
                             failure);
  WipeString(&token.access_token);
  WipeString(&token.sealed);
  return s;
}

namespace {

// Every revoke still owed to Zoom, whenever due.
Status ListAllRevokes(Store* store, std::vector<PendingRevoke>* out) {
  return store->ListDueRevokes(std::numeric_limits<int64_t>::max(),
                               std::numeric_limits<int>::max(), out);
}

// The database is tied to the key (its fingerprint) while anything sealed
// under it is stored: the S2S app, the OAuth app, a doctor's grant, a
// revoke still owed to Zoom. (A connect attempt's sealed verifier expires
// within minutes.)
Status ReleaseKeyWhenNothingSealed(Store* store, bool* released) {
  *released = false;
  S2sCredentials s2s;
  OAuthApp oauth;
  bool s2s_stored = false, oauth_stored = false;
  std::vector<DoctorGrant> grants;
  std::vector<PendingRevoke> revokes;
  Status s = LoadS2sAppIds(store, &s2s, &s2s_stored);
  if (s.ok()) s = LoadOAuthAppIds(store, &oauth, &oauth_stored);
  if (s.ok()) s = store->ListGrants(&grants);
  if (s.ok()) s = ListAllRevokes(store, &revokes);
  if (!s.ok() || s2s_stored || oauth_stored || !grants.empty() ||
      !revokes.empty()) {
    return s;
  }
  *released = true;
  return store->UnbindKeyFingerprint();
}

// A revoke authenticates with the OAuth app's client: without the app it
// can never be sent, so the sealed tokens go with the app.
Status DropRevokes(Store* store, int* dropped) {
  std::vector<PendingRevoke> revokes;
  Status s = ListAllRevokes(store, &revokes);
  for (size_t i = 0; s.ok() && i < revokes.size(); ++i) {
    s = store->CompleteRevoke(revokes[i].id);
    // Unavailable: the row is gone, only the WAL's truncation waits.
    if (s.code() == Status::Code::kUnavailable) s = Status::OK();
    if (s.ok()) ++*dropped;
  }
  return s;
}

}  // namespace

Status StoreS2sApp(Store* store, const SecretBox& box,
                   const S2sCredentials& credentials,
                   const ZoomEndpoints& given, int* requeued) {
  int count = 0;
  Status s = SaveS2sCredentials(store, box, credentials);
  if (s.ok()) s = SaveZoomEndpoints(store, given);
  // The last check's verdict was about the app this one replaces: shown
  // now, it would blame the new app for the old one's faults.
  if (s.ok()) s = ForgetZoomCheck(store);
  if (s.ok()) s = BumpZoomConfigVersion(store);
  if (s.ok()) s = store->RequeueFailed(&count);
  if (requeued != nullptr) *requeued = count;
  return s;
}

Status ForgetS2sApp(Store* store, bool* key_released) {
  bool released = false;
  Status s = ForgetS2sCredentials(store);
  if (s.ok()) s = ForgetZoomCheck(store);
  if (s.ok()) s = ReleaseKeyWhenNothingSealed(store, &released);
  if (s.ok()) s = BumpZoomConfigVersion(store);
  if (key_released != nullptr) *key_released = released;
  return s;
}

Status ForgetOAuthApp(Store* store, bool disconnect_doctors,
                      ForgottenOAuthApp* out) {
  *out = ForgottenOAuthApp();
  std::vector<DoctorGrant> grants;
  Status s = store->ListGrants(&grants);
  if (!s.ok()) return s;
  std::string ids;
  for (const DoctorGrant& grant : grants) {
    ids += (ids.empty() ? "" : ", ") + grant.doctor_id;
  }
  if (!grants.empty() && !disconnect_doctors) {
    return Status::Conflict(
        "oauth_doctors_connected",
        "doctors are connected through the OAuth app (" + ids +
            "): disconnect them first, or force it, which ends their "
            "connections too");
  }
  for (const DoctorGrant& grant : grants) {
    s = store->PurgeGrant(grant.doctor_id);
    // Unavailable: the row is gone, only the WAL's truncation waits (the
    // next purge or checkpoint finishes it).
    if (!s.ok() && s.code() != Status::Code::kUnavailable) return s;
    out->disconnected.push_back(grant.doctor_id);
  }
  s = DeleteOAuthApp(store);
  if (s.ok()) s = DropRevokes(store, &out->revokes_dropped);
  if (s.ok()) s = ReleaseKeyWhenNothingSealed(store, &out->key_released);
  if (s.ok()) s = BumpZoomConfigVersion(store);
  return s;
}

Status TestS2sApp(Store* store, S2sTokenSource* tokens, ZoomApi* api,
                  const Clock* clock, ZoomCheckResult* out, int* requeued) {
  int count = 0;
  Status s = RunZoomCheck(store, tokens, api, clock, CheckToken::kFresh, out);
  if (s.ok()) s = SaveZoomCheck(store, *out);
  if (s.ok() && out->ok) s = store->RequeueFailed(&count);
  if (requeued != nullptr) *requeued = count;
  return s;
}

Status BumpZoomConfigVersion(SettingsStore* settings) {
  std::string value;
  bool found = false;
  Status s = settings->GetSetting(kConfigVersion, &value, &found);
  if (!s.ok()) return s;
  // Two writers racing may write the same number; either still differs
  // from what the daemon saw last, which is all the watch compares.
  long long version = found ? strtoll(value.c_str(), nullptr, 10) : 0;
  return settings->PutSetting(kConfigVersion, std::to_string(version + 1));
}

Status ReadZoomConfigVersion(SettingsStore* settings, std::string* out) {
  bool found = false;
  out->clear();
  return settings->GetSetting(kConfigVersion, out, &found);
}

}  // namespace telemed
