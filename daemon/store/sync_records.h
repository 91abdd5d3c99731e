// The sync engine's records (docs/sync.md): what the bridge knows of an
// appointment's Zoom side beyond what the clinic sees, the unit of work the
// engine steps on, and the queue of meetings to delete. Plain values; the
// store owns their persistence. None of these fields is visible to the
// clinic, so changing them alone never moves revision or the feed.
#ifndef TELEMED_STORE_SYNC_RECORDS_H_
#define TELEMED_STORE_SYNC_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/records.h"

namespace telemed {

// The hidden Zoom state of one appointment ("actual" in docs/sync.md).
struct ZoomState {
  // A Zoom action is still owed (column zoom_action_pending): the engine
  // looks at the appointment once next_attempt_at has passed. Every clinic
  // change, a doctor change and a requeue set it.
  bool needs_work = true;
  // The Zoom user the meeting lives on; empty when there is no meeting.
  std::string meeting_host;
  // What Zoom last confirmed for the meeting (unix seconds, minutes, text),
  // compared with the clinic's fields to decide on a PATCH.
  int64_t synced_start_time = 0;
  int synced_duration = 0;  // minutes
  std::string synced_topic;
  std::string synced_timezone;
  // Exactly-once creates: the generation of the latest create attempt (its
  // agenda marker derives from it) and whether its outcome is unknown.
  int64_t create_generation = 0;
  bool create_in_doubt = false;
  // Consecutive failed attempts (for backoff) and when to look again (unix
  // seconds; 0 = now).
  int attempts = 0;
  int64_t next_attempt_at = 0;
  // When the meeting was last read back from Zoom (drift check); 0 = never.
  int64_t checked_at = 0;
  // A note kept beside a synced meeting, e.g. Zoom refused the timezone.
  std::string warning;
  // Follow-up sweeps after a look-up found no meeting from a doubtful
  // create: Zoom may still act on that request later (docs/sync.md,
  // "Exactly once"). When the next sweep is due (unix seconds; 0 = none),
  // which of the three it is (1..3; 0 = none), and the Zoom user the
  // doubtful create went to (the doctor's host may have changed since).
  int64_t sweep_at = 0;
  int sweep_round = 0;
  std::string sweep_host;
  // A PATCH was sent and its answer never recorded (a crash, a lost
  // answer): Zoom may or may not have applied it, so the meeting is read
  // back before any further PATCH, which then carries only what still
  // differs (never a PATCH that changes nothing).
  bool patch_in_doubt = false;
};

// A Zoom meeting to delete, worked apart from its appointment so that a
// cancel or host change never waits for Zoom.
struct PendingDeletion {
  std::string meeting_id;      // Zoom's int64 id as decimal text; the key
  std::string host;            // the Zoom user it lives on
  std::string appointment_id;  // for logs; the appointment may be gone
  int attempts = 0;
  int64_t next_attempt_at = 0;  // unix seconds; 0 = now
  std::string last_error;       // empty when none yet
};

// One appointment as the engine sees it: the stored appointment, its
// doctor and its Zoom state, read in one transaction.
struct SyncTask {
  Appointment appointment;
  Doctor doctor;
  ZoomState zoom;
  // Filled by the writer of a new sync state (SyncTaskWrite::next):
  // meetings to add to the deletion queue in the same transaction (a
  // meeting id already queued is kept as it is). Always empty when read
  // from the store.
  std::vector<PendingDeletion> queue_deletions;
  // Filled likewise: a create or update about to be sent to this Zoom
  // user, counted against its daily quota (Store::AddZoomWrite) for day
  // count_write_day in the same transaction, so that recording the intent
  // and counting it take one commit. Empty when read from the store.
  std::string count_write_host;
  int64_t count_write_day = 0;  // unix seconds / 86400
};

}  // namespace telemed

#endif  // TELEMED_STORE_SYNC_RECORDS_H_
