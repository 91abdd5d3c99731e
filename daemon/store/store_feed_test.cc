// The change feed, waiting for changes, and concurrent writers.
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store/store_impl.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using std::chrono::milliseconds;
using test::StoreFixture;

// Pages through the whole feed from `after` with pages of `limit`.
std::vector<Appointment> ReadFeed(Store* store, uint64_t after, int limit,
                                  uint64_t* cursor) {
  std::vector<Appointment> all;
  *cursor = after;
  while (true) {
    std::vector<Appointment> page;
    CHECK_OK(store->ListChanges(*cursor, limit, &page, cursor));
    if (page.empty()) return all;
    CHECK(static_cast<int>(page.size()) <= limit);
    all.insert(all.end(), page.begin(), page.end());
  }
}

// Puts `count` appointments "<prefix>-<i>", each with a topic of its own,
// plus one change of the shared "shared" appointment per put; errors are
// collected rather than failed on, as CppUTest may only fail on its thread.
void PutMany(Store* store, const std::string& prefix, int count,
             std::vector<Status>* errors) {
  for (int i = 0; i < count; ++i) {
    AppointmentRequest request =
        StoreFixture::Request(prefix + "-" + std::to_string(i));
    AppointmentRequest shared = StoreFixture::Request("shared");
    shared.topic = request.id;
    WriteOutcome outcome;
    Appointment stored;
    for (const auto& r : {request, shared}) {
      Status s = store->PutAppointment(r, &outcome, &stored);
      if (!s.ok()) errors->push_back(s);
    }
  }
}

}  // namespace

TEST_GROUP_BASE(StoreFeed,
                StoreFixture){void setup() override{StoreFixture::setup();
AddDoctor("d1");
}  // namespace telemed
}
;

TEST(StoreFeed, PagingVisitsEveryAppointmentOnceInOrder) {
  for (int i = 0; i < 25; ++i) {
    Put(Request("a" + std::to_string(i)), WriteOutcome::kCreated);
  }
  // Changing some moves them to the end of the feed, not into it twice.
  for (int i = 0; i < 25; i += 3) {
    AppointmentRequest changed = Request("a" + std::to_string(i));
    changed.topic = "changed";
    Put(changed, WriteOutcome::kReplaced);
  }
  uint64_t cursor = 0;
  std::vector<Appointment> feed = ReadFeed(store.get(), 0, 7, &cursor);
  LONGS_EQUAL(25, feed.size());
  std::map<std::string, int> seen;
  for (size_t i = 0; i < feed.size(); ++i) {
    seen[feed[i].request.id]++;
    if (i > 0) CHECK(feed[i].change_seq > feed[i - 1].change_seq);
  }
  LONGS_EQUAL(25, seen.size());
  CHECK_EQUAL(feed.back().change_seq, cursor);
  CHECK_EQUAL(store->LatestChangeSeq(), cursor);

  AppointmentRequest later = Request("a5");
  later.duration_minutes = 45;
  Put(later, WriteOutcome::kReplaced);
  std::vector<Appointment> next = ReadFeed(store.get(), cursor, 7, &cursor);
  LONGS_EQUAL(1, next.size());
  STRCMP_EQUAL("a5", next[0].request.id.c_str());
  LONGS_EQUAL(45, next[0].request.duration_minutes);
}

TEST(StoreFeed, EmptyPageKeepsCursorAndBadLimitIsRefused) {
  Put(Request("a1"), WriteOutcome::kCreated);
  std::vector<Appointment> page;
  uint64_t cursor = 0;
  CHECK_OK(store->ListChanges(99, 10, &page, &cursor));
  CHECK_TRUE(page.empty());
  CHECK_EQUAL(99u, cursor);
  Status s = store->ListChanges(0, 0, &page, &cursor);
  CHECK(s.code() == Status::Code::kInvalidArgument);
}

TEST(StoreFeed, WaitWakesOnWrite) {
  uint64_t before = store->LatestChangeSeq();
  bool woke = false;
  std::thread waiter(
      [&] { woke = store->WaitForChangeAfter(before, milliseconds(30000)); });
  Put(Request("a1"), WriteOutcome::kCreated);
  waiter.join();
  CHECK_TRUE(woke);
}

TEST(StoreFeed, WaitTimesOutWithoutChange) {
  uint64_t now = store->LatestChangeSeq();
  CHECK_FALSE(store->WaitForChangeAfter(now, milliseconds(20)));
  Put(Request("a1"), WriteOutcome::kCreated);
  CHECK_TRUE(store->WaitForChangeAfter(now, milliseconds(0)));
}

TEST(StoreFeed, CancelWaitsWakesWaitersAndLaterWaits) {
  bool woke = true;
  std::thread waiter([&] {
    woke = store->WaitForChangeAfter(store->LatestChangeSeq(),
                                     milliseconds(60000));
  });
  store->CancelWaits();
  waiter.join();
  CHECK_FALSE(woke);
  CHECK_FALSE(
      store->WaitForChangeAfter(store->LatestChangeSeq(), milliseconds(60000)));
}

TEST(StoreFeed, WaitSeesAnotherInstancesWrite) {
  std::unique_ptr<Store> other = OpenStore();
  uint64_t before = store->LatestChangeSeq();
  bool woke = false;
  std::thread waiter(
      [&] { woke = store->WaitForChangeAfter(before, milliseconds(30000)); });
  WriteOutcome outcome;
  Appointment stored;
  CHECK_OK(other->PutAppointment(Request("a1"), &outcome, &stored));
  waiter.join();
  CHECK_TRUE(woke);
}

TEST(StoreFeed, ConcurrentWritersLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kEach = 20;
  // Half the threads write through a second Store on the same file, as the
  // CLI does while the daemon runs.
  std::unique_ptr<Store> other = OpenStore();
  std::vector<std::vector<Status>> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Store* target = t % 2 == 0 ? store.get() : other.get();
    threads.emplace_back(PutMany, target, "t" + std::to_string(t), kEach,
                         &errors[t]);
  }
  for (auto& thread : threads) thread.join();
  for (const auto& list : errors) {
    for (const Status& s : list) FAIL(s.ToString().c_str());
  }
  uint64_t cursor = 0;
  std::vector<Appointment> feed = ReadFeed(store.get(), 0, 500, &cursor);
  LONGS_EQUAL(kThreads * kEach + 1, feed.size());
  Appointment shared;
  CHECK_OK(store->GetAppointment("shared", &shared));
  // Every put of "shared" carried a new topic, so each was one revision.
  LONGS_EQUAL(kThreads * kEach, shared.revision);
  CHECK_EQUAL(uint64_t{2} * kThreads * kEach, cursor);
}

TEST(StoreFeed, ConcurrentPutsShareCommitsAndFailAlone) {
  constexpr int kThreads = 16;
  constexpr int kEach = 10;
  std::atomic<int> notified{0};
  store->SetWriteListener([&] { ++notified; });
  std::vector<std::vector<Status>> errors(kThreads);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every fifth names an unknown doctor and must fail on its own.
        bool bad = (t * kEach + i) % 5 == 0;
        AppointmentRequest request =
            Request("p" + std::to_string(t) + "-" + std::to_string(i),
                    bad ? "dx" : "d1");
        WriteOutcome outcome;
        Appointment stored;
        Status s = store->PutAppointment(request, &outcome, &stored);
        if (bad && s.reason() == "unknown_doctor") {
          ++refused;
        } else if (!s.ok() || outcome != WriteOutcome::kCreated ||
                   stored.request.id != request.id) {
          errors[t].push_back(s);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& list : errors) {
    for (const Status& s : list) FAIL(s.ToString().c_str());
  }
  constexpr int kWritten = kThreads * kEach * 4 / 5;
  LONGS_EQUAL(kThreads * kEach / 5, refused.load());
  LONGS_EQUAL(kWritten, notified.load());
  uint64_t cursor = 0;
  LONGS_EQUAL(kWritten, ReadFeed(store.get(), 0, 500, &cursor).size());
  // 16 writers at once: a COMMIT carries several of them.
  uint64_t commits = static_cast<StoreImpl*>(store.get())->commits();
  CHECK(commits < uint64_t{kWritten} + 1);
  store->SetWriteListener(nullptr);
}

}  // namespace telemed
