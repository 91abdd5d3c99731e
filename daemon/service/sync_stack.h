// SyncStack: the daemon's sync engine with its rate limiter, markers,
// worker threads and runner, started and stopped as one (service/daemon.cc).
#ifndef TELEMED_SERVICE_SYNC_STACK_H_
#define TELEMED_SERVICE_SYNC_STACK_H_

#include <cstdint>
#include <memory>

#include "base/status.h"
#include "config/config.h"
#include "store/store.h"
#include "sync/executor.h"
#include "sync/marker.h"
#include "sync/sync_engine.h"
#include "sync/sync_runner.h"
#include "zoom/rate_limiter.h"

namespace telemed {

class Logger;

struct StoreSession;
struct ZoomSession;

class SyncStack {
 public:
  // Zoom calls in flight at once: enough that Zoom's latency, not the
  // round trip, limits a backlog's pace at the Pro budget.
  static constexpr int kCallsInFlight = 8;

  SyncStack() = default;
  // Stop()s.
  ~SyncStack();
  SyncStack(const SyncStack&) = delete;
  SyncStack& operator=(const SyncStack&) = delete;

  // Builds the engine and starts its runner; store writes wake it from now
  // on. Every pointer must outlive the stack.
  Status Start(const Config& config, StoreSession* store_session,
               ZoomSession* zoom, Logger* logger);
  // Stops the runner, lets calls in flight finish, and unhooks the store.
  void Stop();
  // SyncRunner::turns(); 0 before Start. Thread-safe after Start.
  uint64_t runner_turns() const { return runner_ ? runner_->turns() : 0; }

 private:
  Store* store_ = nullptr;
  std::unique_ptr<MarkerMaker> markers_;
  std::unique_ptr<SyncEngine> engine_;
  std::unique_ptr<ThreadPoolExecutor> executor_;
  std::unique_ptr<SyncRunner> runner_;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_SYNC_STACK_H_
