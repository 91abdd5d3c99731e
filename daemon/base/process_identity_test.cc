#include "base/process_identity.h"

#include <CppUTest/TestHarness.h>
#include <unistd.h>

#include <string>

#include "base/fake_process_identity.h"

namespace telemed {

TEST_GROUP(ProcessIdentity) {
  FakeMachine machine;
  FakeProcessIdentity daemon{&machine, 100, 5000};
  FakeProcessIdentity cli{&machine, 200, 6000};
};

TEST(ProcessIdentity, ReadsTheStateAndStartTimeAfterTheCommand) {
  char state = 0;
  uint64_t start = 0;
  // A command holding ") " must not shift the fields.
  const std::string stat =
      "42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
      "987654 1000 10";
  CHECK_TRUE(ParseProcStat(stat, &state, &start));
  BYTES_EQUAL('S', state);
  CHECK_EQUAL(uint64_t{987654}, start);
  CHECK_FALSE(ParseProcStat("42 (a) S 1 2", &state, &start));
  CHECK_FALSE(ParseProcStat("no parenthesis", &state, &start));
}

TEST(ProcessIdentity, TheRealOneFindsThisProcessRunning) {
  RealProcessIdentity real;
  int64_t pid = 0;
  uint64_t start = 0;
  CHECK_TRUE(real.Self(&pid, &start));
  LONGS_EQUAL(getpid(), pid);
  std::string scope;
  CHECK_TRUE(real.Scope(&scope));
  const std::string owner = LeaseOwnerName(real, "n0nce");
  CHECK_EQUAL(0u, owner.rfind("p1 " + scope + " ", 0));
  CHECK_FALSE(LeaseOwnerIsGone(real, owner));
  // The same pid started at another time: that holder ended.
  const std::string reused = "p1 " + scope + " " + std::to_string(pid) + " " +
                             std::to_string(start + 1) + " n0nce";
  CHECK_TRUE(LeaseOwnerIsGone(real, reused));
}

TEST(ProcessIdentity, AKilledHolderIsGone) {
  const std::string owner = LeaseOwnerName(daemon, "abc");
  STRCMP_EQUAL("p1 boot-a/pid:[4026531836] 100 5000 abc", owner.c_str());
  CHECK_FALSE(LeaseOwnerIsGone(cli, owner));
  daemon.Kill();
  CHECK_TRUE(LeaseOwnerIsGone(cli, owner));
  daemon.Restart(7000);  // the pid reused by a later process
  CHECK_TRUE(LeaseOwnerIsGone(cli, owner));
  daemon.Restart(5000);
  CHECK_FALSE(LeaseOwnerIsGone(cli, owner));
}

TEST(ProcessIdentity, NothingUnprovableIsGone) {
  const std::string owner = LeaseOwnerName(daemon, "abc");
  daemon.Kill();
  // Another boot (or pid namespace) names other processes.
  machine.scope = "boot-b/pid:[4026531836]";
  CHECK_FALSE(LeaseOwnerIsGone(cli, owner));
  machine.scope = "";
  CHECK_FALSE(LeaseOwnerIsGone(cli, owner));
  machine.scope = "boot-a/pid:[4026531836]";
  machine.proc_readable = false;
  CHECK_FALSE(LeaseOwnerIsGone(cli, owner));
  machine.proc_readable = true;
  CHECK_TRUE(LeaseOwnerIsGone(cli, owner));
  // Owners of another shape: random ones of older versions, or garbled.
  for (const char* other :
       {"0123456789abcdef01234567", "p1 boot-a/pid:[4026531836] x 5000 abc",
        "p1 boot-a/pid:[4026531836] 100 5000", "p2 boot-a 100 5000 abc",
        "p1 boot-a/pid:[4026531836] 0 5000 abc", ""}) {
    CHECK_FALSE_TEXT(LeaseOwnerIsGone(cli, other), other);
  }
}

TEST(ProcessIdentity, AProcessThatCannotNameItselfUsesTheNonce) {
  machine.scope = "";
  STRCMP_EQUAL("abc", LeaseOwnerName(daemon, "abc").c_str());
}

}  // namespace telemed
