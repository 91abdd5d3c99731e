#include "web/overview_routes.h"

#include <vector>

#include "base/cjson.h"
#include "base/clock.h"
#include "build_config.h"
#include "http/json_reply.h"
#include "store/store.h"
#include "sync/queue_summary.h"
#include "web/route_support.h"
#include "zoom/grant_check.h"
#include "zoom/s2s_token_source.h"
#include "zoom/zoom_check.h"

namespace telemed {
namespace web {

namespace {

constexpr int64_t kDaySeconds = 86400;

// The OAuth doctors someone must act for (each connects their own Zoom
// account): [{"id","state"}], state "not_connected" or "reconnect_needed".
Status AddDoctorsToConnect(Store* store, cJSON* zoom) {
  std::vector<OAuthDoctor> doctors;
  Status s = ListOAuthDoctors(store, store, &doctors);
  if (!s.ok()) return s;
  cJSON* list = cJSON_AddArrayToObject(zoom, "doctors_to_connect");
  for (const OAuthDoctor& entry : doctors) {
    const bool reconnect = entry.connected_once &&
                           entry.grant.state == GrantState::kReconnectNeeded;
    if (entry.connected_once && !reconnect) continue;
    cJSON* item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "id", entry.doctor.id.c_str());
    cJSON_AddStringToObject(item, "state",
                            reconnect ? "reconnect_needed" : "not_connected");
    cJSON_AddItemToArray(list, item);
  }
  return Status::OK();
}

// From the last stored check (`zoom test`, the daemon's periodic check).
Status AddZoom(Store* store, cJSON* root) {
  S2sCredentials ids;
  bool configured = false;
  ZoomCheckResult check;
  bool found = false;
  Status s = LoadS2sAppIds(store, &ids, &configured);
  if (s.ok()) s = LoadCurrentZoomCheck(store, store, &check, &found);
  if (!s.ok()) return s;
  cJSON* zoom = cJSON_AddObjectToObject(root, "zoom");
  cJSON_AddBoolToObject(zoom, "configured", configured);
  // Before any check ran, a missing app counts as needed.
  cJSON_AddBoolToObject(zoom, "s2s_app_needed", !found || check.s2s_app_needed);
  cJSON_AddItemToObject(zoom, "checked_at",
                        TimeOrNull(found ? check.checked_at : 0));
  cJSON_AddBoolToObject(zoom, "ok", found && check.ok);
  cJSON* missing = cJSON_AddArrayToObject(zoom, "missing_scopes");
  for (const std::string& scope : check.missing_scopes) {
    cJSON_AddItemToArray(missing, cJSON_CreateString(scope.c_str()));
  }
  return AddDoctorsToConnect(store, zoom);
}

Status AddDoctors(Store* store, int64_t now, cJSON* root) {
  std::vector<DoctorWrites> writes;
  Status s = CountWritesToday(store, store, now, &writes);
  if (!s.ok()) return s;
  cJSON* list = cJSON_AddArrayToObject(root, "doctors");
  for (const DoctorWrites& entry : writes) {
    cJSON* item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "id", entry.doctor.id.c_str());
    cJSON_AddStringToObject(item, "name", entry.doctor.name.c_str());
    cJSON_AddNumberToObject(item, "writes_today", entry.writes_today);
    cJSON_AddNumberToObject(item, "write_limit", entry.limit);
    cJSON_AddItemToArray(list, item);
  }
  return Status::OK();
}

// Whole days left, rounded down; negative once expired.
int64_t DaysLeft(int64_t not_after, int64_t now) {
  const int64_t left = not_after - now;
  return left >= 0 ? left / kDaySeconds
                   : -((-left + kDaySeconds - 1) / kDaySeconds);
}

void AddCertificate(const OverviewDeps& deps, int64_t now, cJSON* root) {
  CertificateSummary certificate;
  if (!deps.certificate || !deps.certificate(&certificate)) {
    cJSON_AddNullToObject(root, "certificate");
    return;
  }
  cJSON* item = cJSON_AddObjectToObject(root, "certificate");
  cJSON_AddStringToObject(item, "fingerprint_sha256",
                          certificate.fingerprint_sha256.c_str());
  cJSON_AddItemToObject(item, "not_after", TimeOrNull(certificate.not_after));
  cJSON_AddBoolToObject(item, "imported", certificate.imported);
  cJSON_AddNumberToObject(
      item, "expires_in_days",
      static_cast<double>(DaysLeft(certificate.not_after, now)));
}

void GetOverview(const OverviewDeps& deps, httplib::Response* res) {
  const int64_t now = deps.clock->NowSeconds();
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "version", TELEMED_VERSION);
  cJSON_AddNumberToObject(
      root.get(), "uptime_s",
      static_cast<double>(now > deps.started_at ? now - deps.started_at : 0));
  Status s = AddZoom(deps.store, root.get());
  if (s.ok()) s = AddQueueJson(deps.store, now, root.get());
  if (s.ok()) s = AddDoctors(deps.store, now, root.get());
  if (!s.ok()) return WriteFailure(s, "reading the overview", deps.logger, res);
  AddCertificate(deps, now, root.get());
  WriteJson(200, PrintJson(root.get()), res);
}

}  // namespace

void AddOverviewRoutes(const OverviewDeps& deps, AdminRouter* router) {
  router->Handle("GET", "/admin/api/overview", Access::kSession,
                 [deps](const AdminRequest&, httplib::Response* res) {
                   GetOverview(deps, res);
                 });
}

}  // namespace web
}  // namespace telemed
