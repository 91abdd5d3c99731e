#include "api/status_report.h"

#include <vector>

#include "base/cjson.h"
#include "base/clock.h"
#include "build_config.h"
#include "store/store.h"
#include "sync/queue_summary.h"
#include "zoom/zoom_check.h"

namespace telemed {

namespace {

Status AddZoom(ClinicRecords* records, SettingsStore* settings, cJSON* root) {
  ZoomCheckResult check;
  bool found = false;
  Status s = LoadCurrentZoomCheck(records, settings, &check, &found);
  if (!s.ok()) return s;
  cJSON* zoom =
      found ? cJSON_Parse(ZoomCheckToJson(check).c_str()) : cJSON_CreateNull();
  cJSON_AddItemToObject(root, "zoom", zoom);
  return Status::OK();
}

Status AddQuota(ClinicRecords* records, SyncQueue* sync_queue, int64_t now,
                cJSON* root) {
  std::vector<DoctorWrites> writes;
  Status s = CountWritesToday(records, sync_queue, now, &writes);
  if (!s.ok()) return s;
  cJSON* quota = cJSON_AddArrayToObject(root, "quota");
  for (const DoctorWrites& entry : writes) {
    cJSON* item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "doctor_id", entry.doctor.id.c_str());
    cJSON_AddStringToObject(item, "zoom_user", entry.doctor.zoom_user.c_str());
    cJSON_AddNumberToObject(item, "creates_and_updates_today",
                            entry.writes_today);
    cJSON_AddNumberToObject(item, "limit", entry.limit);
    cJSON_AddItemToArray(quota, item);
  }
  return Status::OK();
}

void AddOAuthDoctor(const OAuthDoctorWrites& entry, cJSON* list) {
  cJSON* item = cJSON_CreateObject();
  cJSON_AddStringToObject(item, "doctor_id", entry.doctor.id.c_str());
  cJSON_AddStringToObject(item, "state", entry.state.c_str());
  if (entry.zoom_email.empty()) {
    cJSON_AddNullToObject(item, "zoom_email");
  } else {
    cJSON_AddStringToObject(item, "zoom_email", entry.zoom_email.c_str());
  }
  cJSON_AddNumberToObject(item, "creates_and_updates_today",
                          entry.writes_today);
  cJSON_AddNumberToObject(item, "limit", entry.limit);
  cJSON_AddItemToArray(list, item);
}

// The OAuth doctors that wait for someone: not connected (also while a
// disconnect finishes its deletions: no new work is done for them, and
// their appointments wait as doctor_not_connected), or their grant refused
// by Zoom.
void AddCannotSync(const OAuthDoctorWrites& entry, cJSON* list) {
  const bool reconnect = entry.state == "reconnect_needed";
  if (entry.state == "connected") return;
  cJSON* item = cJSON_CreateObject();
  cJSON_AddStringToObject(item, "doctor_id", entry.doctor.id.c_str());
  cJSON_AddStringToObject(
      item, "reason",
      reconnect ? "doctor_reconnect_needed" : "doctor_not_connected");
  cJSON_AddStringToObject(
      item, "message",
      reconnect ? kOauthDoctorMustReconnect : kOauthDoctorCannotSync);
  cJSON_AddItemToArray(list, item);
}

// Read live from the doctors and their grants, so a doctor registered or
// connected since the last Zoom check shows at once.
Status AddOAuthDoctors(ClinicRecords* records, DoctorGrants* grants,
                       SyncQueue* sync_queue, int64_t now, cJSON* root) {
  std::vector<OAuthDoctorWrites> doctors;
  Status s = CountOAuthDoctors(records, grants, sync_queue, now, &doctors);
  if (!s.ok()) return s;
  cJSON* cannot = cJSON_AddArrayToObject(root, "doctors_cannot_sync");
  cJSON* all = cJSON_AddArrayToObject(root, "oauth_doctors");
  for (const OAuthDoctorWrites& entry : doctors) {
    AddCannotSync(entry, cannot);
    AddOAuthDoctor(entry, all);
  }
  return Status::OK();
}

}  // namespace

Status RenderStatusReport(Store* store, const Clock* clock, std::string* body) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "version", TELEMED_VERSION);
  const int64_t now = clock->NowSeconds();
  Status s = AddZoom(store, store, root.get());
  if (s.ok()) s = AddQueueJson(store, now, root.get());
  if (s.ok()) s = AddQuota(store, store, now, root.get());
  if (s.ok()) s = AddOAuthDoctors(store, store, store, now, root.get());
  if (!s.ok()) return s;
  *body = PrintJson(root.get());
  return Status::OK();
}

}  // namespace telemed
