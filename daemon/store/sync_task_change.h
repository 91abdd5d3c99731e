// ChangeSyncTask: the read-compute-commit loop over SyncQueue::CommitSyncTask.
// The caller's change runs outside any transaction, on the task as read;
// when the appointment changed meanwhile (the clinic, a doctor change, a
// requeue), it runs again on the fresh task, so no change is ever lost and
// the write lock is held for SQL alone.
#ifndef TELEMED_STORE_SYNC_TASK_CHANGE_H_
#define TELEMED_STORE_SYNC_TASK_CHANGE_H_

#include <functional>
#include <string>

#include "base/status.h"
#include "store/sync_queue.h"
#include "store/sync_records.h"

namespace telemed {

// Computes a task's next sync state in place. `changed` is false on the
// task as the caller read it and true on one re-read because it changed
// since (a plan made on the read task may no longer hold). It may run
// several times; only the last run's result is stored.
using SyncChange = std::function<void(SyncTask* task, bool changed)>;

// Applies `change` to `read` and commits the result while the stored task
// is still `read`; otherwise applies it again to the fresh task. Returns
// NotFound("appointment_not_found") when the appointment is gone (nothing
// stored), Conflict("sync_task_busy") when it kept changing. *after (may
// be null) receives the stored task.
Status ChangeSyncTask(SyncQueue* store, const SyncTask& read,
                      const SyncChange& change, SyncTask* after);
// The same, reading the task `id` first.
Status ChangeSyncTask(SyncQueue* store, const std::string& id,
                      const SyncChange& change, SyncTask* after);

}  // namespace telemed

#endif  // TELEMED_STORE_SYNC_TASK_CHANGE_H_
