// IdleMemory: gives memory back once a burst is over. A clinic system may
// push thousands of appointments at once and then poll gently for days:
// without this, the page caches and malloc's free lists that the burst
// grew stay resident on a small appliance.
//
// Tick() runs periodically (PeriodicTask). After a period in which the
// activity count moved, the first whole period in which it did not calls
// `release` once; a period without activity before and after calls nothing.
#ifndef TELEMED_SERVICE_IDLE_MEMORY_H_
#define TELEMED_SERVICE_IDLE_MEMORY_H_

#include <cstdint>
#include <functional>

namespace telemed {

class IdleMemory final {
 public:
  // `activity`: a count that moves with work (requests, commits).
  // `release`: gives the memory back. Both run on the Tick() caller.
  IdleMemory(std::function<uint64_t()> activity, std::function<void()> release);

  // Returns whether it released.
  bool Tick();

 private:
  const std::function<uint64_t()> activity_;
  const std::function<void()> release_;
  uint64_t last_seen_;
  bool busy_since_release_ = false;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_IDLE_MEMORY_H_
