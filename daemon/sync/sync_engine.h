// SyncEngine: converges Zoom to the stored appointments (docs/sync.md).
//
// Step() looks at what is due on the injected clock: it settles steps that
// need no call (converged, detach, waiting for a doctor) at once, and starts
// Zoom calls on the executor up to max_in_flight, within the rate limits and
// daily quotas. Each call records its result in the store in one
// transaction against the fresh appointment. Step() never waits for Zoom;
// the caller runs it again when *next_wake_micros comes, when the store is
// written, or when a call completes (see SyncRunner).
#ifndef TELEMED_SYNC_SYNC_ENGINE_H_
#define TELEMED_SYNC_SYNC_ENGINE_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/status.h"
#include "store/sync_queue.h"
#include "store/sync_records.h"
#include "sync/failure_log.h"
#include "sync/outcome.h"
#include "sync/planner.h"

namespace telemed {

class Clock;
class Executor;
class Logger;
class MarkerMaker;
class RandomSource;
class RateLimiter;
class ZoomApi;
struct ZoomError;

class SyncEngine {
 public:
  struct Options {
    // All borrowed; each must outlive the engine.
    SyncQueue* store = nullptr;
    ZoomApi* zoom = nullptr;
    RateLimiter* limiter = nullptr;
    const Clock* clock = nullptr;
    RandomSource* random = nullptr;  // passcodes and jitter
    const MarkerMaker* markers = nullptr;
    Logger* logger = nullptr;
    Executor* executor = nullptr;
    SyncSettings settings;
    // Zoom calls running at once (appointments and deletions together).
    int max_in_flight = 8;
    // Called after each call completes (the runner wakes and steps again).
    std::function<void()> on_call_done;
  };

  explicit SyncEngine(const Options& options)
      : options_(options),
        failure_log_(options.logger, kFailureLogWindowMicros) {}

  // Starts what is due. *next_wake_micros receives when something is next
  // due or a limit lifts (0: nothing scheduled; wait for a store write or a
  // completed call). Errors are the store's; Zoom's are recorded per task.
  Status Step(int64_t* next_wake_micros);

  // Zoom calls running now.
  int InFlight();

 private:
  enum class Admission { kGo, kHeld };

  // Each adds to *progress what it settled or started.
  Status StartDeletions(int64_t now, int* capacity, int* progress);
  Status StartTasks(int64_t now, int* capacity, int* progress);
  // The update for a step that needs no Zoom call (`planned` on the task
  // as read).
  SyncUpdate SettleLocally(StepKind planned, int64_t now) const;
  // Stores the updates of one Step that need no call in one transaction.
  Status StoreLocally(const std::vector<SyncTaskUpdate>& updates);
  Admission Admit(const SyncTask& task, const Plan& plan, int64_t now);
  Status Hold(const std::string& id, int64_t until);
  bool Claim(const std::string& key) EXCLUDES(mu_);
  void Release(const std::string& key) EXCLUDES(mu_);
  std::vector<std::string> Claimed(const char* prefix) EXCLUDES(mu_);

  // The calls, each run on the executor (sync_calls.cc).
  void RunCreate(SyncTask task, Plan plan);
  void RunLookup(SyncTask task, Plan plan);
  void RunSweep(SyncTask task, Plan plan);
  void RunPatch(SyncTask task, Plan plan);
  void RunCheck(SyncTask task);
  void RunDelete(PendingDeletion deletion);
  // Lists `host`'s scheduled meetings for appointment `id`; on a failure
  // records it (RecordFailure) and returns false.
  bool ListHost(const std::string& id, const std::string& host,
                std::vector<ZoomMeeting>* listed);
  Status CallCreate(const SyncTask& task, const Plan& plan, int64_t generation,
                    ZoomMeeting* meeting, std::string* warning,
                    ZoomError* error);
  // A failed call's outcome and the update that stores it. Classifying
  // pauses the limiter for a 429 (ResumeAt).
  struct PlannedFailure {
    Outcome outcome;
    SyncUpdate update;
  };
  PlannedFailure PlanFailure(ZoomCall call, const Status& status,
                             const ZoomError& error, const std::string& host);
  // Stores and logs a failed call's outcome for appointment `id`.
  void RecordFailure(const std::string& id, ZoomCall call, const Status& status,
                     const ZoomError& error, const std::string& host);
  // Pauses the limiter for a 429 and returns when to try again.
  int64_t ResumeAt(ZoomCall call, const Outcome& outcome,
                   const ZoomError& error, const std::string& host,
                   int64_t now);
  int HostWritesToday(const std::string& host, int64_t now);
  void CountWrite(const std::string& host, int64_t now);
  void Finish(const std::string& key);
  void LogTimezoneRefused(const std::string& id, const std::string& zone);
  // Also counts a write to `host` (the PATCH about to go) for today.
  Status SetPatchInDoubt(const std::string& id, bool in_doubt,
                         const std::string& host, int64_t now);
  void LogStoreFailure(const char* what, const Status& status);

  // Identical failures within this long are logged once, then summed up.
  static constexpr int64_t kFailureLogWindowMicros = 60 * 1000000;

  const Options options_;
  RepeatedFailureLog failure_log_;
  Mutex mu_;
  std::set<std::string> in_flight_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_SYNC_SYNC_ENGINE_H_
