#include "base/log_ring.h"

#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "base/fake_clock.h"

namespace telemed {

TEST_GROUP(LogRing) {
  FakeClock clock;
  CapturingLogger next;
};

TEST(LogRing, KeepsTheLastLinesOldestFirst) {
  LogRing ring(&next, &clock, 3);
  for (int i = 1; i <= 5; ++i) {
    ring.Info("line %d", i);
    clock.AdvanceSeconds(1);
  }
  std::vector<LogEntry> lines = ring.Lines();
  LONGS_EQUAL(3, lines.size());
  STRCMP_EQUAL("line 3", lines[0].text.c_str());
  STRCMP_EQUAL("line 4", lines[1].text.c_str());
  STRCMP_EQUAL("line 5", lines[2].text.c_str());
  LONGS_EQUAL(clock.NowSeconds() - 3, lines[0].at);
  LONGS_EQUAL(clock.NowSeconds() - 1, lines[2].at);
}

TEST(LogRing, PassesEveryLineOnToTheDaemonsLogger) {
  LogRing ring(&next, &clock, 1);
  ring.Warning("disk %s", "slow");
  ring.Log(Severity::kDebug, "detail");
  ring.Error("disk full");
  std::vector<std::string> passed = next.Lines();
  LONGS_EQUAL(3, passed.size());
  STRCMP_EQUAL("warning: disk slow", passed[0].c_str());
  STRCMP_EQUAL("debug: detail", passed[1].c_str());
  STRCMP_EQUAL("error: disk full", passed[2].c_str());
}

TEST(LogRing, KeepsOnlyLinesOfItsSeverityAndAbove) {
  LogRing ring(&next, &clock, 10, Severity::kWarning);
  ring.Log(Severity::kDebug, "debug");
  ring.Info("info");
  ring.Warning("warning");
  ring.Error("error");
  std::vector<LogEntry> lines = ring.Lines();
  LONGS_EQUAL(2, lines.size());
  CHECK(lines[0].severity == Severity::kWarning);
  CHECK(lines[1].severity == Severity::kError);
  STRCMP_EQUAL("warning", SeverityName(lines[0].severity));
}

TEST(LogRing, ALineWithNewlinesStaysOneLine) {
  LogRing ring(&next, &clock);
  ring.Info("a\nforged: line");
  LONGS_EQUAL(1, ring.Lines().size());
  STRCMP_EQUAL("a forged: line", ring.Lines()[0].text.c_str());
}

TEST(LogRing, ZeroCapacityKeepsNothingButStillPassesOn) {
  LogRing ring(&next, &clock, 0);
  ring.Info("x");
  LONGS_EQUAL(0, ring.Lines().size());
  LONGS_EQUAL(1, next.Lines().size());
}

// Writers and a reader at once (run under TSan to see the locking hold):
// the ring ends full, each writer's lines in its own order.
TEST(LogRing, ManyThreadsLogAndReadAtOnce) {
  constexpr int kThreads = 4;
  constexpr int kLinesEach = 500;
  LogRing ring(&next, &clock, 100);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ring, t] {
      for (int i = 0; i < kLinesEach; ++i) ring.Info("t%d %06d", t, i);
    });
  }
  size_t seen = 0;
  for (int i = 0; i < 200; ++i) seen = std::max(seen, ring.Lines().size());
  for (std::thread& thread : threads) thread.join();
  CHECK(seen <= 100);
  std::vector<LogEntry> lines = ring.Lines();
  LONGS_EQUAL(100, lines.size());
  std::string last[kThreads];
  for (const LogEntry& line : lines) {
    const int t = line.text[1] - '0';
    CHECK(line.text > last[t]);
    last[t] = line.text;
  }
  LONGS_EQUAL(kThreads * kLinesEach, next.Lines().size());
}

}  // namespace telemed
