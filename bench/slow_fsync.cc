// libslow_fsync: an LD_PRELOAD shim for sync_bench's --fsync-delay-ms.
// Every fsync and fdatasync of the process waits SLOW_FSYNC_DELAY_US
// microseconds first, as on a box whose disk takes that long to flush, so
// the commits on the way from a PUT to `synced` show in the latency.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>

namespace {

using SyncFn = int (*)(int);

void Delay() {
  const char* text = std::getenv("SLOW_FSYNC_DELAY_US");
  long micros = text != nullptr ? std::strtol(text, nullptr, 10) : 0;
  if (micros > 0) usleep(static_cast<useconds_t>(micros));
}

SyncFn Next(const char* name) {
  return reinterpret_cast<SyncFn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" int fsync(int fd) {
  static const SyncFn next = Next("fsync");
  Delay();
  return next(fd);
}

extern "C" int fdatasync(int fd) {
  static const SyncFn next = Next("fdatasync");
  Delay();
  return next(fd);
}
