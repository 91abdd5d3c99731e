#include "web/key_routes.h"

#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/time_format.h"
#include "http/json_reply.h"
#include "store/api_key_store.h"
#include "web/admin_audit.h"
#include "web/json_body.h"

namespace telemed {
namespace web {

namespace {

cJSON* KeyToJson(const ApiKeyInfo& key) {
  cJSON* object = cJSON_CreateObject();
  cJSON_AddStringToObject(object, "id", key.name.c_str());
  cJSON_AddStringToObject(object, "name", key.name.c_str());
  cJSON_AddStringToObject(object, "created_at",
                          FormatRfc3339Utc(key.created_at).c_str());
  if (key.last_used_at == 0) {
    cJSON_AddNullToObject(object, "last_used_at");
  } else {
    cJSON_AddStringToObject(object, "last_used_at",
                            FormatRfc3339Utc(key.last_used_at).c_str());
  }
  return object;
}

// The active key `name` (the store lists revoked ones too).
Status FindActiveKey(ApiKeyStore* keys, const std::string& name,
                     ApiKeyInfo* out) {
  std::vector<ApiKeyInfo> all;
  Status s = keys->ListApiKeys(&all);
  if (!s.ok()) return s;
  for (const ApiKeyInfo& key : all) {
    if (key.revoked_at == 0 && key.name == name) {
      *out = key;
      return Status::OK();
    }
  }
  return Status::NotFound("not_found", "no active API key " + name);
}

void ListKeys(const KeyRoutesDeps& deps, httplib::Response* res) {
  std::vector<ApiKeyInfo> all;
  Status s = deps.keys->ListApiKeys(&all);
  if (!s.ok()) return WriteError(s, res);
  CjsonPtr root(cJSON_CreateObject());
  cJSON* list = cJSON_AddArrayToObject(root.get(), "keys");
  for (const ApiKeyInfo& key : all) {
    if (key.revoked_at == 0) cJSON_AddItemToArray(list, KeyToJson(key));
  }
  WriteJson(200, PrintJson(root.get()), res);
}

void CreateKey(const KeyRoutesDeps& deps, const AdminRequest& request,
               httplib::Response* res) {
  std::string name;
  std::string secret;
  ApiKeyInfo created;
  Status s = ReadBodyString(request.http->body, "name", &name);
  if (s.ok()) s = deps.keys->CreateApiKey(name, deps.random, &secret);
  if (s.ok()) s = FindActiveKey(deps.keys, name, &created);
  if (!s.ok()) return WriteError(s, res);
  // The name only: the key itself is never recorded anywhere but here.
  deps.audit->Record(audit_action::kKeyCreated, request.address, "key " + name);
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddItemToObject(root.get(), "key", KeyToJson(created));
  cJSON_AddStringToObject(root.get(), "secret", secret.c_str());
  WriteJson(201, PrintJson(root.get()), res);
}

void RevokeKey(const KeyRoutesDeps& deps, const AdminRequest& request,
               httplib::Response* res) {
  const std::string& name = request.params[0];
  Status s = deps.keys->RevokeApiKey(name);
  if (s.IsNotFound()) {
    s = Status::NotFound("not_found", "no active API key " + name);
  }
  if (!s.ok()) return WriteError(s, res);
  deps.audit->Record(audit_action::kKeyRevoked, request.address, "key " + name);
  res->status = 204;
  res->set_header("Cache-Control", "no-store");
}

}  // namespace

void AddKeyRoutes(const KeyRoutesDeps& deps, AdminRouter* router) {
  router->Handle("GET", "/admin/api/keys", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   ListKeys(deps, res);
                 });
  router->Handle("POST", "/admin/api/keys", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   CreateKey(deps, request, res);
                 });
  router->Handle("DELETE", "/admin/api/keys/{id}", Access::kSession,
                 [deps](const AdminRequest& request, httplib::Response* res) {
                   RevokeKey(deps, request, res);
                 });
}

}  // namespace web
}  // namespace telemed
