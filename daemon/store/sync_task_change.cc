// ChangeSyncTask's loop: compute on the task as read, commit while it is
// unchanged, else compute again on the fresh one.
#include "store/sync_task_change.h"

#include "store/rows.h"

namespace telemed {

namespace {

// Each round follows a write that landed between a read and a commit; a
// clinic that writes one appointment this often is not a real one.
constexpr int kMaxRounds = 16;

}  // namespace

Status ChangeSyncTask(SyncQueue* store, const SyncTask& read,
                      const SyncChange& change, SyncTask* after) {
  // A copy: `after` may be `read`.
  const std::string id = read.appointment.request.id;
  SyncTaskWrite write{read, read};
  for (int round = 0; round < kMaxRounds; ++round) {
    change(&write.next, round > 0);
    SyncWriteResult result = SyncWriteResult::kGone;
    SyncTask current;
    Status s = store->CommitSyncTask(write, &result, &current);
    if (!s.ok()) return s;
    if (result == SyncWriteResult::kGone) return AppointmentNotFound(id);
    if (result == SyncWriteResult::kStored) {
      if (after != nullptr) *after = std::move(current);
      return s;
    }
    write.read = current;
    write.next = std::move(current);
  }
  return Status::Conflict("sync_task_busy",
                          "appointment " + id + " kept changing");
}

Status ChangeSyncTask(SyncQueue* store, const std::string& id,
                      const SyncChange& change, SyncTask* after) {
  SyncTask read;
  Status s = store->GetSyncTask(id, &read);
  return s.ok() ? ChangeSyncTask(store, read, change, after) : s;
}

}  // namespace telemed
