#include "service/watchdog.h"

#include <CppUTest/TestHarness.h>

#include <atomic>
#include <cstdint>

#include "base/fake_clock.h"
#include "base/log.h"
#include "support/fake_notifier.h"

namespace telemed {

TEST_GROUP(Watchdog) {
  FakeClock clock;
  CapturingLogger logger;
  test::FakeNotifier notifier{std::chrono::seconds(30)};
  bool api_answers = true;
  uint64_t turns = 0;
  bool stopping = false;

  Watchdog::Options MakeOptions() {
    Watchdog::Options options;
    options.notifier = &notifier;
    options.clock = &clock;
    options.logger = &logger;
    options.api_answers = [this] { return api_answers; };
    options.runner_turns = [this] { return turns; };
    options.stopping = [this] { return stopping; };
    return options;
  }

  // One watchdog tick later (7.5 s for WatchdogSec=30s), the runner having
  // turned `turned` times meanwhile.
  void Pass(int turned) {
    clock.AdvanceMicros(7500000);
    turns += turned;
  }

  int ErrorLines() {
    int n = 0;
    for (const std::string& line : logger.Lines()) {
      n += line.find("watchdog: the") != std::string::npos ? 1 : 0;
    }
    return n;
  }
};

TEST(Watchdog, PingsWhileTheApiAnswersAndTheRunnerTurns) {
  Watchdog watchdog(MakeOptions());
  CHECK_TRUE(watchdog.Tick());
  for (int i = 0; i < 5; ++i) {
    Pass(2);
    CHECK_TRUE(watchdog.Tick());
  }
  LONGS_EQUAL(6, notifier.Count("WATCHDOG=1"));
  LONGS_EQUAL(0, ErrorLines());
}

TEST(Watchdog, AnApiThatDoesNotAnswerWithholdsThePing) {
  Watchdog watchdog(MakeOptions());
  api_answers = false;
  CHECK_FALSE(watchdog.Tick());
  Pass(1);
  CHECK_FALSE(watchdog.Tick());
  LONGS_EQUAL(0, notifier.Count("WATCHDOG=1"));
  // Logged once when it starts, not at every tick.
  LONGS_EQUAL(1, ErrorLines());
  CHECK_TRUE(logger.Contains("the API did not answer its health check"));
  api_answers = true;
  Pass(1);
  CHECK_TRUE(watchdog.Tick());
  CHECK_TRUE(logger.Contains("watchdog: alive again"));
}

TEST(Watchdog, ARunnerStuckInAStepWithholdsThePingUntilItTurnsAgain) {
  Watchdog watchdog(MakeOptions());
  // The runner may stand still for up to 20 s (a slow step): still alive.
  Pass(0);
  CHECK_TRUE(watchdog.Tick());
  Pass(0);
  CHECK_TRUE(watchdog.Tick());
  // 22.5 s without a turn: wedged.
  Pass(0);
  CHECK_FALSE(watchdog.Tick());
  Pass(0);
  CHECK_FALSE(watchdog.Tick());
  CHECK_TRUE(
      logger.Contains("the sync runner has not turned for more than 20 s"));
  LONGS_EQUAL(1, ErrorLines());
  Pass(1);
  CHECK_TRUE(watchdog.Tick());
  LONGS_EQUAL(3, notifier.Count("WATCHDOG=1"));
}

TEST(Watchdog, AClockSetBackIsNoStuckRunner) {
  Watchdog watchdog(MakeOptions());
  clock.SetMicros(clock.NowMicros() - 3600LL * 1000000);
  CHECK_TRUE(watchdog.Tick());
}

TEST(Watchdog, PingsWhileStoppingWhateverTheChecksSay) {
  Watchdog watchdog(MakeOptions());
  stopping = true;
  api_answers = false;
  Pass(0);
  Pass(0);
  Pass(0);
  CHECK_TRUE(watchdog.Tick());
  LONGS_EQUAL(0, ErrorLines());
}

}  // namespace telemed
