#include "support/daemon_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

extern char** environ;

namespace telemed {
namespace test {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

bool IsScrubbed(const std::string& entry) {
  for (const char* prefix : {"TELEMED_", "NOTIFY_SOCKET=", "WATCHDOG_"}) {
    if (entry.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> ChildEnvironment(
    const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!IsScrubbed(*entry)) env.push_back(*entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>* strings) {
  std::vector<char*> out;
  for (std::string& s : *strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct Child {
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
};

// A memfd holding `text`, positioned at its start: the child reads it as
// stdin. -1 on failure.
int StdinFd(const std::string& text) {
  int fd = memfd_create("stdin", MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (write(fd, text.data(), text.size()) !=
          static_cast<ssize_t>(text.size()) ||
      lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Starts TELEMED_BINARY with stdout and stderr in fresh memfds and stdin
// from `stdin_text` (/dev/null when null). Everything the child needs is
// built before fork: the test binary has threads, so the child may only
// call async-signal-safe functions.
bool Spawn(std::vector<std::string> args, const std::vector<std::string>& extra,
           const std::string* stdin_text, Child* child) {
  args.insert(args.begin(), TELEMED_BINARY);
  std::vector<std::string> env = ChildEnvironment(extra);
  std::vector<char*> argv = CStrings(&args);
  std::vector<char*> envp = CStrings(&env);
  child->out_fd = memfd_create("stdout", MFD_CLOEXEC);
  child->err_fd = memfd_create("stderr", MFD_CLOEXEC);
  int in_fd = stdin_text ? StdinFd(*stdin_text)
                         : open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (child->out_fd < 0 || child->err_fd < 0 || in_fd < 0) {
    if (in_fd >= 0) close(in_fd);
    return false;
  }
  child->pid = fork();
  if (child->pid == 0) {
    dup2(in_fd, STDIN_FILENO);
    dup2(child->out_fd, STDOUT_FILENO);
    dup2(child->err_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in_fd);
  return child->pid > 0;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  for (off_t at = 0; (n = pread(fd, buffer, sizeof(buffer), at)) > 0; at += n) {
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

// Waits for `pid` up to `timeout`; true with *code when it ended.
bool WaitExit(pid_t pid, milliseconds timeout, int* code) {
  auto deadline = steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *code = DecodeStatus(status);
      return true;
    }
    if (steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

// Kills `pid` with `signo` unless it ends within `timeout` of signo, then
// SIGKILL; returns its exit code.
int EndChild(pid_t pid, int signo, milliseconds timeout) {
  int code = -1;
  kill(pid, signo);
  if (WaitExit(pid, timeout, &code)) return code;
  kill(pid, SIGKILL);
  WaitExit(pid, seconds(30), &code);
  return code;
}

}  // namespace

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

CliResult RunCli(const std::vector<std::string>& args,
                 const std::vector<std::string>& env) {
  return RunCliWithStdin(args, nullptr, env);
}

CliResult RunCliWithStdin(const std::vector<std::string>& args,
                          const std::string* stdin_text,
                          const std::vector<std::string>& env) {
  CliResult result;
  Child child;
  if (Spawn(args, env, stdin_text, &child)) {
    if (!WaitExit(child.pid, seconds(60), &result.exit_code)) {
      result.exit_code = EndChild(child.pid, SIGKILL, milliseconds(0));
    }
    result.out = ReadAll(child.out_fd);
    result.err = ReadAll(child.err_fd);
  }
  if (child.out_fd >= 0) close(child.out_fd);
  if (child.err_fd >= 0) close(child.err_fd);
  return result;
}

Status DaemonProcess::Start(const Options& options,
                            std::unique_ptr<DaemonProcess>* out) {
  std::unique_ptr<DaemonProcess> daemon(new DaemonProcess());
  daemon->data_dir_ =
      options.data_dir.empty() ? daemon->temp_.File("data") : options.data_dir;
  Status s;
  // A port picked free may be taken before the daemon binds it: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    s = daemon->Launch(options);
    if (s.ok()) s = daemon->WaitUntilHealthy();
    if (s.ok()) break;
  }
  if (s.ok()) *out = std::move(daemon);
  return s;
}

Status DaemonProcess::Launch(const Options& options) {
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
  port_ = FreePort();
  std::vector<std::string> args = {
      "serve", "--data-dir", data_dir_, "--listen",
      options.listen_host + ":" + std::to_string(port_)};
  args.insert(args.end(), options.args.begin(), options.args.end());
  Child child;
  bool spawned = Spawn(args, options.env, nullptr, &child);
  pid_ = child.pid;
  out_fd_ = child.out_fd;
  err_fd_ = child.err_fd;
  exit_code_ = -1;
  if (!spawned)
    return Status::IoError("spawn_failed", "cannot start the daemon");
  return Status::OK();
}

Status DaemonProcess::WaitUntilHealthy() {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(0, 200000);
  auto deadline = steady_clock::now() + seconds(30);
  while (steady_clock::now() < deadline) {
    int code = 0;
    if (WaitExit(pid_, milliseconds(0), &code)) {
      pid_ = -1;
      exit_code_ = code;
      return Status::Unavailable(
          "daemon_exited",
          "the daemon exited with " + std::to_string(code) + ": " + Stderr());
    }
    auto response = client.Get("/api/v1/health");
    if (response && response->status == 200) return Status::OK();
    std::this_thread::sleep_for(milliseconds(10));
  }
  Kill();
  return Status::Unavailable("daemon_not_healthy",
                             "no answer on /api/v1/health: " + Stderr());
}

DaemonProcess::~DaemonProcess() {
  Kill();
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

std::string DaemonProcess::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string DaemonProcess::Stderr() const {
  return err_fd_ >= 0 ? ReadAll(err_fd_) : std::string();
}

bool DaemonProcess::WaitForStderr(const std::string& needle) const {
  auto deadline = steady_clock::now() + seconds(30);
  while (Stderr().find(needle) == std::string::npos) {
    if (steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

int DaemonProcess::Reap(int signo) {
  if (pid_ > 0) {
    exit_code_ = EndChild(pid_, signo, seconds(30));
    pid_ = -1;
  }
  return exit_code_;
}

int DaemonProcess::Terminate() { return Reap(SIGTERM); }

void DaemonProcess::Kill() { Reap(SIGKILL); }

int DaemonProcess::SignalAndWait(int signo, milliseconds limit) {
  if (pid_ <= 0) return exit_code_;
  int code = -1;
  kill(pid_, signo);
  if (!WaitExit(pid_, limit, &code)) return -1;
  exit_code_ = code;
  pid_ = -1;
  return code;
}

}  // namespace test
}  // namespace telemed
