#include "zoom/token_lease.h"

#include "base/encoding.h"
#include "base/process_identity.h"
#include "base/random.h"
#include "store/settings_store.h"

namespace telemed {

Status TakeTokenLease(const TokenLeaseDeps& deps, const std::string& name,
                      int64_t now, int64_t until, std::string* owner,
                      bool* taken) {
  *taken = false;
  uint8_t nonce[12];
  Status s = deps.random->Fill(nonce, sizeof(nonce));
  if (!s.ok()) return s;
  *owner = LeaseOwnerName(*deps.processes, HexEncode(nonce, sizeof(nonce)));
  s = deps.store->TryTakeLease(name, *owner, now, until, taken);
  if (!s.ok() || *taken) return s;
  std::string holder;
  bool found = false;
  s = deps.store->GetLeaseOwner(name, &holder, &found);
  if (!s.ok()) return s;
  // Released since: take it as anyone would.
  if (!found) return deps.store->TryTakeLease(name, *owner, now, until, taken);
  if (!LeaseOwnerIsGone(*deps.processes, holder)) return s;
  // Only one taker replaces the gone holder; the others find the winner.
  return deps.store->TakeOverLease(name, holder, *owner, until, taken);
}

}  // namespace telemed
