#include "web/zoom_routes.h"

#include <optional>
#include <vector>

#include "base/cjson.h"
#include "base/log.h"
#include "http/json_reply.h"
#include "model/json_body.h"
#include "model/validation.h"
#include "secrets/secret_box.h"
#include "store/store.h"
#include "web/admin_audit.h"
#include "web/route_support.h"
#include "web/zoom_user_cache.h"
#include "zoom/grant_check.h"
#include "zoom/oauth_connect.h"
#include "zoom/s2s_app.h"
#include "zoom/user_oauth.h"
#include "zoom/zoom_api.h"
#include "zoom/zoom_check.h"

namespace telemed {
namespace web {

namespace {

// Wipe the secret however the handler leaves.
struct ScopedCredentials {
  S2sCredentials value;
  ~ScopedCredentials() { WipeString(&value.client_secret); }
};
struct ScopedOAuthApp {
  OAuthApp value;
  ~ScopedOAuthApp() { WipeString(&value.client_secret); }
};

Status ReadRequired(const cJSON* root, const char* name, std::string* out) {
  std::optional<std::string> value;
  Status s = ReadJsonString(root, name, &value);
  if (s.ok() && (!value || value->empty())) s = MissingField(name);
  if (s.ok()) *out = std::move(*value);
  return s;
}

Status CheckId(const char* name, const std::string& value) {
  if (IsValidS2sId(value)) return Status::OK();
  return Status::Validation(
      "invalid_value",
      std::string(name) +
          " must be 1 to 256 printable characters without spaces "
          "(copy it again from the app's App Credentials page)",
      name);
}

// The secret is trimmed of whitespace around it and checked as an S2S
// app's secret is: Zoom makes both kinds alike.
Status NormalizeSecret(std::string* secret) {
  const char* problem = NormalizeS2sSecret(secret);
  if (problem == nullptr) return Status::OK();
  return Status::Validation("invalid_value",
                            std::string("the client secret ") + problem,
                            "client_secret");
}

// {"account_id","client_id","client_secret"}, checked as `zoom s2s` checks
// them; the secret is trimmed of whitespace around it.
Status ReadCredentials(const httplib::Request& request, S2sCredentials* out) {
  CjsonPtr root;
  Status s = ParseBody(request, &root);
  if (s.ok()) s = ReadRequired(root.get(), "account_id", &out->account_id);
  if (s.ok()) s = ReadRequired(root.get(), "client_id", &out->client_id);
  if (s.ok()) {
    s = ReadRequired(root.get(), "client_secret", &out->client_secret);
  }
  if (s.ok()) s = CheckId("account_id", out->account_id);
  if (s.ok()) s = CheckId("client_id", out->client_id);
  if (s.ok()) s = NormalizeSecret(&out->client_secret);
  return s;
}

// {"client_id","client_secret"} of the OAuth app.
Status ReadOAuthApp(const httplib::Request& request, OAuthApp* out) {
  CjsonPtr root;
  Status s = ParseBody(request, &root);
  if (s.ok()) s = ReadRequired(root.get(), "client_id", &out->client_id);
  if (s.ok()) {
    s = ReadRequired(root.get(), "client_secret", &out->client_secret);
  }
  if (s.ok()) s = CheckId("client_id", out->client_id);
  if (s.ok()) s = NormalizeSecret(&out->client_secret);
  return s;
}

// Zoom's verdict on a new app, in the contract's words: refused (the
// credentials are wrong) or unreachable.
Status CheckWithZoom(const ZoomRoutesDeps& deps,
                     const S2sCredentials& credentials) {
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = CheckS2sApp(deps.transport, deps.oauth_url, deps.clock,
                         credentials, &failure);
  if (s.ok()) return s;
  if (failure == ZoomFailure::kCredentialsRefused) {
    return Status::Validation("zoom_credentials_refused",
                              s.message() + "; nothing was stored",
                              "client_secret");
  }
  return Status::Unavailable(
      "zoom_unavailable",
      "Zoom could not be asked whether it accepts the app (" + s.message() +
          "); nothing was stored: try again");
}

cJSON* CheckJson(const ZoomCheckResult& result) {
  return cJSON_Parse(ZoomCheckToJson(result).c_str());
}

// The OAuth app's ids and the redirect URL to enter at Zoom (shown before
// an app is stored too: the admin needs it to create one).
Status AddOAuthJson(const ZoomRoutesDeps& deps, cJSON* root) {
  OAuthApp app;
  bool configured = false;
  Status s = LoadOAuthAppIds(deps.store, &app, &configured);
  if (!s.ok()) return s;
  cJSON* oauth = cJSON_AddObjectToObject(root, "oauth");
  cJSON_AddBoolToObject(oauth, "configured", configured);
  cJSON_AddStringToObject(oauth, "client_id", app.client_id.c_str());
  cJSON_AddStringToObject(oauth, "redirect_url",
                          OAuthRedirectUrl(deps.public_url, app).c_str());
  // Whom forgetting the app would disconnect: every doctor with a grant,
  // whatever its state.
  std::vector<DoctorGrant> grants;
  s = deps.store->ListGrants(&grants);
  cJSON* connected = cJSON_AddArrayToObject(oauth, "connected_doctors");
  for (const DoctorGrant& grant : grants) {
    cJSON_AddItemToArray(connected,
                         cJSON_CreateString(grant.doctor_id.c_str()));
  }
  return s;
}

// GET /admin/api/zoom's body, also the answer to a save.
Status RenderZoom(const ZoomRoutesDeps& deps, std::string* body) {
  Store* store = deps.store;
  S2sCredentials ids;
  bool configured = false;
  ZoomCheckResult last;
  bool tested = false;
  Status s = LoadS2sAppIds(store, &ids, &configured);
  if (s.ok()) s = LoadCurrentZoomCheck(store, store, &last, &tested);
  if (!s.ok()) return s;
  CjsonPtr root(cJSON_CreateObject());
  cJSON* s2s = cJSON_AddObjectToObject(root.get(), "s2s");
  cJSON_AddBoolToObject(s2s, "configured", configured);
  cJSON_AddStringToObject(s2s, "account_id", ids.account_id.c_str());
  cJSON_AddStringToObject(s2s, "client_id", ids.client_id.c_str());
  s = AddOAuthJson(deps, root.get());
  if (!s.ok()) return s;
  cJSON_AddItemToObject(root.get(), "last_test",
                        tested ? CheckJson(last) : cJSON_CreateNull());
  *body = PrintJson(root.get());
  return Status::OK();
}

void GetZoom(const ZoomRoutesDeps& deps, httplib::Response* res) {
  std::string body;
  Status s = RenderZoom(deps, &body);
  if (!s.ok()) return WriteFailure(s, "reading the Zoom app", deps.logger, res);
  WriteJson(200, body, res);
}

// A daemon that runs with a secret key other than the one the database's
// secrets are sealed under (ZoomSession::key_refused) must not seal a new
// app under it: the other processes could not open it.
Status CheckKeyUsable(const ZoomRoutesDeps& deps) {
  ZoomFailure failure = ZoomFailure::kNone;
  Status usable = deps.tokens->CheckUsable(&failure);
  if (failure != ZoomFailure::kKeyMismatch) return Status::OK();
  return Status::Conflict("secret_key_mismatch",
                          usable.message() + "; nothing was stored");
}

void PutS2s(const ZoomRoutesDeps& deps, const AdminRequest& request,
            httplib::Response* res) {
  ScopedCredentials credentials;
  Status s = ReadCredentials(*request.http, &credentials.value);
  if (s.ok()) s = CheckKeyUsable(deps);
  if (s.ok()) s = CheckWithZoom(deps, credentials.value);
  // A refusal, Zoom's included (unreachable: 503), is the answer as it is.
  if (!s.ok()) return WriteError(s, res);
  s = StoreS2sApp(deps.store, *deps.box, credentials.value, ZoomEndpoints(),
                  nullptr);
  std::string body;
  if (s.ok()) s = RenderZoom(deps, &body);
  if (!s.ok()) return WriteFailure(s, "saving the Zoom app", deps.logger, res);
  deps.audit->Record(audit_action::kZoomAppSaved, request.address,
                     "account " + credentials.value.account_id + ", client " +
                         credentials.value.client_id);
  WriteJson(200, body, res);
}

// Stored as `zoom oauth-app` stores it. Zoom cannot check a user OAuth app
// until a doctor connects, so nothing is asked; a redirect URL stored by
// the CLI (--redirect-url) is kept.
void PutOAuthApp(const ZoomRoutesDeps& deps, const AdminRequest& request,
                 httplib::Response* res) {
  ScopedOAuthApp app;
  Status s = ReadOAuthApp(*request.http, &app.value);
  if (s.ok()) s = CheckKeyUsable(deps);
  if (!s.ok()) return WriteError(s, res);
  OAuthApp stored;
  bool configured = false;
  s = LoadOAuthAppIds(deps.store, &stored, &configured);
  app.value.redirect_url = stored.redirect_url;
  if (s.ok()) s = SaveOAuthApp(deps.store, *deps.box, app.value);
  if (s.ok()) s = BumpZoomConfigVersion(deps.store);
  std::string body;
  if (s.ok()) s = RenderZoom(deps, &body);
  if (!s.ok()) {
    return WriteFailure(s, "saving the OAuth app", deps.logger, res);
  }
  deps.audit->Record(audit_action::kOAuthAppSaved, request.address,
                     "client " + app.value.client_id);
  WriteJson(200, body, res);
}

void DeleteS2s(const ZoomRoutesDeps& deps, const AdminRequest& request,
               httplib::Response* res) {
  Status s = ForgetS2sApp(deps.store);
  if (!s.ok()) {
    return WriteFailure(s, "forgetting the Zoom app", deps.logger, res);
  }
  deps.audit->Record(audit_action::kZoomAppForgotten, request.address, "");
  res->status = 204;
}

// As `zoom oauth-app --forget`; ?disconnect_doctors=true is its --force.
void DeleteOAuthApp(const ZoomRoutesDeps& deps, const AdminRequest& request,
                    httplib::Response* res) {
  const std::string force = request.http->get_param_value("disconnect_doctors");
  if (!force.empty() && force != "true" && force != "false") {
    return WriteError(Status::Validation("invalid_value",
                                         "disconnect_doctors must be true or "
                                         "false",
                                         "disconnect_doctors"),
                      res);
  }
  ForgottenOAuthApp forgotten;
  Status s = ForgetOAuthApp(deps.store, force == "true", &forgotten);
  if (s.code() == Status::Code::kConflict) return WriteError(s, res);
  if (!s.ok()) {
    return WriteFailure(s, "forgetting the OAuth app", deps.logger, res);
  }
  CjsonPtr root(cJSON_CreateObject());
  cJSON* list = cJSON_AddArrayToObject(root.get(), "disconnected");
  std::string detail;
  for (const std::string& id : forgotten.disconnected) {
    cJSON_AddItemToArray(list, cJSON_CreateString(id.c_str()));
    detail += (detail.empty() ? "disconnected " : ", ") + id;
  }
  deps.audit->Record(audit_action::kOAuthAppForgotten, request.address, detail);
  WriteJson(200, PrintJson(root.get()), res);
}

void PostTest(const ZoomRoutesDeps& deps, httplib::Response* res) {
  ZoomCheckResult result;
  Status s = TestS2sApp(deps.store, deps.tokens, deps.api, deps.clock, &result,
                        nullptr);
  // The doctors' own connections join the answer, not the stored verdict
  // (zoom/grant_check.h).
  std::vector<ZoomCheckItem> grants;
  if (s.ok() && deps.doctors != nullptr) {
    s = CheckDoctorGrants(deps.store, deps.store, deps.doctors, &grants);
  }
  if (!s.ok()) return WriteFailure(s, "testing Zoom", deps.logger, res);
  for (ZoomCheckItem& item : grants) {
    result.ok = result.ok && item.ok;
    result.items.push_back(std::move(item));
  }
  WriteJson(200, ZoomCheckToJson(result), res);
}

void GetUsers(const ZoomRoutesDeps& deps, httplib::Response* res) {
  bool available = false;
  std::vector<ZoomUser> users;
  Status s = deps.users->Get(&available, &users);
  if (!s.ok()) return WriteFailure(s, "listing Zoom users", deps.logger, res);
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddBoolToObject(root.get(), "available", available);
  cJSON* list = cJSON_AddArrayToObject(root.get(), "users");
  for (const ZoomUser& user : users) {
    cJSON* entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "id", user.id.c_str());
    cJSON_AddStringToObject(entry, "email", user.email.c_str());
    cJSON_AddStringToObject(entry, "name", user.display_name.c_str());
    cJSON_AddItemToArray(list, entry);
  }
  WriteJson(200, PrintJson(root.get()), res);
}

}  // namespace

void AddZoomRoutes(const ZoomRoutesDeps& deps, AdminRouter* router) {
  router->Handle("GET", "/admin/api/zoom", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   GetZoom(deps, res);
                 });
  router->Handle("PUT", "/admin/api/zoom/s2s", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   PutS2s(deps, request, res);
                 });
  router->Handle("PUT", "/admin/api/zoom/oauth-app", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   PutOAuthApp(deps, request, res);
                 });
  router->Handle("DELETE", "/admin/api/zoom/s2s", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   DeleteS2s(deps, request, res);
                 });
  router->Handle("DELETE", "/admin/api/zoom/oauth-app", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   DeleteOAuthApp(deps, request, res);
                 });
  router->Handle("POST", "/admin/api/zoom/test", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   PostTest(deps, res);
                 });
  router->Handle("GET", "/admin/api/zoom/users", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   GetUsers(deps, res);
                 });
}

}  // namespace web
}  // namespace telemed
