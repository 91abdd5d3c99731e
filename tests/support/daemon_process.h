// Running the built telemed-bridge binary (TELEMED_BINARY) from system tests:
// RunCli for one-shot commands, DaemonProcess for `serve`.
//
// Both give the child a clean environment: the test's own, minus every
// TELEMED_*, NOTIFY_SOCKET and WATCHDOG_* variable, plus what the test asks
// for, so a developer's shell cannot change a result. stdin is /dev/null
// unless RunCliWithStdin gives it text.
#ifndef TELEMED_TESTS_SUPPORT_DAEMON_PROCESS_H_
#define TELEMED_TESTS_SUPPORT_DAEMON_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "support/temp_dir.h"

namespace telemed {
namespace test {

struct CliResult {
  int exit_code = -1;  // 128 + signal number when a signal ended it
  std::string out;
  std::string err;
};

// A port of 127.0.0.1 nobody listens on right now (the kernel's pick for
// port 0); another process may take it before the caller binds it.
int FreePort();

// Runs `TELEMED_BINARY args...` to completion (killed after 60 s) with the
// extra environment `env` ("NAME=value" each).
CliResult RunCli(const std::vector<std::string>& args,
                 const std::vector<std::string>& env = {});
// The same with `*stdin_text` as the child's stdin (/dev/null when null).
CliResult RunCliWithStdin(const std::vector<std::string>& args,
                          const std::string* stdin_text,
                          const std::vector<std::string>& env = {});

// A port of 127.0.0.1 nobody listens on right now (the kernel's pick for
// port 0); another process may take it before the caller binds it.
int FreePort();

// One `telemed-bridge serve` process on a free port of 127.0.0.1. The
// destructor kills it (SIGKILL) if it still runs.
class DaemonProcess final {
 public:
  struct Options {
    // Passed after "serve" and the generated --data-dir/--listen flags.
    std::vector<std::string> args;
    // Extra environment, "NAME=value" each.
    std::vector<std::string> env;
    // Empty: "data" inside a temp dir owned by this object (not created, so
    // the daemon makes it).
    std::string data_dir;
    // The host of --listen; the port is always a free one. Health checks go
    // to 127.0.0.1 whatever this is.
    std::string listen_host = "127.0.0.1";
  };

  // Starts the daemon and waits (up to 30 s) until GET /api/v1/health
  // answers 200. Fails with the daemon's stderr in the message when it exits
  // first (a port taken meanwhile is retried with another).
  static Status Start(const Options& options,
                      std::unique_ptr<DaemonProcess>* out);
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  // "http://127.0.0.1:PORT".
  std::string base_url() const;
  // All the daemon wrote to stderr so far.
  std::string Stderr() const;
  // Waits up to 30 s for `needle` to appear on stderr (events logged after
  // readiness, e.g. the first purge); false when it does not.
  bool WaitForStderr(const std::string& needle) const;

  // SIGTERM, then waits up to 30 s (SIGKILL after that). Returns the exit
  // code, 128 + signal when a signal ended it; the same on later calls.
  int Terminate();
  // SIGKILL and reap.
  void Kill();
  // Sends `signo` (0: none) and waits up to `limit` for the daemon to exit.
  // Returns
  // its exit code (as Terminate), or -1 when it still runs then (it is
  // left running; Terminate or the destructor end it).
  int SignalAndWait(int signo, std::chrono::milliseconds limit);

 private:
  DaemonProcess() = default;
  Status Launch(const Options& options);
  Status WaitUntilHealthy();
  int Reap(int signo);

  TempDir temp_;
  std::string data_dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  int out_fd_ = -1;  // memfds holding the child's stdout and stderr
  int err_fd_ = -1;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_DAEMON_PROCESS_H_
