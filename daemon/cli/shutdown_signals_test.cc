#include "cli/shutdown_signals.h"

#include <CppUTest/TestHarness.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <memory>

namespace telemed {
namespace cli {

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

// Exit codes: the signal number the callback saw; 1 when Block failed.
TEST(ShutdownSignals, ASignalToTheProcessReachesTheCallbackOnce) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    std::atomic<int> seen{0};
    std::atomic<int> calls{0};
    signals->StartWaiting([&](int signo) {
      seen = signo;
      ++calls;
    });
    kill(getpid(), SIGINT);
    while (seen == 0) usleep(1000);
    signals->StopWaiting();
    return calls == 1 ? seen.load() : 2;
  });
  LONGS_EQUAL(SIGINT, code);
}

TEST(ShutdownSignals, StopWaitingWithoutASignalSkipsTheCallback) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    std::atomic<int> calls{0};
    signals->StartWaiting([&](int) { ++calls; });
    signals.reset();
    return calls.load();
  });
  LONGS_EQUAL(0, code);
}

TEST(ShutdownSignals, BlockedSignalsDoNotKill) {
  int code = InChild([] {
    std::unique_ptr<ShutdownSignals> signals;
    if (!ShutdownSignals::Block(&signals).ok()) return 1;
    kill(getpid(), SIGTERM);
    return 0;
  });
  LONGS_EQUAL(0, code);
}

}  // namespace cli
}  // namespace telemed
