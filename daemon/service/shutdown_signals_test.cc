#include "service/shutdown_signals.h"

#include <CppUTest/TestHarness.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <memory>

namespace telemed {

namespace {
// Runs `body` in a forked child, which has a single thread as Block()
// requires (the test binary may have others); returns its exit code.
template <typename Body>
int InChild(Body body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
}  // namespace

TEST_GROUP(ShutdownSignals){};

namespace {
// Counts what the waiting thread called.
struct Seen {
  std::atomic<int> stop_signo{0};
  std::atomic<int> stops{0};
  std::atomic<int> agains{0};
  std::atomic<int> hangups{0};

  ShutdownSignals::Handlers Handlers() {
    return {[this](int signo) {
              stop_signo = signo;
              ++stops;
            },
            [this](int) { ++agains; }, [this] { ++hangups; }};
  }
};

template <typename Predicate>
void WaitFor(Predicate done) {
  while (!done()) usleep(1000);
}
}  // namespace

// Exit codes: the signal number on_stop saw; 1 when Block failed.
TEST(ShutdownSignals, ASignalToTheProcessReachesOnStopOnce) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    Seen seen;
    signals->StartWaiting(seen.Handlers());
    kill(getpid(), SIGINT);
    WaitFor([&] { return seen.stops > 0; });
    signals->StopWaiting();
    return seen.stops == 1 && seen.agains == 0 ? seen.stop_signo.load() : 2;
  });
  LONGS_EQUAL(SIGINT, code);
}

TEST(ShutdownSignals, ASecondSignalGoesToOnAgain) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    Seen seen;
    signals->StartWaiting(seen.Handlers());
    kill(getpid(), SIGTERM);
    WaitFor([&] { return seen.stops > 0; });
    kill(getpid(), SIGINT);
    WaitFor([&] { return seen.agains > 0; });
    signals->StopWaiting();
    return seen.stops == 1 && seen.agains == 1 ? 0 : 2;
  });
  LONGS_EQUAL(0, code);
}

TEST(ShutdownSignals, SighupNeitherKillsNorStops) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    Seen seen;
    signals->StartWaiting(seen.Handlers());
    kill(getpid(), SIGHUP);
    WaitFor([&] { return seen.hangups > 0; });
    kill(getpid(), SIGHUP);
    WaitFor([&] { return seen.hangups > 1; });
    signals->StopWaiting();
    return seen.stops == 0 ? 0 : 2;
  });
  LONGS_EQUAL(0, code);
}

TEST(ShutdownSignals, StopWaitingWithoutASignalSkipsTheHandlers) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    Seen seen;
    signals->StartWaiting(seen.Handlers());
    signals.reset();
    return seen.stops + seen.agains + seen.hangups;
  });
  LONGS_EQUAL(0, code);
}

TEST(ShutdownSignals, BlockedSignalsDoNotKill) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    kill(getpid(), SIGTERM);
    kill(getpid(), SIGHUP);
    return 0;
  });
  LONGS_EQUAL(0, code);
}

}  // namespace telemed
