#include "sync/queue_summary.h"

#include <algorithm>

#include "base/cjson.h"
#include "base/time_format.h"
#include "store/clinic_records.h"
#include "store/doctor_grants.h"
#include "store/sync_queue.h"
#include "sync/planner.h"
#include "zoom/grant_check.h"
#include "zoom/rate_limiter.h"

namespace telemed {

Status SummarizeQueue(SyncQueue* queue, int64_t now, QueueSummary* out) {
  *out = QueueSummary();
  int64_t next = 0;
  Status s = queue->CountSyncQueue(&out->pending, &out->failed,
                                   &out->deletions_pending);
  if (s.ok()) s = queue->NextSyncDeadline(&next, &out->has_next);
  if (s.ok() && out->has_next) out->next_attempt_at = std::max(next, now);
  return s;
}

Status AddQueueJson(SyncQueue* sync_queue, int64_t now, cJSON* object) {
  QueueSummary summary;
  Status s = SummarizeQueue(sync_queue, now, &summary);
  if (!s.ok()) return s;
  cJSON* queue = cJSON_AddObjectToObject(object, "queue");
  cJSON_AddNumberToObject(queue, "pending", summary.pending);
  cJSON_AddNumberToObject(queue, "failed", summary.failed);
  cJSON_AddNumberToObject(queue, "deletions_pending",
                          summary.deletions_pending);
  cJSON_AddItemToObject(
      queue, "next_attempt_at",
      summary.has_next ? cJSON_CreateString(
                             FormatRfc3339Utc(summary.next_attempt_at).c_str())
                       : cJSON_CreateNull());
  return Status::OK();
}

// The engine counts writes per host: the S2S doctor's zoom_user.
Status CountWritesToday(ClinicRecords* records, SyncQueue* queue, int64_t now,
                        std::vector<DoctorWrites>* out) {
  out->clear();
  std::vector<Doctor> doctors;
  Status s = records->ListDoctors(&doctors);
  for (Doctor& doctor : doctors) {
    if (!s.ok()) break;
    if (doctor.auth != AuthMode::kS2s) continue;
    DoctorWrites entry;
    s = queue->GetZoomWrites(doctor.zoom_user, now / 86400,
                             &entry.writes_today);
    entry.doctor = std::move(doctor);
    entry.limit = kZoomDailyWriteLimit;
    out->push_back(std::move(entry));
  }
  return s;
}

Status CountOAuthDoctors(ClinicRecords* records, DoctorGrants* grants,
                         SyncQueue* queue, int64_t now,
                         std::vector<OAuthDoctorWrites>* out) {
  out->clear();
  std::vector<OAuthDoctor> doctors;
  Status s = ListOAuthDoctors(records, grants, &doctors);
  for (OAuthDoctor& entry : doctors) {
    if (!s.ok()) break;
    OAuthDoctorWrites writes;
    s = queue->GetZoomWrites(DoctorHost(entry.doctor), now / 86400,
                             &writes.writes_today);
    writes.state = entry.connected_once ? GrantStateName(entry.grant.state)
                                        : "not_connected";
    writes.zoom_email = entry.grant.zoom_email;
    writes.doctor = std::move(entry.doctor);
    writes.limit = kZoomDailyWriteLimit;
    out->push_back(std::move(writes));
  }
  return s;
}

}  // namespace telemed
