#include "zoom/zoom_check.h"

#include <algorithm>
#include <cmath>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/time_format.h"
#include "secrets/secret_box.h"
#include "store/clinic_records.h"
#include "store/settings_store.h"
#include "zoom/s2s_token_source.h"
#include "zoom/zoom_api.h"
#include "zoom/zoom_scopes.h"

namespace telemed {

namespace {

constexpr char kCheckSetting[] = "zoom.check";

std::string JoinWords(const std::vector<std::string>& words,
                      const char* separator) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += separator;
    text += word;
  }
  return text;
}

constexpr char kCredentials[] = "credentials";

ZoomCheckItem NoAppItem(bool needed) {
  if (!needed) {
    return {kCredentials, true,
            "no Zoom Server-to-Server app is stored; none is needed while "
            "every doctor connects their own Zoom account"};
  }
  return {kCredentials, false,
          "no Zoom Server-to-Server app is configured: run "
          "'telemed-bridge zoom s2s' (see docs/zoom-setup.md)"};
}

ZoomCheckItem CredentialsItem(const Status& status, ZoomFailure failure) {
  if (status.ok()) {
    return {kCredentials, true, "Zoom issued a token for the app"};
  }
  switch (failure) {
    case ZoomFailure::kNotConfigured:
      return NoAppItem(true);
    // Refusals say which value is wrong and what to do.
    case ZoomFailure::kKeyMismatch:
    case ZoomFailure::kCredentialsRefused:
      return {kCredentials, false, status.message()};
    default:
      // Transport failures name the host, the certificate problem or the
      // wrong URL.
      return {kCredentials, false,
              "Zoom's token endpoint could not be used: " + status.message()};
  }
}

ZoomCheckItem ScopesItem(const std::vector<std::string>& missing) {
  if (missing.empty()) {
    return {"scopes", true, "every scope the bridge needs is granted"};
  }
  return {"scopes", false,
          "missing " + JoinWords(missing, ", ") + " — add " +
              (missing.size() == 1 ? "it" : "them") +
              " in the Zoom app's Scopes page"};
}

// Words for a refused GET /users/{id}: the person reading them fixes the
// doctor or the app, so they name which.
std::string UserLookupFailure(const Status& status, const ZoomError& error) {
  if (error.http_status == 404 && error.zoom_code == 1001) {
    return "not a user of this Zoom account: register the doctor's Zoom "
           "e-mail or user id with 'telemed-bridge doctor put'";
  }
  if (!error.missing_scopes.empty()) {
    return "cannot be looked up: the app lacks " +
           JoinWords(error.missing_scopes, ", ");
  }
  if (error.no_answer || error.http_status == 0) {
    return "cannot be looked up: " + status.message();
  }
  return "Zoom refused the lookup (HTTP " + std::to_string(error.http_status) +
         ", code " + std::to_string(error.zoom_code) + ": " + error.message +
         ")";
}

ZoomCheckItem DoctorItem(const Doctor& doctor, ZoomApi* api) {
  ZoomUser user;
  ZoomError error;
  Status s = api->GetUser(doctor.zoom_user, &user, &error);
  std::string subject = "doctor " + doctor.id;
  if (s.ok()) return {subject, true, "Zoom user " + doctor.zoom_user};
  return {subject, false,
          "Zoom user " + doctor.zoom_user + " " + UserLookupFailure(s, error)};
}

// S2S doctors are looked up with the app's token (`api` null: no token, no
// doctor items). OAuth doctors use their own grants, not this app: their
// connection shows on GET /api/v1/doctors/{id} and /status.
Status CheckDoctors(ClinicRecords* records, ZoomApi* api,
                    ZoomCheckResult* out) {
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  if (!s.ok()) return s;
  for (const Doctor& doctor : doctors) {
    if (doctor.auth != AuthMode::kOauth && api != nullptr) {
      out->items.push_back(DoctorItem(doctor, api));
    }
  }
  return Status::OK();
}

bool AllOk(const std::vector<ZoomCheckItem>& items) {
  return std::all_of(items.begin(), items.end(),
                     [](const ZoomCheckItem& item) { return item.ok; });
}

// --- JSON ------------------------------------------------------------------

cJSON* StringArray(const std::vector<std::string>& strings) {
  cJSON* array = cJSON_CreateArray();
  for (const std::string& text : strings) {
    cJSON_AddItemToArray(array, cJSON_CreateString(text.c_str()));
  }
  return array;
}

cJSON* ItemsToJson(const std::vector<ZoomCheckItem>& items) {
  cJSON* array = cJSON_CreateArray();
  for (const ZoomCheckItem& item : items) {
    cJSON* object = cJSON_CreateObject();
    cJSON_AddStringToObject(object, "subject", item.subject.c_str());
    cJSON_AddBoolToObject(object, "ok", item.ok);
    cJSON_AddStringToObject(object, "detail", item.detail.c_str());
    cJSON_AddItemToArray(array, object);
  }
  return array;
}

// The stored form keeps checked_at as a number, the API's as RFC 3339; both
// share the rest.
CjsonPtr ResultToJson(const ZoomCheckResult& result, cJSON* checked_at) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddItemToObject(root.get(), "checked_at", checked_at);
  cJSON_AddBoolToObject(root.get(), "ok", result.ok);
  cJSON_AddBoolToObject(root.get(), "configured", result.configured);
  cJSON_AddBoolToObject(root.get(), "s2s_app_needed", result.s2s_app_needed);
  cJSON_AddItemToObject(root.get(), "granted_scopes",
                        StringArray(result.granted_scopes));
  cJSON_AddItemToObject(root.get(), "missing_scopes",
                        StringArray(result.missing_scopes));
  cJSON_AddItemToObject(root.get(), "items", ItemsToJson(result.items));
  return root;
}

bool ReadStrings(const cJSON* array, std::vector<std::string>* out) {
  if (!cJSON_IsArray(array)) return false;
  const cJSON* entry = nullptr;
  cJSON_ArrayForEach(entry, array) {
    if (!cJSON_IsString(entry)) return false;
    out->push_back(entry->valuestring);
  }
  return true;
}

bool ReadItem(const cJSON* object, ZoomCheckItem* out) {
  const cJSON* subject = cJSON_GetObjectItemCaseSensitive(object, "subject");
  const cJSON* ok = cJSON_GetObjectItemCaseSensitive(object, "ok");
  const cJSON* detail = cJSON_GetObjectItemCaseSensitive(object, "detail");
  if (!cJSON_IsString(subject) || !cJSON_IsBool(ok) ||
      !cJSON_IsString(detail)) {
    return false;
  }
  *out = {subject->valuestring, cJSON_IsTrue(ok) != 0, detail->valuestring};
  return true;
}

bool ReadItems(const cJSON* array, std::vector<ZoomCheckItem>* out) {
  if (!cJSON_IsArray(array)) return false;
  const cJSON* entry = nullptr;
  cJSON_ArrayForEach(entry, array) {
    ZoomCheckItem item;
    if (!ReadItem(entry, &item)) return false;
    out->push_back(std::move(item));
  }
  return true;
}

bool ReadResult(const cJSON* root, ZoomCheckResult* out) {
  auto field = [root](const char* name) {
    return cJSON_GetObjectItemCaseSensitive(root, name);
  };
  const cJSON* checked_at = field("checked_at");
  if (!cJSON_IsNumber(checked_at) || !cJSON_IsBool(field("ok")) ||
      !cJSON_IsBool(field("configured"))) {
    return false;
  }
  out->checked_at = static_cast<int64_t>(std::llround(checked_at->valuedouble));
  out->ok = cJSON_IsTrue(field("ok")) != 0;
  out->configured = cJSON_IsTrue(field("configured")) != 0;
  // Results stored before the field existed are judged again by
  // JudgeS2sAppNeed when read.
  out->s2s_app_needed = !cJSON_IsFalse(field("s2s_app_needed"));
  return ReadStrings(field("granted_scopes"), &out->granted_scopes) &&
         ReadStrings(field("missing_scopes"), &out->missing_scopes) &&
         ReadItems(field("items"), &out->items);
}

// The token to judge the app by (see CheckToken).
Status CheckedToken(S2sTokenSource* tokens, CheckToken which, S2sToken* out,
                    ZoomFailure* failure) {
  if (which == CheckToken::kFresh) return tokens->FetchFresh(out, failure);
  Status s = tokens->Current(out, failure);
  if (s.ok() && !MissingScopes(out->scopes).empty() &&
      tokens->MayPredateScopeFix(out->access_token)) {
    WipeString(&out->access_token);
    s = tokens->FetchFresh(out, failure);
  }
  return s;
}

}  // namespace

const char kOauthDoctorCannotSync[] =
    "connects its own Zoom account (auth oauth) and is not connected: its "
    "appointments wait (error doctor_not_connected) until the doctor opens "
    "the link of 'telemed-bridge doctor connect ID' (or POST "
    "/api/v1/doctors/ID/connect)";

const char kOauthDoctorMustReconnect[] =
    "connects its own Zoom account (auth oauth), but Zoom no longer accepts "
    "its connection: its appointments wait (error doctor_reconnect_needed) "
    "until the doctor connects again through a new link of 'telemed-bridge "
    "doctor connect ID'";

Status RunZoomCheck(ClinicRecords* records, S2sTokenSource* tokens,
                    ZoomApi* api, const Clock* clock, CheckToken which,
                    ZoomCheckResult* out) {
  *out = ZoomCheckResult();
  out->checked_at = clock->NowSeconds();
  S2sToken token;
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = CheckedToken(tokens, which, &token, &failure);
  WipeString(&token.access_token);
  // Zoom's answers and a secret key that may not use the app are verdicts
  // (the admin must act); the rest (the database) is the caller's error.
  if (!s.ok() && failure == ZoomFailure::kNone) return s;
  out->configured = failure != ZoomFailure::kNotConfigured;
  out->items.push_back(CredentialsItem(s, failure));
  // Without a token neither scopes nor users can be looked at.
  if (s.ok()) {
    out->granted_scopes = token.scopes;
    out->missing_scopes = MissingScopes(token.scopes);
    out->items.push_back(ScopesItem(out->missing_scopes));
  }
  s = CheckDoctors(records, s.ok() ? api : nullptr, out);
  if (!s.ok()) return s;
  out->ok = AllOk(out->items);
  return JudgeS2sAppNeed(records, out);
}

Status JudgeS2sAppNeed(ClinicRecords* records, ZoomCheckResult* result) {
  if (result->configured) return Status::OK();
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  if (!s.ok()) return s;
  // A fresh install (no doctors yet) still has its app to set up.
  bool needed = doctors.empty();
  for (const Doctor& doctor : doctors) {
    if (doctor.auth != AuthMode::kOauth) needed = true;
  }
  result->s2s_app_needed = needed;
  for (ZoomCheckItem& item : result->items) {
    if (item.subject == kCredentials) item = NoAppItem(needed);
  }
  result->ok = AllOk(result->items);
  return Status::OK();
}

Status SaveZoomCheck(SettingsStore* settings, const ZoomCheckResult& result) {
  CjsonPtr root = ResultToJson(
      result, cJSON_CreateNumber(static_cast<double>(result.checked_at)));
  return settings->PutSetting(kCheckSetting, PrintJson(root.get()));
}

Status LoadZoomCheck(SettingsStore* settings, ZoomCheckResult* out,
                     bool* found) {
  std::string text;
  Status s = settings->GetSetting(kCheckSetting, &text, found);
  if (!s.ok() || !*found) return s;
  CjsonPtr root(cJSON_Parse(text.c_str()));
  *out = ZoomCheckResult();
  if (!root || !ReadResult(root.get(), out)) {
    return Status::Corruption("zoom_check_unreadable",
                              "the stored Zoom check result is not readable");
  }
  return Status::OK();
}

Status LoadCurrentZoomCheck(ClinicRecords* records, SettingsStore* settings,
                            ZoomCheckResult* out, bool* found) {
  Status s = LoadZoomCheck(settings, out, found);
  if (!s.ok() || !*found) return s;
  return JudgeS2sAppNeed(records, out);
}

Status ForgetZoomCheck(SettingsStore* settings) {
  return settings->DeleteSettings(kCheckSetting);
}

std::string ZoomCheckToJson(const ZoomCheckResult& result) {
  CjsonPtr root = ResultToJson(
      result, cJSON_CreateString(FormatRfc3339Utc(result.checked_at).c_str()));
  return PrintJson(root.get());
}

}  // namespace telemed
