#include "web/hashing_thread.h"

#include <CppUTest/TestHarness.h>

#include <atomic>
#include <future>
#include <thread>

namespace telemed {
namespace web {

TEST_GROUP(HashingThread){};

TEST(HashingThread, RunsTheJobAndReturnsItsStatus) {
  HashingThread thread;
  std::thread::id ran_on;
  Status s = thread.Run([&] {
    ran_on = std::this_thread::get_id();
    return Status::Conflict("from_job", "x");
  });
  STRCMP_EQUAL("from_job", s.reason().c_str());
  CHECK(ran_on != std::this_thread::get_id());
}

TEST(HashingThread, RefusesBeyondTheQueueBoundWithoutRunning) {
  HashingThread thread(/*max_queued=*/1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> started{false};
  // One job runs (blocked), one waits in the queue.
  std::thread running([&] {
    thread.Run([&] {
      started = true;
      released.wait();
      return Status::OK();
    });
  });
  while (!started) std::this_thread::yield();
  std::thread queued([&] { thread.Run([] { return Status::OK(); }); });
  while (thread.Waiting() == 0) std::this_thread::yield();

  bool ran = false;
  Status s = thread.Run([&] {
    ran = true;
    return Status::OK();
  });
  STRCMP_EQUAL("busy", s.reason().c_str());
  CHECK(s.code() == Status::Code::kUnavailable);
  CHECK_FALSE(ran);

  release.set_value();
  running.join();
  queued.join();
  CHECK_TRUE(thread.Run([] { return Status::OK(); }).ok());
}

}  // namespace web
}  // namespace telemed
