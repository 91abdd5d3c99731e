#include "api/status_report.h"

#include <algorithm>
#include <vector>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/time_format.h"
#include "build_config.h"
#include "store/store.h"
#include "zoom/rate_limiter.h"
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

// Work that is already due (a fresh PUT is due at 0) reads as due now.
Status AddQueue(SyncQueue* sync_queue, int64_t now, cJSON* root) {
  int pending = 0, failed = 0, deletions = 0;
  int64_t next = 0;
  bool has_next = false;
  Status s = sync_queue->CountSyncQueue(&pending, &failed, &deletions);
  if (s.ok()) s = sync_queue->NextSyncDeadline(&next, &has_next);
  if (!s.ok()) return s;
  cJSON* queue = cJSON_AddObjectToObject(root, "queue");
  cJSON_AddNumberToObject(queue, "pending", pending);
  cJSON_AddNumberToObject(queue, "failed", failed);
  cJSON_AddNumberToObject(queue, "deletions_pending", deletions);
  cJSON_AddItemToObject(
      queue, "next_attempt_at",
      has_next
          ? cJSON_CreateString(FormatRfc3339Utc(std::max(next, now)).c_str())
          : cJSON_CreateNull());
  return Status::OK();
}

Status AddQuotaEntry(SyncQueue* sync_queue, const Doctor& doctor,
                     int64_t utc_day, cJSON* quota) {
  int count = 0;
  Status s = sync_queue->GetZoomWrites(doctor.zoom_user, utc_day, &count);
  if (!s.ok()) return s;
  cJSON* entry = cJSON_CreateObject();
  cJSON_AddStringToObject(entry, "doctor_id", doctor.id.c_str());
  cJSON_AddStringToObject(entry, "zoom_user", doctor.zoom_user.c_str());
  cJSON_AddNumberToObject(entry, "creates_and_updates_today", count);
  cJSON_AddNumberToObject(entry, "limit", kZoomDailyWriteLimit);
  cJSON_AddItemToArray(quota, entry);
  return Status::OK();
}

// The engine counts writes per host (the S2S doctor's zoom_user).
Status AddQuota(ClinicRecords* records, SyncQueue* sync_queue, int64_t now,
                cJSON* root) {
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  cJSON* quota = cJSON_AddArrayToObject(root, "quota");
  for (const Doctor& doctor : doctors) {
    if (!s.ok()) break;
    if (doctor.auth != AuthMode::kS2s) continue;
    s = AddQuotaEntry(sync_queue, doctor, now / 86400, quota);
  }
  return s;
}

// Read live from the doctors, so a doctor registered since the last Zoom
// check shows at once.
Status AddDoctorsThatCannotSync(ClinicRecords* records, cJSON* root) {
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  if (!s.ok()) return s;
  cJSON* list = cJSON_AddArrayToObject(root, "doctors_cannot_sync");
  for (const Doctor& doctor : doctors) {
    if (doctor.auth != AuthMode::kOauth) continue;
    cJSON* entry = cJSON_CreateObject();
    cJSON_AddStringToObject(entry, "doctor_id", doctor.id.c_str());
    cJSON_AddStringToObject(entry, "reason", "oauth_not_supported");
    cJSON_AddStringToObject(entry, "message", kOauthDoctorCannotSync);
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
  if (s.ok()) s = AddQueue(store, now, root.get());
  if (s.ok()) s = AddQuota(store, store, now, root.get());
  if (s.ok()) s = AddDoctorsThatCannotSync(store, root.get());
  if (!s.ok()) return s;
  *body = PrintJson(root.get());
  return Status::OK();
}

}  // namespace telemed
