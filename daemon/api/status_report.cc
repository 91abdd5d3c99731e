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

Status AddZoom(SettingsStore* settings, cJSON* root) {
  ZoomCheckResult check;
  bool found = false;
  Status s = LoadZoomCheck(settings, &check, &found);
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

// Read live from the doctors, so a doctor registered since the last Zoom
// check shows at once.
Status AddDoctorsThatCannotSync(ClinicRecords* records, DoctorGrants* grants,
                                cJSON* root) {
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  if (!s.ok()) return s;
  cJSON* list = cJSON_AddArrayToObject(root, "doctors_cannot_sync");
  for (const Doctor& doctor : doctors) {
    if (doctor.auth != AuthMode::kOauth) continue;
    DoctorGrant grant;
    bool found = false;
    s = grants->GetGrant(doctor.id, &grant, &found);
    if (!s.ok()) return s;
    if (found && grant.state == GrantState::kConnected) continue;
    const bool reconnect = found && grant.state == GrantState::kReconnectNeeded;
    cJSON* entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "doctor_id", doctor.id.c_str());
    cJSON_AddStringToObject(
        entry, "reason",
        reconnect ? "doctor_reconnect_needed" : "doctor_not_connected");
    cJSON_AddStringToObject(
        entry, "message",
        reconnect ? kOauthDoctorMustReconnect : kOauthDoctorCannotSync);
    cJSON_AddItemToArray(list, entry);
  }
  return Status::OK();
}

}  // namespace

Status RenderStatusReport(Store* store, const Clock* clock, std::string* body) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON_AddStringToObject(root.get(), "version", TELEMED_VERSION);
  const int64_t now = clock->NowSeconds();
  Status s = AddZoom(store, root.get());
  if (s.ok()) s = AddQueueJson(store, now, root.get());
  if (s.ok()) s = AddQuota(store, store, now, root.get());
  if (s.ok()) s = AddDoctorsThatCannotSync(store, store, root.get());
  if (!s.ok()) return s;
  *body = PrintJson(root.get());
  return Status::OK();
}

}  // namespace telemed
