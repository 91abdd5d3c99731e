// The real ProcessIdentity: the only code that reads processes from /proc.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "base/process_identity.h"

namespace telemed {

namespace {

// Reads a small /proc file whole; *err the errno when it fails.
bool ReadProcFile(const std::string& path, std::string* out, int* err) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  out->clear();
  char buffer[1024];
  ssize_t got = 0;
  while ((got = read(fd, buffer, sizeof(buffer))) > 0) out->append(buffer, got);
  *err = got < 0 ? errno : 0;
  close(fd);
  return got == 0;
}

}  // namespace

bool RealProcessIdentity::Scope(std::string* out) const {
  std::string boot;
  int err = 0;
  if (!ReadProcFile("/proc/sys/kernel/random/boot_id", &boot, &err)) {
    return false;
  }
  while (!boot.empty() && (boot.back() == '\n' || boot.back() == ' ')) {
    boot.pop_back();
  }
  // Names the pid namespace, e.g. "pid:[4026531836]": pids are compared
  // only between processes that see the same ones.
  char link[128];
  const ssize_t length = readlink("/proc/self/ns/pid", link, sizeof(link));
  if (boot.empty() || length <= 0 ||
      static_cast<size_t>(length) >= sizeof(link)) {
    return false;
  }
  *out = boot + "/" + std::string(link, length);
  return true;
}

bool RealProcessIdentity::Self(int64_t* pid, uint64_t* start_time) const {
  *pid = getpid();
  return Find(*pid, start_time) == Lookup::kRunning;
}

ProcessIdentity::Lookup RealProcessIdentity::Find(int64_t pid,
                                                  uint64_t* start_time) const {
  if (pid <= 0) return Lookup::kUnknown;
  std::string stat;
  int err = 0;
  if (!ReadProcFile("/proc/" + std::to_string(pid) + "/stat", &stat, &err)) {
    // ENOENT, or ESRCH when it ends while being read: no such process.
    return err == ENOENT || err == ESRCH ? Lookup::kGone : Lookup::kUnknown;
  }
  char state = 0;
  if (!ParseProcStat(stat, &state, start_time)) return Lookup::kUnknown;
  // A zombie (killed, not yet reaped) runs no code any more.
  if (state == 'Z' || state == 'X' || state == 'x') return Lookup::kGone;
  return Lookup::kRunning;
}

}  // namespace telemed
