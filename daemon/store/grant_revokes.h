// GrantRevokes: the store's role for disconnecting per-doctor Zoom grants:
// the revokes still owed to Zoom, and the deletions a disconnect queues. A
// disconnect (or a refused or replaced grant) revokes the doctor's refresh
// token at Zoom's /oauth/revoke; when Zoom cannot be reached the token waits
// here, sealed as the grant's were (secrets/secret_box.h), and a periodic task
// tries again with backoff.
//
// Completing a revoke deletes its row with SQLite's secure_delete on and
// checkpoints and truncates the WAL, as DoctorGrants::PurgeGrant does, so
// no copy of the sealed token stays in the file.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_GRANT_REVOKES_H_
#define TELEMED_STORE_GRANT_REVOKES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {

struct PendingRevoke {
  int64_t id = 0;  // given by QueueRevoke
  std::string doctor_id;
  std::string sealed_token;     // sealed; see zoom/oauth_disconnect.h
  int attempts = 0;             // failed tries so far
  int64_t next_attempt_at = 0;  // unix seconds; 0 = now
  std::string last_error;       // empty when none yet
};

class GrantRevokes {
 public:
  // Stores `revoke` (its id ignored); *id receives the new entry's id.
  virtual Status QueueRevoke(const PendingRevoke& revoke, int64_t* id) = 0;
  // Entries with next_attempt_at <= now, earliest first, at most `limit`.
  // InvalidArgument("invalid_limit") for limit < 1.
  virtual Status ListDueRevokes(int64_t now, int limit,
                                std::vector<PendingRevoke>* out) = 0;
  // Stores attempts, next_attempt_at and last_error of entry revoke.id.
  // NotFound("revoke_not_found") when it is gone.
  virtual Status RescheduleRevoke(const PendingRevoke& revoke) = 0;
  // Deletes entry `id` (none is fine) with secure_delete on, then truncates
  // the WAL; Unavailable("wal_busy") as PurgeGrant's.
  virtual Status CompleteRevoke(int64_t id) = 0;

  // A disconnect's deletions: in one transaction, every meeting of doctor
  // `doctor_id`'s appointments that lives on `host` goes to the deletion
  // queue (SyncQueue's), and its appointment loses the meeting and becomes
  // pending and due, so that a reconnect creates a new one. *queued counts
  // the meetings. Appointments whose create is in doubt keep their state.
  virtual Status QueueDoctorMeetingDeletions(const std::string& doctor_id,
                                             const std::string& host,
                                             int* queued) = 0;
  // How many deletions of meetings on `host` are queued.
  virtual Status CountQueuedDeletions(const std::string& host, int* count) = 0;
  // How many appointments have a create on `host` in doubt (sent, its
  // answer not recorded yet): a meeting they make is not queued above.
  virtual Status CountCreatesInDoubt(const std::string& host, int* count) = 0;

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~GrantRevokes() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_GRANT_REVOKES_H_
