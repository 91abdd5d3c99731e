#include "service/housekeeping.h"

#include <malloc.h>

#include <chrono>

#include "base/clock.h"
#include "base/log.h"
#include "service/notifier.h"
#include "store/store.h"
#include "sync/doctor_disconnect.h"
#include "zoom/revoke_queue.h"

namespace telemed {

namespace {

constexpr std::chrono::hours kPurgeInterval(1);
constexpr std::chrono::seconds kCheckpointInterval(1);
// A quiet period this long after a burst gives the burst's memory back
// (longer than a keep-alive connection's idle timeout, 5 s).
constexpr std::chrono::seconds kIdleMemoryPeriod(6);
// How often ZoomWatch looks for changed credentials or doctors (two small
// reads); the check itself runs far less often, see service/zoom_watch.h.
constexpr std::chrono::minutes kZoomWatchInterval(1);
// How often the daily backup looks whether one is due (a directory listing);
// a backup is written when the newest is a day old, see daily_backup.h.
constexpr std::chrono::minutes kBackupCheckInterval(10);
// How often queued revokes and disconnecting doctors are looked at (a
// small read each); revokes wait their own backoff, see
// zoom/revoke_queue.h.
constexpr std::chrono::seconds kDisconnectInterval(30);

// The status line follows the queue within this time.
constexpr std::chrono::seconds kStatusInterval(2);
// Watchdog ticks per WatchdogSec=: one withheld or late ping alone never
// gets the bridge killed.
constexpr int kWatchdogTicksPerInterval = 4;

std::unique_ptr<Watchdog> MakeWatchdog(const Watchdog::Options& options) {
  if (options.notifier->WatchdogInterval().count() <= 0) return nullptr;
  return std::make_unique<Watchdog>(options);
}

DailyBackup::Options WithStore(DailyBackup::Options options, Store* store,
                               Logger* logger) {
  options.store = store;
  options.logger = logger;
  return options;
}

}  // namespace

// Checkpoints run off the commit path, so that no commit pays for one. The
// Zoom check has its own thread: its first run talks to Zoom and must not
// hold up the rest.
Housekeeping::Housekeeping(const Options& options)
    : options_(options),
      idle_memory_([this] { return ActivityCount(); },
                   [this] { ReleaseMemory(); }),
      zoom_watch_(options.zoom_watch),
      status_line_(options.status_line),
      watchdog_(MakeWatchdog(options.watchdog)),
      daily_backup_(
          WithStore(options.daily_backup, options.store, options.logger)),
      purge_(kPurgeInterval, [this] { PurgeEnded(); }),
      checkpoint_(kCheckpointInterval, [this] { CheckDatabase(); }),
      release_memory_(kIdleMemoryPeriod, [this] { idle_memory_.Tick(); }),
      zoom_check_(kZoomWatchInterval, [this] { zoom_watch_.Tick(); }),
      status_(kStatusInterval, [this] { status_line_.Tick(); }),
      watchdog_ticks_(StartWatchdogTicks()) {
  if (options.daily_backup.keep > 0) {
    backup_ = std::make_unique<PeriodicTask>(kBackupCheckInterval,
                                             [this] { daily_backup_.Tick(); });
  }
  if (options.oauth_connect != nullptr) {
    disconnects_ = std::make_unique<PeriodicTask>(
        kDisconnectInterval, [this] { TendDisconnects(); });
  }
}

Housekeeping::~Housekeeping() { Stop(); }

void Housekeeping::Stop() {
  purge_.Stop();
  checkpoint_.Stop();
  release_memory_.Stop();
  zoom_check_.Stop();
  status_.Stop();
  if (backup_ != nullptr) backup_->Stop();
  if (disconnects_ != nullptr) disconnects_->Stop();
}

void Housekeeping::TendDisconnects() {
  const OAuthConnectDeps& deps = *options_.oauth_connect;
  const int64_t now = deps.oauth.clock->NowSeconds();
  RevokeRound round;
  int purged = 0;
  Status s = RetryDueRevokes(RevokeDepsOf(deps), now, &round);
  if (s.ok()) s = FinishDisconnects(deps, now, &purged);
  if (!s.ok()) {
    options_.logger->Error("disconnecting doctors from Zoom: %s",
                           s.ToString().c_str());
  }
}

std::unique_ptr<PeriodicTask> Housekeeping::StartWatchdogTicks() {
  if (watchdog_ == nullptr) return nullptr;
  auto period = std::chrono::duration_cast<std::chrono::milliseconds>(
      options_.watchdog.notifier->WatchdogInterval() /
      kWatchdogTicksPerInterval);
  options_.logger->Info(
      "systemd watchdog: checking the API and the sync runner every %lld ms",
      static_cast<long long>(period.count()));
  return std::make_unique<PeriodicTask>(period, [this] { watchdog_->Tick(); });
}

void Housekeeping::PurgeEnded() {
  int purged = 0;
  Status s = options_.store->PurgeEnded(options_.retention_days, &purged);
  if (!s.ok()) {
    options_.logger->Error("purging ended appointments failed: %s",
                           s.ToString().c_str());
    return;
  }
  options_.logger->Info(
      "purged %d appointment(s) that ended more than %d day(s) ago", purged,
      options_.retention_days);
  s = options_.store->PurgeAuditEntries(kAuditKeepDays, &purged);
  if (!s.ok()) {
    options_.logger->Error("purging the admin audit log failed: %s",
                           s.ToString().c_str());
  }
  PurgeOAuthSteps();
}

// Links and attempts nobody opened in time: unusable, and each names a
// doctor, so they do not stay in the file.
void Housekeeping::PurgeOAuthSteps() {
  int purged = 0;
  Status s = options_.store->PurgeExpiredOAuthSteps(&purged);
  if (!s.ok()) {
    options_.logger->Error("purging expired connect links failed: %s",
                           s.ToString().c_str());
  } else if (purged > 0) {
    options_.logger->Info(
        "purged %d expired connect link(s) and OAuth attempt(s)", purged);
  }
}

uint64_t Housekeeping::ActivityCount() {
  return options_.activity() + options_.store->LatestChangeSeq();
}

void Housekeeping::ReleaseMemory() {
  options_.store->ReleaseMemory();
  // Also the free pages inside malloc's arenas, not only its top.
  malloc_trim(0);
}

// A database deleted or replaced under us: writes already fail (503); stop,
// so that the supervisor restarts the bridge on whatever file is there.
void Housekeeping::CheckDatabase() {
  Status s = options_.store->CheckFile();
  if (!s.ok() && options_.request_stop(s)) {
    options_.logger->Error("%s; stopping", s.message().c_str());
  }
  s = options_.store->Checkpoint(nullptr, nullptr);
  if (!s.ok()) {
    options_.logger->Error("checkpoint failed: %s", s.ToString().c_str());
  }
}

}  // namespace telemed
