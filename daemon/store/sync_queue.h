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
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sync_records.h"

namespace telemed {

// Runs inside a write transaction on the current state of one appointment
// (see SyncQueue::UpdateSyncTask). It must not do I/O or block.
using SyncUpdate = std::function<Status(SyncTask* task)>;

// One entry of SyncQueue::UpdateSyncTasks.
struct SyncTaskUpdate {
  std::string id;
  SyncUpdate update;
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
  // Runs `update` on the appointment's current task inside one write
  // transaction and stores what it changed of sync_status, meeting, error
  // and zoom (never the clinic's fields), plus task->queue_deletions.
  // revision, updated_at and the feed move only when sync_status, meeting
  // or error.code changed. An error from `update` rolls everything back and
  // is returned. *after (may be null) receives the stored task.
  virtual Status UpdateSyncTask(const std::string& id, const SyncUpdate& update,
                                SyncTask* after) = 0;
  // UpdateSyncTask for many appointments in one transaction (one commit,
  // one disk sync, where the engine settles many tasks alike). Each update
  // is undone alone when it fails: (*results)[i] receives its status. The
  // returned status is the transaction's; when it is not OK nothing of the
  // batch was stored.
  virtual Status UpdateSyncTasks(const std::vector<SyncTaskUpdate>& updates,
                                 std::vector<Status>* results) = 0;
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
