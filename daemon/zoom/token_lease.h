// TakeTokenLease: the lease that keeps one token refresh in flight among
// the processes sharing the database (the daemon and the CLI), for the S2S
// token and each doctor's OAuth grant.
//
// The owner names the taking process (base/process_identity.h), so a
// process killed while it held the lease does not block the others until
// the lease runs out: a taker that finds the holder provably gone (same
// boot and pid namespace, no process with its pid and start time) takes
// the lease over at once, by compare-and-swap on the stored owner. A
// holder that might be alive keeps the lease until it runs out.
#ifndef TELEMED_ZOOM_TOKEN_LEASE_H_
#define TELEMED_ZOOM_TOKEN_LEASE_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace telemed {

class ProcessIdentity;
class RandomSource;
class SettingsStore;

struct TokenLeaseDeps {
  // Borrowed; each must outlive the call.
  SettingsStore* store = nullptr;
  RandomSource* random = nullptr;  // the owner's random part
  const ProcessIdentity* processes = nullptr;
};

// Takes lease `name` until `until` for a new owner (*owner, to release it
// with SettingsStore::ReleaseLease): when it is free or expired at `now`,
// or when its holder is provably gone. *taken false: another process that
// may be alive holds it.
Status TakeTokenLease(const TokenLeaseDeps& deps, const std::string& name,
                      int64_t now, int64_t until, std::string* owner,
                      bool* taken);

}  // namespace telemed

#endif  // TELEMED_ZOOM_TOKEN_LEASE_H_
