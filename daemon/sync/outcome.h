// What a refused or failed Zoom call means for an appointment: retry soon,
// wait for a rate limit, or stop until a person fixes something. One table
// (docs/sync.md, "Retries and failures"), as a pure function.
#ifndef TELEMED_SYNC_OUTCOME_H_
#define TELEMED_SYNC_OUTCOME_H_

#include <string>

#include "base/status.h"
#include "zoom/zoom_api.h"

namespace telemed {

enum class ZoomCall { kCreate, kLookup, kPatch, kCheck, kDelete };

// How long work waits for another process's token renewal: about what one
// renewal takes. Not the backoff of Zoom faults: the lease is held by a
// live process (one killed is taken over at once, zoom/token_lease.h).
constexpr int64_t kTokenRenewingRetrySeconds = 5;

struct Outcome {
  enum class Kind {
    kTransient,   // back off and retry; stays pending
    kPerSecond,   // a per-second 429: pause the category, retry then
    kDaily,       // a daily 429: pause the host until retry_at
    kPermanent,   // failed until the admin changes something or a retry
    kGone,        // the meeting no longer exists (3001): forget it
    kDone,        // counts as success (DELETE of a gone or ended meeting)
    kInProgress,  // DELETE of a meeting in progress (3002): after its end
    // Nothing was sent: another live process is renewing the token. Retry
    // after kTokenRenewingRetrySeconds, no attempt counted.
    kRenewing,
  };
  Kind kind = Kind::kTransient;
  std::string code;     // the appointment's error.code
  std::string message;  // for people; never a token or URL
};

// `status` is what the ZoomApi call returned (not OK); `error` its details,
// whose `failure` decides the row of the table.
// `host_writes_today` is the host's create+update count, used to read a 429
// that says neither kind: near Zoom's 100, it is the daily one.
Outcome ClassifyZoomFailure(ZoomCall call, const Status& status,
                            const ZoomError& error, int host_writes_today);

}  // namespace telemed

#endif  // TELEMED_SYNC_OUTCOME_H_
