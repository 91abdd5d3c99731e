// Housekeeping: the daemon's periodic work beside the API and the sync
// engine, each on its own PeriodicTask thread: the retention purge (ended
// appointments, the audit log, expired connect links and OAuth attempts), WAL
// checkpoints (which also notice a database deleted under us), giving
// memory back after a burst, the Zoom check (ZoomWatch), the daily backup
// (DailyBackup), the status line systemd shows (StatusLine), systemd's
// watchdog (Watchdog), and disconnecting doctors from Zoom (the revokes
// Zoom could not take yet, disconnects whose deletions ended or timed out:
// sync/doctor_disconnect.h). Started once the daemon is ready, stopped before
// the sync engine when it stops.
#ifndef TELEMED_SERVICE_HOUSEKEEPING_H_
#define TELEMED_SERVICE_HOUSEKEEPING_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "base/status.h"
#include "service/daily_backup.h"
#include "service/idle_memory.h"
#include "service/periodic_task.h"
#include "service/status_line.h"
#include "service/watchdog.h"
#include "service/zoom_watch.h"

namespace telemed {

class Logger;
class Notifier;
class Store;
struct OAuthConnectDeps;

class Housekeeping final {
 public:
  struct Options {
    // Borrowed; each must outlive the Housekeeping.
    Store* store = nullptr;
    Logger* logger = nullptr;
    // Appointments that ended more than this many days ago are purged.
    int retention_days = 90;
    // A count that moves with the front ends' work (the API's requests):
    // with the store's commits it tells a burst from a quiet period.
    std::function<uint64_t()> activity;
    // Asks the daemon to stop (the database file went away); true for the
    // first request only.
    std::function<bool(const Status& why)> request_stop;
    // What the Zoom check uses; its store, clock and logger included.
    ZoomWatch::Options zoom_watch;
    // The status line's; its store and notifier included.
    StatusLine::Options status_line;
    // The watchdog's; used only when the notifier reports a watchdog
    // interval (WatchdogSec=).
    Watchdog::Options watchdog;
    // The daily backup's folder, clock and count (its store and logger are
    // the ones above). keep 0 writes no backups.
    DailyBackup::Options daily_backup;
    // The doctors' Zoom connections (their clock is the disconnects'); null:
    // no disconnect task.
    const OAuthConnectDeps* oauth_connect = nullptr;
  };

  // Starts every task; each runs once at once, then at its interval.
  explicit Housekeeping(const Options& options);
  // Stop()s, then ends the watchdog.
  ~Housekeeping();
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  // Stops every task but the watchdog (runs in progress finish), which
  // keeps pinging while the rest of the daemon stops (its `stopping` says
  // so by then). Idempotent.
  void Stop();

 private:
  void PurgeEnded();
  void PurgeOAuthSteps();
  void CheckDatabase();
  uint64_t ActivityCount();
  void ReleaseMemory();
  void TendDisconnects();
  // Null without a watchdog.
  std::unique_ptr<PeriodicTask> StartWatchdogTicks();

  const Options options_;
  IdleMemory idle_memory_;
  ZoomWatch zoom_watch_;
  StatusLine status_line_;
  std::unique_ptr<Watchdog> watchdog_;  // null without a systemd watchdog
  DailyBackup daily_backup_;
  // Threads last: each may run at once and uses what is above.
  PeriodicTask purge_;
  PeriodicTask checkpoint_;
  PeriodicTask release_memory_;
  PeriodicTask zoom_check_;
  PeriodicTask status_;
  std::unique_ptr<PeriodicTask> watchdog_ticks_;  // null with watchdog_
  std::unique_ptr<PeriodicTask> backup_;          // null when backups are off
  std::unique_ptr<PeriodicTask> disconnects_;     // null without oauth_connect
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_HOUSEKEEPING_H_
