#include "config/daemon_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "base/posix_error.h"
#include "config/data_dir.h"

namespace telemed {

namespace {

constexpr size_t kMaxLockFileBytes = 512;

std::string ReadAll(int fd) {
  char buffer[kMaxLockFileBytes];
  ssize_t n = pread(fd, buffer, sizeof(buffer), 0);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

// The value of "name=value" on a line of its own, or "".
std::string Field(const std::string& text, const std::string& name) {
  std::string key = name + "=";
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, key.size(), key) == 0) {
      return text.substr(start + key.size(), end - start - key.size());
    }
    start = end + 1;
  }
  return std::string();
}

int64_t Number(const std::string& text) {
  char* end = nullptr;
  long long value = strtoll(text.c_str(), &end, 10);
  return end != text.c_str() && *end == '\0' && value > 0 ? value : 0;
}

void Parse(const std::string& text, LockHolder* out) {
  out->pid = static_cast<pid_t>(Number(Field(text, "pid")));
  out->listen = Field(text, "listen");
  out->started_at = Number(Field(text, "started"));
}

// Permission problems name the file's owner and mode and who we run as.
Status LockError(const std::string& what, const std::string& path, int err) {
  bool denied = err == EACCES || err == EPERM;
  return PosixError(what + " " + (denied ? DescribeAccess(path) : path), err);
}

// Inspect() holds a shared lock for an instant; a daemon starting just
// then must not take that for another daemon.
bool TryLockExclusive(int fd) {
  for (int attempt = 0;; ++attempt) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK || attempt == 4) return false;
    usleep(20 * 1000);
  }
}

}  // namespace

std::string DaemonLock::LockPath(const std::string& data_dir) {
  return data_dir + "/serve.lock";
}

Status DaemonLock::Acquire(const std::string& data_dir,
                           std::unique_ptr<DaemonLock>* out) {
  std::string path = LockPath(data_dir);
  // CLOEXEC: a child we spawn must not keep the lock after we are gone.
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return LockError("opening", path, errno);
  std::unique_ptr<DaemonLock> lock(new DaemonLock(fd, path));
  if (!TryLockExclusive(fd)) {
    int err = errno;
    if (err != EWOULDBLOCK) return LockError("locking", path, err);
    LockHolder holder;
    Parse(ReadAll(fd), &holder);
    std::string who = holder.pid > 0 ? "PID " + std::to_string(holder.pid)
                                     : std::string("another process");
    if (!holder.listen.empty()) who += ", listening on " + holder.listen;
    return Status::Conflict(
        "daemon_running",
        "another telemed-bridge (" + who + ") already serves the data dir " +
            AbsolutePath(data_dir) + " (it holds " + AbsolutePath(path) +
            "); stop it first, or give this one its own "
            "--data-dir");
  }
  lock->pid_ = getpid();
  LockHolder holder;
  holder.pid = lock->pid_;
  Status s = lock->Write(holder);
  if (s.ok()) *out = std::move(lock);
  return s;
}

DaemonLock::~DaemonLock() { close(fd_); }

Status DaemonLock::Describe(const std::string& listen, int64_t started_at) {
  LockHolder holder;
  holder.pid = pid_;
  holder.listen = listen;
  holder.started_at = started_at;
  return Write(holder);
}

Status DaemonLock::Write(const LockHolder& holder) {
  std::string text = "pid=" + std::to_string(holder.pid) + "\n";
  if (!holder.listen.empty()) text += "listen=" + holder.listen + "\n";
  if (holder.started_at > 0) {
    text += "started=" + std::to_string(holder.started_at) + "\n";
  }
  // Readers take no lock: a reader racing this sees a short or mixed text
  // at worst, which only costs it the details.
  if (ftruncate(fd_, 0) != 0) return LockError("writing", path_, errno);
  ssize_t n = pwrite(fd_, text.data(), text.size(), 0);
  if (n != static_cast<ssize_t>(text.size())) {
    return LockError("writing", path_, n < 0 ? errno : EIO);
  }
  return Status::OK();
}

Status DaemonLock::Inspect(const std::string& data_dir, LockHolder* out) {
  *out = LockHolder();
  std::string path = LockPath(data_dir);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT ? Status::OK() : LockError("opening", path, errno);
  }
  // A shared lock is granted only when no daemon holds the exclusive one;
  // it is dropped at once, so we never hold up a daemon starting.
  int err = flock(fd, LOCK_SH | LOCK_NB) == 0 ? 0 : errno;
  if (err == 0) flock(fd, LOCK_UN);
  if (err == EWOULDBLOCK) {
    out->running = true;
    Parse(ReadAll(fd), out);
  }
  close(fd);
  if (err != 0 && err != EWOULDBLOCK) return LockError("locking", path, err);
  return Status::OK();
}

}  // namespace telemed
