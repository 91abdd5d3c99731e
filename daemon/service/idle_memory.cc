#include "service/idle_memory.h"

#include <utility>

namespace telemed {

IdleMemory::IdleMemory(std::function<uint64_t()> activity,
                       std::function<void()> release)
    : activity_(std::move(activity)),
      release_(std::move(release)),
      last_seen_(activity_()) {}

bool IdleMemory::Tick() {
  const uint64_t seen = activity_();
  if (seen != last_seen_) {
    last_seen_ = seen;
    busy_since_release_ = true;
    return false;
  }
  if (!busy_since_release_) return false;
  busy_since_release_ = false;
  release_();
  return true;
}

}  // namespace telemed
