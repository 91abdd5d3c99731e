#include "config/daemon_lock.h"

#include <CppUTest/TestHarness.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "support/temp_dir.h"

namespace telemed {

TEST_GROUP(DaemonLock) { test::TempDir temp; };

TEST(DaemonLock, ASecondHolderIsRefusedWithTheFirstOnesPid) {
  std::unique_ptr<DaemonLock> first;
  Status s = DaemonLock::Acquire(temp.path(), &first);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(first->Describe("127.0.0.1:8080", 1700000000).ok());
  // flock locks belong to the open file, so this process's second open
  // contends like another daemon's would.
  std::unique_ptr<DaemonLock> second;
  s = DaemonLock::Acquire(temp.path(), &second);
  CHECK_TRUE(s.code() == Status::Code::kConflict);
  STRCMP_CONTAINS(("PID " + std::to_string(getpid())).c_str(),
                  s.message().c_str());
  STRCMP_CONTAINS(temp.path().c_str(), s.message().c_str());
  STRCMP_CONTAINS("127.0.0.1:8080", s.message().c_str());
  CHECK_TRUE(second == nullptr);
}

TEST(DaemonLock, InspectTellsWhoHoldsItAndWhenItIsFree) {
  LockHolder holder;
  CHECK_TRUE(DaemonLock::Inspect(temp.path(), &holder).ok());
  CHECK_FALSE(holder.running);
  {
    std::unique_ptr<DaemonLock> lock;
    CHECK_TRUE(DaemonLock::Acquire(temp.path(), &lock).ok());
    CHECK_TRUE(lock->Describe("[::1]:9000", 1700000123).ok());
    CHECK_TRUE(DaemonLock::Inspect(temp.path(), &holder).ok());
    CHECK_TRUE(holder.running);
    LONGS_EQUAL(getpid(), holder.pid);
    STRCMP_EQUAL("[::1]:9000", holder.listen.c_str());
    LONGS_EQUAL(1700000123, holder.started_at);
  }
  CHECK_TRUE(DaemonLock::Inspect(temp.path(), &holder).ok());
  CHECK_FALSE(holder.running);
  // Released with the process's file, so the next daemon takes it at once.
  std::unique_ptr<DaemonLock> again;
  CHECK_TRUE(DaemonLock::Acquire(temp.path(), &again).ok());
}

}  // namespace telemed
