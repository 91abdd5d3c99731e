// Revoking the grants the bridge lets go of (a disconnected or removed
// doctor's, a refused or replaced connection's) at Zoom's /oauth/revoke,
// without ever losing one to an unreachable Zoom.
//
// RevokeOrQueue tries at once. When Zoom cannot be reached, or answers 5xx
// or 429, or no OAuth app is stored, the token is kept, sealed under
// RevokePurpose, in store/grant_revokes.h, and RetryDueRevokes (a periodic
// task of the daemon) tries again with backoff until Zoom takes it or
// refuses it: a refusal (400/401) means the token is no longer valid, so
// nothing is left to end. Completing an entry deletes it with
// secure_delete and truncates the WAL.
#ifndef TELEMED_ZOOM_REVOKE_QUEUE_H_
#define TELEMED_ZOOM_REVOKE_QUEUE_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "zoom/user_oauth.h"

namespace telemed {

class GrantRevokes;
class Logger;
struct PendingRevoke;

// What revoking borrows; each must outlive the call.
struct RevokeDeps {
  GrantRevokes* revokes = nullptr;
  SettingsStore* settings = nullptr;  // the OAuth app
  const SecretBox* box = nullptr;
  OAuthEndpoint oauth;       // Zoom's OAuth host, transport and clock
  Logger* logger = nullptr;  // may be null
};

// The SecretBox purpose a queued token is sealed under (not the grant's:
// a purged grant's sealed bytes never reappear in the file).
std::string RevokePurpose(const std::string& doctor_id);

// Revokes `refresh_token` of `doctor_id` at Zoom now, or queues it (see
// above): QueueRevoke, then TryRevoke. The token is queued before it is
// sent, so a crash in between loses nothing. Errors are the bridge's own
// (database, secret key) only.
Status RevokeOrQueue(const RevokeDeps& deps, const std::string& doctor_id,
                     const std::string& refresh_token, int64_t now);
// The two halves, for a caller with work between them (a disconnect purges
// the grant before Zoom is asked). *entry: the queued entry, due at once.
Status QueueRevoke(const RevokeDeps& deps, const std::string& doctor_id,
                   const std::string& refresh_token, int64_t now,
                   PendingRevoke* entry);
// Tries queued `entry` now: completed when Zoom took or refused it, else
// rescheduled with backoff.
Status TryRevoke(const RevokeDeps& deps, PendingRevoke* entry, int64_t now);

struct RevokeRound {
  int revoked = 0;  // Zoom took them, or said they were no longer valid
  int waiting = 0;  // tried again later
};
// Tries the queued revokes due at `now`, at most 50 per call.
Status RetryDueRevokes(const RevokeDeps& deps, int64_t now, RevokeRound* out);

// The wait after `attempts` (>= 1) failed tries: 1 minute, doubling per
// attempt, at most 6 hours.
int64_t RevokeBackoffSeconds(int attempts);

}  // namespace telemed

#endif  // TELEMED_ZOOM_REVOKE_QUEUE_H_
