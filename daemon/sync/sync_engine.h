// SyncEngine: converges Zoom to the stored appointments (docs/sync.md).
//
// Step() looks at what is due on the injected clock: it settles steps that
// need no call (converged, detach, waiting for a doctor) at once, and starts
// Zoom calls on the executor up to max_in_flight, within the rate limits and
// daily quotas. Each call records its result in the store in one
// transaction, computed outside it on the task as read and computed again
// if the appointment changed meanwhile (ChangeSyncTask). Step() never waits for
// Zoom; the caller runs it again when *next_wake_micros comes, when the store
// is written, or when a call completes (see SyncRunner).
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
#include "sync/call_results.h"
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
class ZoomClient;
struct ZoomError;

// The API that acts for meeting host `host` (a ZoomState::meeting_host)
// and the Zoom user to name in its paths: the S2S app `s2s` and `host`
// itself, or an OAuth doctor's own API from `doctors` and "me". Null when
// that is an OAuth doctor's and `doctors` is null.
ZoomApi* ApiForHost(ZoomApi* s2s, ZoomClient* doctors, const std::string& host,
                    std::string* user);

class SyncEngine {
 public:
  struct Options {
    // All borrowed; each must outlive the engine.
    SyncQueue* store = nullptr;
    ZoomApi* zoom = nullptr;  // as the clinic's S2S app
    // Acts for OAuth doctors with their own grants (ZoomClient::ApiFor,
    // opened with Options::grants); null: their appointments wait as not
    // connected.
    ZoomClient* doctors = nullptr;
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
    // Called with the doctor's id after a create (or a lost create's
    // look-up) of an OAuth doctor was recorded: a disconnect may have come
    // while it was at Zoom (sync/doctor_disconnect.h's DeleteLateMeetings).
    // May be empty.
    std::function<Status(const std::string& doctor_id)> after_oauth_create;
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
  struct StartBatch;  // what StartTasks gathers over one read (sync_engine.cc)

  // Each adds to *progress what it settled or started.
  Status StartDeletions(int64_t now, int* capacity, int* progress);
  Status StartTasks(int64_t now, int* capacity, int* progress);
  // One due task of StartTasks: settled without a call, failed at once
  // (no usable app), held by a daily limit, or started on the executor.
  void StartTask(const SyncTask& task, StartBatch* batch);
  // Starts the task's call when capacity and the daily limits allow.
  void StartCall(const SyncTask& task, const Plan& plan, StartBatch* batch);
  // Whether Zoom can be called; asked again only after a call started.
  bool ZoomUsable(StartBatch* batch);
  // A call for OAuth doctor `doctor_id`: started when its grant is usable,
  // else the task waits for the doctor (store only, no call).
  void StartDoctorCall(const SyncTask& task, const Plan& plan,
                       const std::string& doctor_id, StartBatch* batch);
  // The API that acts for `host` and the Zoom user to name in its paths:
  // the S2S app and `host` itself, or an OAuth doctor's own API and "me".
  // Null when an OAuth doctor's API is not available (no grants role).
  ZoomApi* ApiOf(const std::string& host, std::string* user);
  // ApiOf for deleting a meeting: an OAuth doctor being disconnected still
  // deletes (ZoomClient::DeletionApiFor).
  ZoomApi* DeletionApiOf(const std::string& host, std::string* user);
  // The limiter that paces `host`'s Zoom account and the host it keeps a
  // daily hold under: the shared one and `host` for the S2S app's users;
  // an OAuth doctor's own and "me" (ZoomClient::LimiterFor).
  RateLimiter* LimiterOf(const std::string& host, std::string* held_host);
  // Stores the settlements of one Step in one transaction.
  Status StoreLocally(const std::vector<SyncTaskWrite>& writes);
  Admission Admit(const SyncTask& task, const Plan& plan, int64_t now);
  void Hold(const SyncTask& task, int64_t until);
  bool Claim(const std::string& key) EXCLUDES(mu_);
  void Release(const std::string& key) EXCLUDES(mu_);
  std::vector<std::string> Claimed(const char* prefix) EXCLUDES(mu_);

  // The frame of every Zoom call for one appointment, run on the executor
  // (sync_calls.cc): record the intent, call, record the result or the
  // failure, finish.
  void RunTask(SyncTask task, Plan plan);
  // Stores the intent of a create or PATCH before it is sent (*task
  // becomes the stored task); false when the call must not go.
  bool RecordIntent(SyncTask* task, const Plan& plan, int64_t now);
  // The step's Zoom call(s).
  CallResult Call(const SyncTask& task, const Plan& plan, int64_t now);
  CallResult CallCreate(const SyncTask& task, const Plan& plan, int64_t now);
  CallResult CallLookup(const SyncTask& task, const Plan& plan);
  // Lists the host's meetings and keeps those marked by the task's create
  // generations first_generation..create_generation (a look-up reads the
  // latest one's; a sweep every one's).
  CallResult ListMarked(const SyncTask& task, const Plan& plan,
                        int64_t first_generation);
  CallResult CallPatch(const SyncTask& task, const Plan& plan, int64_t now);
  CallResult CallCheck(const SyncTask& task);
  // Stores and logs a successful call's result.
  void RecordResult(const SyncTask& task, const Plan& plan,
                    const CallResult& result, int64_t now);
  void RunDelete(PendingDeletion deletion);
  // Deletes the meeting, or reschedules its deletion.
  void DeleteMeeting(PendingDeletion* deletion);
  void RetryDeletion(PendingDeletion* deletion, const Outcome& outcome,
                     const ZoomError& error);
  // A failed call's outcome, classified once (classifying pauses the
  // limiter for a 429, see ResumeAt), and what it changes on a task.
  struct PlannedFailure {
    ZoomCall call;
    Outcome outcome;
    ZoomError error;
    bool refused = false;
    int64_t resume_at = 0;
    int64_t now = 0;
  };
  PlannedFailure PlanFailure(ZoomCall call, const Status& status,
                             const ZoomError& error, const std::string& host);
  // Applies `failure` to *task (may run again on a fresh task).
  void ApplyPlannedFailure(const PlannedFailure& failure, SyncTask* task);
  // Stores and logs a failed call's outcome.
  void RecordFailure(const SyncTask& task, const CallResult& result);
  // The doctor's grant failed the call (not connected, reconnect needed):
  // the task waits for the doctor, with no backoff and no attempt counted.
  void RecordDoctorWait(const SyncTask& task, const CallResult& result);
  // Pauses the limiter for a 429 and returns when to try again.
  int64_t ResumeAt(ZoomCall call, const Outcome& outcome,
                   const ZoomError& error, const std::string& host,
                   int64_t now);
  int HostWritesToday(const std::string& host, int64_t now);
  void CountWrite(const std::string& host, int64_t now);
  void Finish(const std::string& key);
  void LogTimezoneRefused(const std::string& id, const std::string& zone);
  void LogStoreFailure(const char* what, const Status& status);

  // Keys of in_flight_: an appointment's id or a deletion's meeting id
  // after one of these prefixes.
  static constexpr char kTaskKey[] = "a:";
  static constexpr char kDeletionKey[] = "d:";
  // Identical failures within this long are logged once, then summed up.
  static constexpr int64_t kFailureLogWindowMicros = 60 * 1000000;

  const Options options_;
  RepeatedFailureLog failure_log_;
  Mutex mu_;
  std::set<std::string> in_flight_ GUARDED_BY(mu_);
};

}  // namespace telemed

#endif  // TELEMED_SYNC_SYNC_ENGINE_H_
