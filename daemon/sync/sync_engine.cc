#include "sync/sync_engine.h"

#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "store/sync_queue.h"
#include "sync/executor.h"
#include "sync/task_updates.h"
#include "zoom/rate_limiter.h"
#include "zoom/zoom_api.h"

namespace telemed {

namespace {

constexpr char kTaskKey[] = "a:";
constexpr char kDeletionKey[] = "d:";
// Zoom's cap on create+update per host and UTC day.
constexpr int kDailyHostLimit = 100;
// Due tasks read per Step beyond free capacity: tasks held by a limit are
// skipped, and the ones behind them may still go.
constexpr int kLookAhead = 32;
// Rounds of one Step (each settles or starts what the previous made due).
constexpr int kMaxRounds = 8;

int64_t Earliest(int64_t a, int64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

ZoomCall CallOf(StepKind kind) {
  switch (kind) {
    case StepKind::kCreate:
      return ZoomCall::kCreate;
    // A sweep makes the look-up's call (list the host's meetings).
    case StepKind::kLookup:
    case StepKind::kSweep:
      return ZoomCall::kLookup;
    case StepKind::kPatch:
      return ZoomCall::kPatch;
    default:
      return ZoomCall::kCheck;
  }
}

bool CountsAgainstDailyLimit(StepKind kind) {
  return kind == StepKind::kCreate || kind == StepKind::kPatch;
}

std::vector<std::string> StripPrefix(const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const std::string& key : keys) out.push_back(key.substr(2));
  return out;
}

}  // namespace

int SyncEngine::InFlight() {
  MutexLock lock(&mu_);
  return static_cast<int>(in_flight_.size());
}

bool SyncEngine::Claim(const std::string& key) {
  MutexLock lock(&mu_);
  return in_flight_.insert(key).second;
}

void SyncEngine::Release(const std::string& key) {
  MutexLock lock(&mu_);
  in_flight_.erase(key);
}

std::vector<std::string> SyncEngine::Claimed(const char* prefix) {
  MutexLock lock(&mu_);
  std::vector<std::string> out;
  for (const std::string& key : in_flight_) {
    if (key.compare(0, 2, prefix) == 0) out.push_back(key);
  }
  return out;
}

void SyncEngine::Finish(const std::string& key) {
  Release(key);
  if (options_.on_call_done) options_.on_call_done();
}

void SyncEngine::LogStoreFailure(const char* what, const Status& status) {
  options_.logger->Error("sync: %s: %s", what, status.ToString().c_str());
}

Status SyncEngine::Step(int64_t* next_wake_micros) {
  failure_log_.Flush(options_.clock->NowMicros());
  const int64_t now = options_.clock->NowSeconds();
  int64_t wake = 0;
  // A step settled here can make more work due at once (a detached meeting
  // joins the deletion queue; a forgotten one is to be created): go round
  // again while rounds make progress.
  for (int round = 0; round < kMaxRounds; ++round) {
    int capacity = options_.max_in_flight - InFlight();
    int progress = 0;
    Status s = StartDeletions(now, &capacity, &progress);
    if (s.ok()) s = StartTasks(now, &capacity, &progress);
    if (!s.ok()) return s;
    if (progress == 0) break;
  }
  int64_t due = 0;
  bool has_any = false;
  Status s = options_.store->NextSyncDeadline(&due, &has_any);
  if (!s.ok()) return s;
  // Work that is due but did not fit waits for a completed call, which
  // wakes the runner through on_call_done.
  if (has_any && due > now) wake = Earliest(wake, due * 1000000);
  *next_wake_micros = wake;
  return Status::OK();
}

Status SyncEngine::StartDeletions(int64_t now, int* capacity, int* progress) {
  if (*capacity <= 0) return Status::OK();
  std::vector<PendingDeletion> due;
  Status s = options_.store->ListDueDeletions(
      now, *capacity, StripPrefix(Claimed(kDeletionKey)), &due);
  if (!s.ok()) return s;
  for (PendingDeletion& deletion : due) {
    if (!Claim(kDeletionKey + deletion.meeting_id)) continue;
    --*capacity;
    ++*progress;
    options_.executor->Submit([this, deletion] { RunDelete(deletion); });
  }
  return Status::OK();
}

Status SyncEngine::StartTasks(int64_t now, int* capacity, int* progress) {
  if (*capacity <= 0) return Status::OK();
  std::vector<SyncTask> due;
  Status s = options_.store->ListDueSyncTasks(
      now, *capacity + kLookAhead, StripPrefix(Claimed(kTaskKey)), &due);
  if (!s.ok()) return s;
  // Without a usable app every call would fail alike, so such tasks are
  // settled here without spending the budget. Only a call can change the
  // answer: it is asked again after each one started.
  Status usable;
  bool recheck = true;
  int unusable = 0;
  // Settled without a call: stored together after the loop (one commit
  // for a whole backlog rather than one each).
  std::vector<SyncTaskUpdate> local;
  for (SyncTask& task : due) {
    const std::string& id = task.appointment.request.id;
    Plan plan = PlanStep(task, options_.settings, now);
    if (plan.kind == StepKind::kConverged ||
        plan.kind == StepKind::kWaitForDoctor ||
        plan.kind == StepKind::kDetach) {
      local.push_back({id, SettleLocally(plan.kind, now)});
      ++*progress;
      continue;
    }
    if (recheck) usable = options_.zoom->CheckUsable();
    recheck = false;
    if (!usable.ok()) {
      local.push_back(
          {id, PlanFailure(CallOf(plan.kind), usable, ZoomError(), plan.host)
                   .update});
      ++unusable;
      ++*progress;
      continue;
    }
    if (*capacity <= 0) continue;
    if (Admit(task, plan, now) != Admission::kGo) continue;
    if (!Claim(kTaskKey + id)) continue;
    --*capacity;
    ++*progress;
    recheck = true;
    options_.executor->Submit([this, task, plan] {
      switch (plan.kind) {
        case StepKind::kCreate:
          return RunCreate(task, plan);
        case StepKind::kLookup:
          return RunLookup(task, plan);
        case StepKind::kSweep:
          return RunSweep(task, plan);
        case StepKind::kPatch:
          return RunPatch(task, plan);
        default:
          return RunCheck(task);
      }
    });
  }
  if (unusable > 0) {
    options_.logger->Warning("sync: %d appointment(s) cannot sync: %s",
                             unusable, usable.ToString().c_str());
  }
  return StoreLocally(local);
}

// Steps that need no Zoom call, on the fresh task: a clinic change since
// the read may have changed the plan.
SyncUpdate SyncEngine::SettleLocally(StepKind planned, int64_t now) const {
  return [this, planned, now](SyncTask* fresh) {
    const SyncSettings& settings = options_.settings;
    if (planned == StepKind::kDetach &&
        PlanStep(*fresh, settings, now).kind == StepKind::kDetach) {
      DetachMeeting(fresh);
    }
    Settle(settings, now, fresh);
    return Status::OK();
  };
}

Status SyncEngine::StoreLocally(const std::vector<SyncTaskUpdate>& updates) {
  std::vector<Status> results;
  Status s = options_.store->UpdateSyncTasks(updates, &results);
  if (!s.ok()) return s;
  for (const Status& result : results) {
    // An appointment purged since the read needs nothing more.
    if (!result.ok() && result.reason() != "appointment_not_found") {
      LogStoreFailure("settling an appointment", result);
    }
  }
  return Status::OK();
}

// Whether a call may start: kHeld when the host is over its daily quota
// (the task is rescheduled to the quota's reset). The per-second budget is
// kept by ZoomApi's RateGate right before each send.
SyncEngine::Admission SyncEngine::Admit(const SyncTask& task, const Plan& plan,
                                        int64_t now) {
  const std::string& host =
      plan.host.empty() ? task.zoom.meeting_host : plan.host;
  if (CountsAgainstDailyLimit(plan.kind)) {
    int64_t paused_until = options_.limiter->HostPausedUntil(host);
    if (paused_until != 0) {
      Hold(task.appointment.request.id, (paused_until + 999999) / 1000000);
      return Admission::kHeld;
    }
    if (HostWritesToday(host, now) >= kDailyHostLimit) {
      Hold(task.appointment.request.id, NextUtcMidnight(now));
      return Admission::kHeld;
    }
  }
  return Admission::kGo;
}

Status SyncEngine::Hold(const std::string& id, int64_t until) {
  Status s = options_.store->UpdateSyncTask(
      id,
      [until](SyncTask* fresh) {
        HoldForDailyLimit(until, fresh);
        return Status::OK();
      },
      nullptr);
  if (!s.ok()) LogStoreFailure("holding for the daily limit", s);
  return s;
}

int SyncEngine::HostWritesToday(const std::string& host, int64_t now) {
  int count = 0;
  Status s = options_.store->GetZoomWrites(host, now / 86400, &count);
  if (!s.ok()) LogStoreFailure("reading the daily count", s);
  return count;
}

void SyncEngine::CountWrite(const std::string& host, int64_t now) {
  int count = 0;
  Status s = options_.store->AddZoomWrite(host, now / 86400, &count);
  if (!s.ok()) LogStoreFailure("counting a Zoom write", s);
}

}  // namespace telemed
