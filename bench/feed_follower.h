// FeedFollower: clinic software's view of the daemon in the sync benchmark.
// It follows the change feed (GET /api/v1/appointments?since=&wait=) with
// long-polls, as an integrator would, and remembers which appointments
// read synced and which carry a join_url.
//
// Not thread-safe; borrows the ZoomBridge, which must outlive it.
#ifndef TELEMED_BENCH_FEED_FOLLOWER_H_
#define TELEMED_BENCH_FEED_FOLLOWER_H_

#include <chrono>
#include <cstddef>
#include <set>
#include <string>

namespace telemed {
namespace test {
class ZoomBridge;
}  // namespace test

namespace bench {

class FeedFollower {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  explicit FeedFollower(test::ZoomBridge* bridge) : bridge_(bridge) {}

  // Reads the feed to its end without waiting, so that only later changes
  // are awaited. False when the daemon did not answer 200.
  bool CatchUp();
  // Long-polls until the newest state of appointment `id` carries a
  // meeting with a join_url (true), or `deadline` passes (false).
  bool WaitForJoinUrl(const std::string& id, Deadline deadline);
  // Long-polls until the newest state of appointment `id` reads synced
  // (true), or `deadline` passes (false).
  bool WaitForSyncedId(const std::string& id, Deadline deadline);
  // Long-polls until at least `count` appointments read synced (true), or
  // `deadline` passes (false).
  bool WaitForSynced(size_t count, Deadline deadline);

  size_t synced() const { return synced_.size(); }
  size_t with_link() const { return with_link_.size(); }

 private:
  // One feed page, waiting up to `wait_seconds` for a change. Returns the
  // number of items, or -1 when the daemon did not answer 200.
  int Poll(int wait_seconds);

  test::ZoomBridge* const bridge_;
  std::string cursor_;  // "" = from the beginning
  std::set<std::string> synced_;
  std::set<std::string> with_link_;
};

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_FEED_FOLLOWER_H_
