// SyncEngine's stepping (sync_engine.h): what is due is settled without a
// call, held by a daily limit, or started on the executor; the calls
// themselves are in sync_calls.cc.
#include "sync/sync_engine.h"

#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "store/sync_queue.h"
#include "store/sync_task_change.h"
#include "sync/executor.h"
#include "sync/task_updates.h"
#include "zoom/rate_limiter.h"
#include "zoom/zoom_api.h"
#include "zoom/zoom_client.h"

namespace telemed {

namespace {

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

// Steps settled in the store alone.
bool NeedsCall(StepKind kind) {
  return kind != StepKind::kConverged && kind != StepKind::kDetach;
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

// What StartTasks gathers over one read of due tasks.
struct SyncEngine::StartBatch {
  int64_t now = 0;
  int* capacity = nullptr;
  int* progress = nullptr;
  // Settled without a call: stored together after the loop (one commit
  // for a whole backlog rather than one each).
  std::vector<SyncTaskWrite> local;
  // Without a usable app every call would fail alike, so such tasks are
  // settled at once without spending the budget. Only a call can change
  // the answer: it is asked again after each one started.
  Status usable;
  ZoomError usable_error;  // its kind, for the outcome table
  bool recheck = true;
  int unusable = 0;
};

Status SyncEngine::StartTasks(int64_t now, int* capacity, int* progress) {
  if (*capacity <= 0) return Status::OK();
  std::vector<SyncTask> due;
  Status s = options_.store->ListDueSyncTasks(
      now, *capacity + kLookAhead, StripPrefix(Claimed(kTaskKey)), &due);
  if (!s.ok()) return s;
  StartBatch batch;
  batch.now = now;
  batch.capacity = capacity;
  batch.progress = progress;
  for (const SyncTask& task : due) StartTask(task, &batch);
  if (batch.unusable > 0) {
    options_.logger->Warning("sync: %d appointment(s) cannot sync: %s",
                             batch.unusable, batch.usable.ToString().c_str());
  }
  return StoreLocally(batch.local);
}

void SyncEngine::StartTask(const SyncTask& task, StartBatch* batch) {
  const Plan plan = PlanStep(task, options_.settings, batch->now);
  const bool needs_call = NeedsCall(plan.kind);
  std::string doctor_id;
  if (needs_call &&
      OauthDoctorOf(plan.host.empty() ? task.zoom.meeting_host : plan.host,
                    &doctor_id)) {
    return StartDoctorCall(task, plan, doctor_id, batch);
  }
  if (needs_call && ZoomUsable(batch)) return StartCall(task, plan, batch);
  SyncTaskWrite write{task, task};
  if (needs_call) {
    ApplyPlannedFailure(PlanFailure(CallOf(plan.kind), batch->usable,
                                    batch->usable_error, plan.host),
                        &write.next);
    ++batch->unusable;
  } else {
    SettleWithoutCall(plan.kind, options_.settings, batch->now, &write.next);
  }
  batch->local.push_back(std::move(write));
  ++*batch->progress;
}

void SyncEngine::StartCall(const SyncTask& task, const Plan& plan,
                           StartBatch* batch) {
  if (*batch->capacity <= 0 ||
      Admit(task, plan, batch->now) != Admission::kGo ||
      !Claim(kTaskKey + task.appointment.request.id)) {
    return;
  }
  --*batch->capacity;
  ++*batch->progress;
  batch->recheck = true;
  options_.executor->Submit([this, task, plan] { RunTask(task, plan); });
}

void SyncEngine::StartDoctorCall(const SyncTask& task, const Plan& plan,
                                 const std::string& doctor_id,
                                 StartBatch* batch) {
  ZoomFailure failure = ZoomFailure::kNotConnected;
  Status usable =
      options_.doctors == nullptr
          ? Status::Validation("doctor_not_connected",
                               "this bridge cannot act for OAuth doctors")
          : options_.doctors->user_tokens()->CheckUsable(doctor_id, &failure);
  if (usable.ok()) return StartCall(task, plan, batch);
  SyncTaskWrite write{task, task};
  WaitForDoctor(failure, usable.message(), batch->now, &write.next);
  batch->local.push_back(std::move(write));
  ++*batch->progress;
}

ZoomApi* ApiForHost(ZoomApi* s2s, ZoomClient* doctors, const std::string& host,
                    std::string* user) {
  std::string doctor_id;
  if (!OauthDoctorOf(host, &doctor_id)) {
    *user = host;
    return s2s;
  }
  *user = "me";
  return doctors == nullptr ? nullptr : doctors->ApiFor(doctor_id);
}

ZoomApi* SyncEngine::ApiOf(const std::string& host, std::string* user) {
  return ApiForHost(options_.zoom, options_.doctors, host, user);
}

ZoomApi* SyncEngine::DeletionApiOf(const std::string& host, std::string* user) {
  std::string doctor_id;
  if (options_.doctors == nullptr || !OauthDoctorOf(host, &doctor_id)) {
    return ApiOf(host, user);
  }
  *user = "me";
  return options_.doctors->DeletionApiFor(doctor_id);
}

RateLimiter* SyncEngine::LimiterOf(const std::string& host,
                                   std::string* held_host) {
  std::string doctor_id;
  if (options_.doctors == nullptr || !OauthDoctorOf(host, &doctor_id)) {
    *held_host = host;
    return options_.limiter;
  }
  *held_host = "me";
  return options_.doctors->LimiterFor(doctor_id);
}

bool SyncEngine::ZoomUsable(StartBatch* batch) {
  if (batch->recheck) {
    batch->usable_error = ZoomError();
    batch->usable = options_.zoom->CheckUsable(&batch->usable_error);
  }
  batch->recheck = false;
  return batch->usable.ok();
}

// A task that changed since the read (or went) is left to the next round:
// the change made it due again.
Status SyncEngine::StoreLocally(const std::vector<SyncTaskWrite>& writes) {
  std::vector<SyncWriteResult> results;
  return options_.store->CommitSyncTasks(writes, &results);
}

// Whether a call may start: kHeld when the host is over its daily quota
// (the task is rescheduled to the quota's reset). The per-second budget is
// kept by ZoomApi's RateGate right before each send.
SyncEngine::Admission SyncEngine::Admit(const SyncTask& task, const Plan& plan,
                                        int64_t now) {
  const std::string& host =
      plan.host.empty() ? task.zoom.meeting_host : plan.host;
  if (CountsAgainstDailyLimit(plan.kind)) {
    std::string held_host;
    int64_t paused_until =
        LimiterOf(host, &held_host)->HostPausedUntil(held_host);
    if (paused_until != 0) {
      Hold(task, (paused_until + 999999) / 1000000);
      return Admission::kHeld;
    }
    if (HostWritesToday(host, now) >= kZoomDailyWriteLimit) {
      Hold(task, NextUtcMidnight(now));
      return Admission::kHeld;
    }
  }
  return Admission::kGo;
}

void SyncEngine::Hold(const SyncTask& task, int64_t until) {
  Status s = ChangeSyncTask(
      options_.store, task,
      [until](SyncTask* fresh, bool) { HoldForDailyLimit(until, fresh); },
      nullptr);
  if (!s.ok()) LogStoreFailure("holding for the daily limit", s);
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
