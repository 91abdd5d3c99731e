// The sync engine's state in the store: due tasks, storing results (and
// when they are visible to the clinic), requeues and the deletion queue.
#include <chrono>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/sync_task_change.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

constexpr int64_t kHour = 3600;

std::vector<std::string> Ids(const std::vector<SyncTask>& tasks) {
  std::vector<std::string> ids;
  for (const SyncTask& task : tasks) ids.push_back(task.appointment.request.id);
  return ids;
}

std::vector<std::string> MeetingIds(const std::vector<PendingDeletion>& list) {
  std::vector<std::string> ids;
  for (const PendingDeletion& deletion : list)
    ids.push_back(deletion.meeting_id);
  return ids;
}

PendingDeletion Deletion(const std::string& meeting_id, int64_t due) {
  PendingDeletion deletion;
  deletion.meeting_id = meeting_id;
  deletion.host = "d1@clinic.example";
  deletion.appointment_id = "a1";
  deletion.next_attempt_at = due;
  return deletion;
}

void SetMeeting(SyncTask* task, const std::string& id) {
  task->appointment.sync_status = SyncStatus::kSynced;
  task->appointment.has_meeting = true;
  task->appointment.meeting =
      Meeting{id, "https://zoom.us/j/" + id + "?pwd=x", "Ab3dEf7hJk"};
}

void SetError(SyncTask* task, const std::string& code,
              const std::string& message) {
  task->appointment.has_error = true;
  task->appointment.error.code = code;
  task->appointment.error.message = message;
}

}  // namespace

TEST_GROUP_BASE(SyncState,
                StoreFixture){void setup() override{StoreFixture::setup();
AddDoctor("d1");
}  // namespace telemed

// Runs `change` through ChangeSyncTask and returns the stored task.
template <typename Change>
SyncTask Update(const std::string& id, Change change) {
  SyncTask after;
  CHECK_OK(ChangeSyncTask(
      store.get(), id, [&](SyncTask* task, bool) { change(task); }, &after));
  return after;
}
// Commits `next` as the new state of `read`; returns what became of it.
SyncWriteResult Commit(const SyncTask& read, const SyncTask& next,
                       SyncTask* current = nullptr) {
  SyncWriteResult result = SyncWriteResult::kStored;
  CHECK_OK(store->CommitSyncTask({read, next}, &result, current));
  return result;
}
SyncTask Task(const std::string& id) {
  SyncTask task;
  CHECK_OK(store->GetSyncTask(id, &task));
  return task;
}
// Makes `id` need no work, as after a finished step.
void Park(const std::string& id) {
  Update(id, [](SyncTask* task) {
    task->zoom.needs_work = false;
    task->zoom.attempts = 4;
    task->zoom.next_attempt_at = 99;
  });
}
std::vector<SyncTask> Due(int64_t now, int limit,
                          const std::vector<std::string>& exclude = {}) {
  std::vector<SyncTask> due;
  CHECK_OK(store->ListDueSyncTasks(now, limit, exclude, &due));
  return due;
}
std::vector<PendingDeletion> DueDeletions(
    int64_t now, const std::vector<std::string>& exclude = {}) {
  std::vector<PendingDeletion> due;
  CHECK_OK(store->ListDueDeletions(now, 10, exclude, &due));
  return due;
}
void CheckRequeued(const std::string& id) {
  SyncTask task = Task(id);
  CHECK_TRUE(task.zoom.needs_work);
  LONGS_EQUAL(0, task.zoom.attempts);
  LONGS_EQUAL(0, task.zoom.next_attempt_at);
}
void CheckParked(const std::string& id) {
  SyncTask task = Task(id);
  CHECK_FALSE(task.zoom.needs_work);
  LONGS_EQUAL(4, task.zoom.attempts);
}
}
;

TEST(SyncState, NewAppointmentIsDueWithItsDoctor) {
  Put(Request("a1"), WriteOutcome::kCreated);
  CheckRequeued("a1");
  std::vector<SyncTask> due = Due(clock.NowSeconds(), 10);
  LONGS_EQUAL(1, due.size());
  CHECK(due[0].appointment.request == Request("a1"));
  STRCMP_EQUAL("d1@clinic.example", due[0].doctor.zoom_user.c_str());
  CHECK(due[0].doctor.auth == AuthMode::kS2s);
  CHECK_TRUE(due[0].queue_deletions.empty());
}

TEST(SyncState, ClinicChangesRequeueButEqualPutsDoNot) {
  Put(Request("a1"), WriteOutcome::kCreated);
  Park("a1");
  Put(Request("a1"), WriteOutcome::kUnchanged);
  CheckParked("a1");
  AppointmentRequest moved = Request("a1");
  moved.start_time += kHour;
  Put(moved, WriteOutcome::kReplaced);
  CheckRequeued("a1");
  Park("a1");
  Appointment stored;
  CHECK_OK(store->CancelAppointment("a1", &stored));
  CheckRequeued("a1");
}

TEST(SyncState, DueTasksOrderByTimeThenIdSkippingExcluded) {
  const int64_t now = clock.NowSeconds();
  for (const char* id : {"c", "b", "a", "later", "parked"}) {
    Put(Request(id), WriteOutcome::kCreated);
  }
  Update("c", [&](SyncTask* task) { task->zoom.next_attempt_at = now - 5; });
  Update("later", [&](SyncTask* t) { t->zoom.next_attempt_at = now + 5; });
  Park("parked");
  std::vector<std::string> expected = {"a", "b", "c"};
  CHECK(Ids(Due(now, 10)) == expected);
  expected = {"a", "b"};
  CHECK(Ids(Due(now, 2)) == expected);
  expected = {"b", "c"};
  CHECK(Ids(Due(now, 2, {"a", "zzz"})) == expected);
  expected = {"a", "b", "c", "later"};
  CHECK(Ids(Due(now + 5, 10)) == expected);
  std::vector<SyncTask> none;
  CHECK_FALSE(store->ListDueSyncTasks(now, 0, {}, &none).ok());
}

TEST(SyncState, NextDeadlineCoversTasksAndDeletions) {
  int64_t when = -1;
  bool has_any = true;
  CHECK_OK(store->NextSyncDeadline(&when, &has_any));
  CHECK_FALSE(has_any);
  Put(Request("a1"), WriteOutcome::kCreated);
  Update("a1", [](SyncTask* task) {
    task->zoom.next_attempt_at = 700;
    task->queue_deletions.push_back(Deletion("111", 500));
  });
  CHECK_OK(store->NextSyncDeadline(&when, &has_any));
  CHECK_TRUE(has_any);
  LONGS_EQUAL(500, when);
  CHECK_OK(store->CompleteDeletion("111"));
  CHECK_OK(store->NextSyncDeadline(&when, &has_any));
  LONGS_EQUAL(700, when);
  Park("a1");
  CHECK_OK(store->NextSyncDeadline(&when, &has_any));
  CHECK_FALSE(has_any);
}

TEST(SyncState, OnlyStatusMeetingOrErrorCodeMoveRevisionAndFeed) {
  Appointment put = Put(Request("a1"), WriteOutcome::kCreated);
  clock.AdvanceSeconds(10);
  SyncTask failed = Update("a1", [](SyncTask* task) {
    SetError(task, "zoom_unavailable", "connection refused");
  });
  LONGS_EQUAL(put.revision + 1, failed.appointment.revision);
  CHECK(failed.appointment.change_seq > put.change_seq);
  LONGS_EQUAL(clock.NowSeconds(), failed.appointment.updated_at);
  clock.AdvanceSeconds(10);
  SyncTask again = Update("a1", [&](SyncTask* task) {
    SetError(task, "zoom_unavailable", "timed out");
    task->appointment.error.zoom_code = 300;
    task->appointment.error.retry_at = 1767229200;
    task->zoom.attempts = 2;
    task->zoom.next_attempt_at = clock.NowSeconds() + 2;
    task->zoom.sweep_at = clock.NowSeconds() + 5;
    task->zoom.sweep_round = 1;
    task->zoom.sweep_host = "d1@clinic.example";
  });
  LONGS_EQUAL(failed.appointment.revision, again.appointment.revision);
  CHECK_EQUAL(failed.appointment.change_seq, again.appointment.change_seq);
  LONGS_EQUAL(failed.appointment.updated_at, again.appointment.updated_at);
  CHECK_EQUAL(failed.appointment.change_seq, store->LatestChangeSeq());
  STRCMP_EQUAL("timed out", again.appointment.error.message.c_str());
  LONGS_EQUAL(300, again.appointment.error.zoom_code);
  LONGS_EQUAL(2, again.zoom.attempts);
  SyncTask recoded = Update("a1", [](SyncTask* task) {
    SetError(task, "zoom_daily_limit", "timed out");
  });
  LONGS_EQUAL(again.appointment.revision + 1, recoded.appointment.revision);
  CHECK(recoded.appointment.change_seq > again.appointment.change_seq);
}

TEST(SyncState, StoredMeetingReachesFeedAndWakesWaiters) {
  Appointment put = Put(Request("a1"), WriteOutcome::kCreated);
  uint64_t before = store->LatestChangeSeq();
  SyncTask synced = Update("a1", [](SyncTask* task) {
    SetMeeting(task, "81234567890");
    task->zoom.meeting_host = "d1@clinic.example";
  });
  LONGS_EQUAL(put.revision + 1, synced.appointment.revision);
  CHECK_TRUE(store->WaitForChangeAfter(before, std::chrono::milliseconds(0)));
  std::vector<Appointment> page;
  uint64_t cursor = 0;
  CHECK_OK(store->ListChanges(before, 10, &page, &cursor));
  LONGS_EQUAL(1, page.size());
  CHECK(page[0].sync_status == SyncStatus::kSynced);
  CHECK_TRUE(page[0].has_meeting);
  STRCMP_EQUAL("81234567890", page[0].meeting.id.c_str());
  STRCMP_EQUAL("Ab3dEf7hJk", page[0].meeting.passcode.c_str());
  CHECK_FALSE(page[0].has_error);
  SyncTask same =
      Update("a1", [](SyncTask* task) { SetMeeting(task, "81234567890"); });
  LONGS_EQUAL(synced.appointment.revision, same.appointment.revision);
  SyncTask relinked =
      Update("a1", [](SyncTask* task) { SetMeeting(task, "81234567891"); });
  LONGS_EQUAL(synced.appointment.revision + 1, relinked.appointment.revision);
}

TEST(SyncState, ErrorDetailsRoundTripThroughReads) {
  Put(Request("a1"), WriteOutcome::kCreated);
  Update("a1", [](SyncTask* task) {
    task->appointment.sync_status = SyncStatus::kFailed;
    SetError(task, "zoom_scope_missing", "the app lacks scopes");
    task->appointment.error.zoom_code = 4711;
    task->appointment.error.retry_at = 1767312000;
    task->appointment.error.missing_scopes = {"meeting:write:meeting:admin",
                                              "user:read:user:admin"};
  });
  Appointment got;
  CHECK_OK(store->GetAppointment("a1", &got));
  CHECK(got.sync_status == SyncStatus::kFailed);
  CHECK_TRUE(got.has_error);
  STRCMP_EQUAL("zoom_scope_missing", got.error.code.c_str());
  LONGS_EQUAL(4711, got.error.zoom_code);
  LONGS_EQUAL(1767312000, got.error.retry_at);
  LONGS_EQUAL(2, got.error.missing_scopes.size());
  STRCMP_EQUAL("user:read:user:admin", got.error.missing_scopes[1].c_str());
  Update("a1", [](SyncTask* task) { task->appointment.has_error = false; });
  CHECK_OK(store->GetAppointment("a1", &got));
  CHECK_FALSE(got.has_error);
  LONGS_EQUAL(0, got.error.zoom_code);
  CHECK_TRUE(got.error.missing_scopes.empty());
}

TEST(SyncState, ZoomStateRoundTrips) {
  Put(Request("a1"), WriteOutcome::kCreated);
  Update("a1", [](SyncTask* task) {
    ZoomState& z = task->zoom;
    z.needs_work = false;
    z.meeting_host = "d1@clinic.example";
    z.synced_start_time = 1767258000;
    z.synced_duration = 45;
    z.synced_topic = "Follow-up";
    z.synced_timezone = "Europe/Berlin";
    z.create_generation = 3;
    z.create_in_doubt = true;
    z.attempts = 5;
    z.next_attempt_at = 1767260000;
    z.checked_at = 1767250000;
    z.warning = "timezone_dropped";
    z.sweep_at = 1767260300;
    z.sweep_round = 2;
    z.sweep_host = "old@clinic.example";
  });
  store.reset();
  store = OpenStore();
  ZoomState z = Task("a1").zoom;
  CHECK_FALSE(z.needs_work);
  STRCMP_EQUAL("d1@clinic.example", z.meeting_host.c_str());
  LONGS_EQUAL(1767258000, z.synced_start_time);
  LONGS_EQUAL(45, z.synced_duration);
  STRCMP_EQUAL("Follow-up", z.synced_topic.c_str());
  STRCMP_EQUAL("Europe/Berlin", z.synced_timezone.c_str());
  LONGS_EQUAL(3, z.create_generation);
  CHECK_TRUE(z.create_in_doubt);
  LONGS_EQUAL(5, z.attempts);
  LONGS_EQUAL(1767260000, z.next_attempt_at);
  LONGS_EQUAL(1767250000, z.checked_at);
  STRCMP_EQUAL("timezone_dropped", z.warning.c_str());
  LONGS_EQUAL(1767260300, z.sweep_at);
  LONGS_EQUAL(2, z.sweep_round);
  STRCMP_EQUAL("old@clinic.example", z.sweep_host.c_str());
}

TEST(SyncState, SweepScheduleAloneIsStoredWithoutAVisibleChange) {
  Appointment put = Put(Request("a1"), WriteOutcome::kCreated);
  SyncTask swept = Update("a1", [](SyncTask* task) {
    task->zoom.sweep_at = 1767260300;
    task->zoom.sweep_round = 3;
    task->zoom.sweep_host = "old@clinic.example";
  });
  LONGS_EQUAL(put.revision, swept.appointment.revision);
  CHECK_EQUAL(put.change_seq, store->LatestChangeSeq());
  ZoomState z = Task("a1").zoom;
  LONGS_EQUAL(1767260300, z.sweep_at);
  LONGS_EQUAL(3, z.sweep_round);
  STRCMP_EQUAL("old@clinic.example", z.sweep_host.c_str());
}

TEST(SyncState, ATaskChangedSinceItsReadStoresNothing) {
  Put(Request("a1"), WriteOutcome::kCreated);
  SyncTask read = Task("a1");
  AppointmentRequest newer = Request("a1");
  newer.topic = "Changed by the clinic";
  Appointment put = Put(newer, WriteOutcome::kReplaced);
  SyncTask next = read;
  SetMeeting(&next, "81234567890");
  next.zoom.needs_work = false;
  next.queue_deletions.push_back(Deletion("111", 0));
  next.count_write_host = "d1@clinic.example";
  next.count_write_day = clock.NowSeconds() / 86400;
  SyncTask current;
  CHECK(Commit(read, next, &current) == SyncWriteResult::kChanged);
  CHECK(current.appointment.request == newer);
  CHECK_FALSE(current.appointment.has_meeting);
  LONGS_EQUAL(put.revision, current.appointment.revision);
  CHECK_EQUAL(put.change_seq, store->LatestChangeSeq());
  CheckRequeued("a1");
  CHECK_TRUE(DueDeletions(clock.NowSeconds()).empty());
  int writes = -1;
  CHECK_OK(
      store->GetZoomWrites("d1@clinic.example", next.count_write_day, &writes));
  LONGS_EQUAL(0, writes);
}

TEST(SyncState, ADoctorChangedSinceTheReadIsAChange) {
  Put(Request("a1"), WriteOutcome::kCreated);
  SyncTask read = Task("a1");
  clock.AdvanceSeconds(5);
  Doctor doctor = read.doctor;
  doctor.zoom_user = "new@clinic.example";
  WriteOutcome outcome;
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  SyncTask next = read;
  SetMeeting(&next, "81234567890");
  CHECK(Commit(read, next) == SyncWriteResult::kChanged);
  CHECK_FALSE(Task("a1").appointment.has_meeting);
}

TEST(SyncState, BatchCommitsOnceAndSkipsWhatChangedOrWent) {
  Appointment a1 = Put(Request("a1"), WriteOutcome::kCreated);
  Put(Request("a2"), WriteOutcome::kCreated);
  Put(Request("a3"), WriteOutcome::kCreated);
  std::vector<SyncTaskWrite> batch;
  for (const char* id : {"a1", "a2", "a3"}) {
    SyncTask read = Task(id);
    batch.push_back({read, read});
  }
  SetError(&batch[0].next, "zoom_not_configured", "no Zoom app");
  SetMeeting(&batch[1].next, "81234567890");
  batch[1].next.queue_deletions.push_back(Deletion("111", 0));
  SyncTask unknown;
  unknown.appointment.request.id = "unknown";
  batch.push_back({unknown, unknown});
  SetMeeting(&batch[2].next, "81234567893");
  AppointmentRequest newer = Request("a2");
  newer.topic = "Changed by the clinic";
  Appointment a2 = Put(newer, WriteOutcome::kReplaced);
  int commits = 0;
  store->SetWriteListener([&commits] { ++commits; });
  std::vector<SyncWriteResult> results;
  CHECK_OK(store->CommitSyncTasks(batch, &results));
  store->SetWriteListener(nullptr);
  LONGS_EQUAL(1, commits);
  LONGS_EQUAL(4, results.size());
  CHECK(results[0] == SyncWriteResult::kStored);
  CHECK(results[1] == SyncWriteResult::kChanged);
  CHECK(results[2] == SyncWriteResult::kStored);
  CHECK(results[3] == SyncWriteResult::kGone);
  SyncTask failed = Task("a1");
  STRCMP_EQUAL("zoom_not_configured", failed.appointment.error.code.c_str());
  LONGS_EQUAL(a1.revision + 1, failed.appointment.revision);
  LONGS_EQUAL(a2.revision, Task("a2").appointment.revision);
  CHECK_FALSE(Task("a2").appointment.has_meeting);
  CHECK_TRUE(DueDeletions(clock.NowSeconds()).empty());
  SyncTask synced = Task("a3");
  STRCMP_EQUAL("81234567893", synced.appointment.meeting.id.c_str());
  // Waiters see the batch's last change.
  CHECK_EQUAL(synced.appointment.change_seq, store->LatestChangeSeq());
}

TEST(SyncState, BatchThatChangesNothingCommitsNothing) {
  Put(Request("a1"), WriteOutcome::kCreated);
  int commits = 0;
  store->SetWriteListener([&commits] { ++commits; });
  std::vector<SyncWriteResult> results;
  SyncTask read = Task("a1");
  CHECK_OK(store->CommitSyncTasks({{read, read}}, &results));
  CHECK(results.at(0) == SyncWriteResult::kStored);
  CHECK_OK(store->CommitSyncTasks({}, &results));
  store->SetWriteListener(nullptr);
  LONGS_EQUAL(0, commits);
  CHECK_TRUE(results.empty());
}

TEST(SyncState, ClinicChangeAfterReadIsNotOverwritten) {
  Put(Request("a1"), WriteOutcome::kCreated);
  SyncTask read = Task("a1");
  AppointmentRequest newer = Request("a1");
  newer.topic = "Changed by the clinic";
  Put(newer, WriteOutcome::kReplaced);
  std::vector<std::string> seen_topics;
  std::vector<bool> seen_changed;
  SyncTask after;
  auto change = [&](SyncTask* task, bool changed) {
    seen_topics.push_back(task->appointment.request.topic);
    seen_changed.push_back(changed);
    // A stale engine writes back what it read; only its sync fields count.
    task->appointment.request = read.appointment.request;
    task->appointment.request.cancelled = true;
    task->doctor.zoom_user = "someone@else.example";
    SetMeeting(task, "81234567890");
  };
  CHECK_OK(ChangeSyncTask(store.get(), read, change, &after));
  // Computed on the task as read, then again on the fresh one.
  LONGS_EQUAL(2, seen_topics.size());
  STRCMP_EQUAL(read.appointment.request.topic.c_str(), seen_topics[0].c_str());
  STRCMP_EQUAL("Changed by the clinic", seen_topics[1].c_str());
  CHECK_FALSE(seen_changed[0]);
  CHECK_TRUE(seen_changed[1]);
  CHECK(after.appointment.request == newer);
  CHECK_TRUE(after.appointment.has_meeting);
  Appointment got;
  CHECK_OK(store->GetAppointment("a1", &got));
  CHECK(got.request == newer);
  Doctor doctor;
  CHECK_OK(store->GetDoctor("d1", &doctor));
  STRCMP_EQUAL("d1@clinic.example", doctor.zoom_user.c_str());
}

TEST(SyncState, ATaskThatKeepsChangingIsGivenUpOnAsBusy) {
  Put(Request("a1"), WriteOutcome::kCreated);
  int rounds = 0;
  // Every computation races a clinic change that lands before its commit.
  auto change = [&](SyncTask* task, bool) {
    ++rounds;
    AppointmentRequest newer = Request("a1");
    newer.topic = "Round " + std::to_string(rounds);
    Put(newer, WriteOutcome::kReplaced);
    SetMeeting(task, "81234567890");
  };
  Status s = ChangeSyncTask(store.get(), "a1", change, nullptr);
  CHECK_TRUE(s.code() == Status::Code::kConflict);
  LONGS_EQUAL(16, rounds);
  CHECK_FALSE(Task("a1").appointment.has_meeting);
}

TEST(SyncState, DoctorChangeRequeuesOnlyAppointmentsNotEnded) {
  const int64_t now = clock.NowSeconds();
  AppointmentRequest ended = Request("ended");
  ended.start_time = now - kHour;  // 30 minutes: ended half an hour ago
  AppointmentRequest running = Request("running");
  running.start_time = now - 10 * 60;
  AppointmentRequest future = Request("future");
  future.start_time = now + kHour;
  AddDoctor("d2");
  AppointmentRequest other = Request("other", "d2");
  for (const auto& r : {ended, running, future, other}) {
    Put(r, WriteOutcome::kCreated);
    Park(r.id);
  }
  Doctor doctor;
  CHECK_OK(store->GetDoctor("d1", &doctor));
  doctor.name = "Dr One, renamed";
  WriteOutcome outcome;
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  for (const char* id : {"ended", "running", "future"}) CheckParked(id);
  doctor.zoom_user = "new-host@clinic.example";
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  CheckParked("ended");
  CheckRequeued("running");
  CheckRequeued("future");
  CheckParked("other");
  Park("future");
  doctor.auth = AuthMode::kOauth;
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  CheckRequeued("future");
  CheckParked("ended");
}

TEST(SyncState, DeletionQueueRoundTrip) {
  const int64_t now = clock.NowSeconds();
  Put(Request("a1"), WriteOutcome::kCreated);
  Update("a1", [&](SyncTask* task) {
    task->queue_deletions = {Deletion("222", now), Deletion("111", now)};
  });
  PendingDeletion again = Deletion("111", now + 999);
  again.host = "other@clinic.example";
  Update("a1", [&](SyncTask* task) { task->queue_deletions = {again}; });
  std::vector<PendingDeletion> due = DueDeletions(now);
  std::vector<std::string> expected = {"111", "222"};
  CHECK(MeetingIds(due) == expected);
  STRCMP_EQUAL("d1@clinic.example", due[0].host.c_str());
  STRCMP_EQUAL("a1", due[0].appointment_id.c_str());
  expected = {"222"};
  CHECK(MeetingIds(DueDeletions(now, {"111"})) == expected);

  PendingDeletion retry = due[0];
  retry.attempts = 2;
  retry.next_attempt_at = now + 60;
  retry.last_error = "zoom_unavailable: timed out";
  CHECK_OK(store->RescheduleDeletion(retry));
  CHECK(MeetingIds(DueDeletions(now)) == expected);
  due = DueDeletions(now + 60);
  LONGS_EQUAL(2, due.size());
  LONGS_EQUAL(2, due[1].attempts);
  STRCMP_EQUAL(retry.last_error.c_str(), due[1].last_error.c_str());

  CHECK_OK(store->CompleteDeletion("111"));
  CHECK_OK(store->CompleteDeletion("111"));
  CHECK(MeetingIds(DueDeletions(now + 60)) == expected);
  CHECK_TRUE(store->RescheduleDeletion(retry).IsNotFound());
}

TEST(SyncState, RequeueFailedAndRequeueOne) {
  for (const char* id : {"failed", "synced", "pending"}) {
    Put(Request(id), WriteOutcome::kCreated);
    Park(id);
  }
  Update("failed", [](SyncTask* task) {
    task->appointment.sync_status = SyncStatus::kFailed;
  });
  Update("synced", [](SyncTask* task) { SetMeeting(task, "81234567890"); });
  int pending = -1, failed = -1, deletions = -1;
  CHECK_OK(store->CountSyncQueue(&pending, &failed, &deletions));
  LONGS_EQUAL(1, pending);
  LONGS_EQUAL(1, failed);
  LONGS_EQUAL(0, deletions);
  int count = 0;
  CHECK_OK(store->RequeueFailed(&count));
  LONGS_EQUAL(1, count);
  CheckRequeued("failed");
  CheckParked("synced");
  CheckParked("pending");
  CHECK_OK(store->RequeueAppointment("synced"));
  CheckRequeued("synced");
  CHECK_TRUE(store->RequeueAppointment("nope").IsNotFound());
}

TEST(SyncState, UnknownAppointmentIsNotFound) {
  SyncTask task;
  CHECK_TRUE(store->GetSyncTask("nope", &task).IsNotFound());
  bool called = false;
  Status s = ChangeSyncTask(
      store.get(), "nope", [&](SyncTask*, bool) { called = true; }, nullptr);
  CHECK_TRUE(s.IsNotFound());
  CHECK_FALSE(called);
  task.appointment.request.id = "nope";
  CHECK(Commit(task, task) == SyncWriteResult::kGone);
}

TEST(SyncState, PurgeKeepsAppointmentsThatNeedWork) {
  AppointmentRequest owed = Request("owed");
  owed.start_time = clock.NowSeconds() - 100 * 86400;
  AppointmentRequest done = Request("done");
  done.start_time = owed.start_time;
  Put(owed, WriteOutcome::kCreated);
  Put(done, WriteOutcome::kCreated);
  Park("done");
  int purged = 0;
  CHECK_OK(store->PurgeEnded(90, &purged));
  LONGS_EQUAL(1, purged);
  CheckRequeued("owed");
  SyncTask gone;
  CHECK_TRUE(store->GetSyncTask("done", &gone).IsNotFound());
}

}  // namespace telemed

namespace telemed {

TEST_GROUP_BASE(SyncStateMeetingStart,
                test::StoreFixture){void setup() override{StoreFixture::setup();
AddDoctor("d1");
Put(Request("a1"), WriteOutcome::kCreated);
}  // namespace telemed
SyncTask SetSyncedStart(int64_t start, bool with_meeting) {
  SyncTask after;
  CHECK_OK(ChangeSyncTask(
      store.get(), "a1",
      [&](SyncTask* task, bool) {
        if (with_meeting) {
          task->appointment.has_meeting = true;
          task->appointment.meeting.id = "81234567890";
          task->appointment.meeting.join_url = "https://zoom.us/j/1";
        }
        task->zoom.synced_start_time = start;
      },
      &after));
  return after;
}
}
;

TEST(SyncStateMeetingStart, ReadsTheStartZoomConfirmedWithTheMeeting) {
  const int64_t start = Request("a1").start_time;
  SetSyncedStart(start, /*with_meeting=*/true);
  Appointment read;
  CHECK_OK(store->GetAppointment("a1", &read));
  CHECK_TRUE(read.has_meeting);
  LONGS_EQUAL(start, read.meeting.start_time);
  std::vector<Appointment> feed;
  uint64_t cursor = 0;
  CHECK_OK(store->ListChanges(0, 10, &feed, &cursor));
  LONGS_EQUAL(start, feed.at(0).meeting.start_time);
}

TEST(SyncStateMeetingStart, ANewConfirmedStartIsAVisibleChange) {
  SyncTask first = SetSyncedStart(1000, /*with_meeting=*/true);
  SyncTask moved = SetSyncedStart(2000, /*with_meeting=*/true);
  LONGS_EQUAL(first.appointment.revision + 1, moved.appointment.revision);
  CHECK(moved.appointment.change_seq > first.appointment.change_seq);
  LONGS_EQUAL(2000, moved.appointment.meeting.start_time);
}

TEST(SyncStateMeetingStart, WithoutAMeetingTheStartIsHidden) {
  SyncTask before;
  CHECK_OK(store->GetSyncTask("a1", &before));
  SyncTask after = SetSyncedStart(1000, /*with_meeting=*/false);
  LONGS_EQUAL(before.appointment.revision, after.appointment.revision);
  LONGS_EQUAL(0, after.appointment.meeting.start_time);
}

}  // namespace telemed
