// SyncQueue: the store's role for the Zoom sync engine's work
// (docs/sync.md): each appointment's hidden Zoom state and whether it is
// due, the queue of meetings to delete, and the count of Zoom writes per
// host and day that the daily limit is enforced on.
//
// A clinic change to an appointment (put, cancel) sets its needs_work and
// next_attempt_at = 0; a doctor change does the same for every appointment
// of that doctor that has not ended.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_SYNC_QUEUE_H_
#define TELEMED_STORE_SYNC_QUEUE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sync_records.h"

namespace telemed {

// One optimistic write of an appointment's sync state (see
// SyncQueue::CommitSyncTask): plain data, computed by the caller outside any
// transaction (store/sync_task_change.h has the read-compute-commit loop).
struct SyncTaskWrite {
  // The task as the caller read it (ListDueSyncTasks, GetSyncTask, or the
  // *current of an earlier commit); its appointment id names the row.
  SyncTask read;
  // `read` with the new sync state (and queue_deletions, count_write_*).
  SyncTask next;
};

// What SyncQueue::CommitSyncTask did with one write.
enum class SyncWriteResult {
  kStored,   // next is stored (or equalled what was stored)
  kChanged,  // the task changed since `read`: nothing stored
  kGone,     // the appointment no longer exists: nothing stored
};

class SyncQueue {
 public:
  // Appointments with needs_work and next_attempt_at <= now, earliest due
  // first, at most `limit`, skipping ids in `exclude` (those in flight).
  virtual Status ListDueSyncTasks(int64_t now, int limit,
                                  const std::vector<std::string>& exclude,
                                  std::vector<SyncTask>* out) = 0;
  // The earliest next_attempt_at among appointments with needs_work and
  // among queued deletions; *has_any false when there is none.
  virtual Status NextSyncDeadline(int64_t* when, bool* has_any) = 0;
  // NotFound("appointment_not_found") when unknown.
  virtual Status GetSyncTask(const std::string& id, SyncTask* out) = 0;
  // Stores write.next's sync_status, meeting, error and zoom (never the
  // clinic's fields), plus next.queue_deletions and next's write count,
  // in one transaction, but only while the stored task still equals
  // write.read (the clinic's fields, the doctor, the sync state): a clinic
  // change, a doctor change or a requeue made since the read is never
  // overwritten; the caller computes again from the fresh task (*current).
  // revision, updated_at and the feed move only when sync_status, meeting
  // or error.code changed. *current (may be null) receives the task as
  // stored after the call (kStored, kChanged).
  virtual Status CommitSyncTask(const SyncTaskWrite& write,
                                SyncWriteResult* result, SyncTask* current) = 0;
  // CommitSyncTask for many appointments in one transaction (one commit,
  // one disk sync, where the engine settles many tasks alike):
  // (*results)[i] tells what became of writes[i]. The returned status is
  // the transaction's; when it is not OK nothing of the batch was stored.
  virtual Status CommitSyncTasks(const std::vector<SyncTaskWrite>& writes,
                                 std::vector<SyncWriteResult>* results) = 0;
  // Makes the appointment due now (needs_work, attempts 0) and its meeting
  // due a read-back from Zoom (checked_at 0): POST .../retry.
  virtual Status RequeueAppointment(const std::string& id) = 0;
  // Makes every failed appointment due now (credentials or scopes changed).
  // *count receives how many.
  virtual Status RequeueFailed(int* count) = 0;

  // The deletion queue: due entries (earliest first, at most `limit`,
  // skipping meeting ids in `exclude`); completion removes the entry;
  // rescheduling stores attempts, next_attempt_at and last_error.
  virtual Status ListDueDeletions(int64_t now, int limit,
                                  const std::vector<std::string>& exclude,
                                  std::vector<PendingDeletion>* out) = 0;
  virtual Status CompleteDeletion(const std::string& meeting_id) = 0;
  virtual Status RescheduleDeletion(const PendingDeletion& deletion) = 0;
  // Appointments whose sync_status is pending / failed, and queued
  // deletions (for GET /api/v1/status).
  virtual Status CountSyncQueue(int* pending, int* failed, int* deletions) = 0;

  // Create+update calls made to Zoom per host and UTC day (day = unix
  // seconds / 86400). AddZoomWrite adds one and returns the new count.
  virtual Status AddZoomWrite(const std::string& host, int64_t utc_day,
                              int* count) = 0;
  virtual Status GetZoomWrites(const std::string& host, int64_t utc_day,
                               int* count) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~SyncQueue() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_SYNC_QUEUE_H_
