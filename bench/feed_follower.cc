#include "feed_follower.h"

#include <algorithm>

#include "support/zoom_bridge.h"

namespace telemed {
namespace bench {

namespace {

// A feed page holds at most this many items; a full page means more wait.
constexpr int kPageLimit = 500;
// The longest single long-poll; the loops check their deadline between.
constexpr int kMaxWaitSeconds = 5;

// Whole seconds left before `deadline`, between 0 and kMaxWaitSeconds.
int SecondsLeft(FeedFollower::Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(
      std::clamp<int64_t>(left.count(), 0, kMaxWaitSeconds));
}

}  // namespace

int FeedFollower::Poll(int wait_seconds) {
  test::FeedPage page = bridge_->Feed(cursor_, wait_seconds, kPageLimit);
  if (page.status != 200) return -1;
  if (!page.next_cursor.empty()) cursor_ = page.next_cursor;
  for (const test::AppointmentView& item : page.items) {
    if (item.sync_status == "synced") {
      synced_.insert(item.id);
    } else {
      synced_.erase(item.id);
    }
    if (item.has_meeting && !item.join_url.empty()) {
      with_link_.insert(item.id);
    } else {
      with_link_.erase(item.id);
    }
  }
  return static_cast<int>(page.items.size());
}

bool FeedFollower::CatchUp() {
  for (;;) {
    int items = Poll(0);
    if (items < 0) return false;
    if (items < kPageLimit) return true;
  }
}

bool FeedFollower::WaitForJoinUrl(const std::string& id, Deadline deadline) {
  while (with_link_.count(id) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (Poll(SecondsLeft(deadline)) < 0) return false;
  }
  return true;
}

bool FeedFollower::WaitForSyncedId(const std::string& id, Deadline deadline) {
  while (synced_.count(id) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (Poll(SecondsLeft(deadline)) < 0) return false;
  }
  return true;
}

bool FeedFollower::WaitForSynced(size_t count, Deadline deadline) {
  while (synced_.size() < count) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (Poll(SecondsLeft(deadline)) < 0) return false;
  }
  return true;
}

}  // namespace bench
}  // namespace telemed
