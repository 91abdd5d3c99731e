// DaemonLock: one `serve` per data directory.
//
// Two daemons on one database would both converge Zoom and create every
// meeting twice. So `serve` holds an exclusive flock(2) on
// DATA_DIR/serve.lock for its whole life; the kernel drops it when the
// process ends however it ends, so a crash never leaves a stale lock. The
// file also says who holds it (PID, listen address, start time) for a second
// `serve`'s error and for `status`. CLI commands never take the lock: they
// work beside the daemon through SQLite's own locking.
#ifndef TELEMED_CONFIG_DAEMON_LOCK_H_
#define TELEMED_CONFIG_DAEMON_LOCK_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "base/status.h"

namespace telemed {

// What a lock file says about its holder.
struct LockHolder {
  bool running = false;    // the lock is held right now
  pid_t pid = 0;           // 0 when the file does not say
  std::string listen;      // "HOST:PORT", "" until the daemon has bound
  int64_t started_at = 0;  // unix seconds, 0 when unknown
};

class DaemonLock final {
 public:
  // Takes the lock of `data_dir` (which must exist) without waiting and
  // records this process's PID. Conflict("daemon_running") naming the data
  // dir and the holder's PID when another process holds it; IoError /
  // PermissionDenied naming the lock file otherwise.
  static Status Acquire(const std::string& data_dir,
                        std::unique_ptr<DaemonLock>* out);
  // Releases the lock (closes the file; the file itself stays).
  ~DaemonLock();
  DaemonLock(const DaemonLock&) = delete;
  DaemonLock& operator=(const DaemonLock&) = delete;

  // Records where the daemon listens and since when (unix seconds), for
  // `status`.
  Status Describe(const std::string& listen, int64_t started_at);

  // Reads the lock of `data_dir` without taking it. A missing lock file
  // means no daemon (running false, OK).
  static Status Inspect(const std::string& data_dir, LockHolder* out);

  // "<data_dir>/serve.lock".
  static std::string LockPath(const std::string& data_dir);

 private:
  DaemonLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status Write(const LockHolder& holder);

  const int fd_;
  const std::string path_;
  pid_t pid_ = 0;
};

}  // namespace telemed

#endif  // TELEMED_CONFIG_DAEMON_LOCK_H_
