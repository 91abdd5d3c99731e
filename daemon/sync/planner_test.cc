#include "sync/planner.h"

#include <CppUTest/TestHarness.h>

#include <cstdint>

#include "sync/task_updates.h"
#include "sync/testutil.h"

namespace telemed {

TEST_GROUP_BASE(Planner, test::SyncTaskFixture){
    // The task as it is right after a successful create.
    void GiveMeeting(){task.appointment.has_meeting = true;
task.appointment.meeting.id = "81234567890";
task.zoom.meeting_host = "one@clinic.example";
task.zoom.synced_start_time = kStart;
task.zoom.synced_duration = 30;
task.zoom.synced_topic = "Follow-up";
task.zoom.synced_timezone = "Europe/Berlin";
task.zoom.checked_at = kNow;
}  // namespace telemed

StepKind Kind() { return PlanStep(task, settings, kNow).kind; }

// As after a look-up on old@ that found nothing: sweeps from `at` on.
void ScheduleSweep(int64_t at) {
  ScheduleSweeps("old@clinic.example", at - 5, &task);
  LONGS_EQUAL(at, task.zoom.sweep_at);
}
}
;

TEST(Planner, NewAppointmentIsCreatedOnTheDoctorsHost) {
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.kind == StepKind::kCreate);
  STRCMP_EQUAL("one@clinic.example", plan.host.c_str());
}

TEST(Planner, DoubtfulCreateIsLookedUpFirstEvenIfCancelledSince) {
  task.zoom.create_in_doubt = true;
  task.zoom.meeting_host = "old@clinic.example";
  task.appointment.request.cancelled = true;
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.kind == StepKind::kLookup);
  STRCMP_EQUAL("old@clinic.example", plan.host.c_str());
}

TEST(Planner, CancelledWithoutMeetingIsConverged) {
  task.appointment.request.cancelled = true;
  CHECK(Kind() == StepKind::kConverged);
}

TEST(Planner, OauthDoctorCreatesOnItsOwnHost) {
  task.doctor.auth = AuthMode::kOauth;
  task.doctor.zoom_user.clear();
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.kind == StepKind::kCreate);
  STRCMP_EQUAL("oauth dr-1", plan.host.c_str());
  std::string doctor_id;
  CHECK_TRUE(OauthDoctorOf(plan.host, &doctor_id));
  STRCMP_EQUAL("dr-1", doctor_id.c_str());
  CHECK_FALSE(OauthDoctorOf("one@clinic.example", &doctor_id));
}

TEST(Planner, OauthDoctorKeepsAMeetingOnItsOwnHost) {
  GiveMeeting();
  task.doctor.auth = AuthMode::kOauth;
  task.zoom.meeting_host = "oauth dr-1";
  CHECK(Kind() == StepKind::kConverged);
}

TEST(Planner, EndedAppointmentGetsNoMeeting) {
  task.appointment.request.start_time = kNow - 3600;
  CHECK(Kind() == StepKind::kConverged);
}

TEST(Planner, CancelHostChangeOrOauthSwitchDetachTheMeeting) {
  GiveMeeting();
  task.appointment.request.cancelled = true;
  CHECK(Kind() == StepKind::kDetach);
  task.appointment.request.cancelled = false;
  task.doctor.zoom_user = "two@clinic.example";
  CHECK(Kind() == StepKind::kDetach);
  task.doctor.zoom_user = "one@clinic.example";
  task.doctor.auth = AuthMode::kOauth;
  CHECK(Kind() == StepKind::kDetach);
}

TEST(Planner, PatchCarriesOnlyTheChangedFields) {
  GiveMeeting();
  task.appointment.request.duration_minutes = 45;
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.kind == StepKind::kPatch);
  CHECK(plan.patch.duration_minutes && *plan.patch.duration_minutes == 45);
  CHECK_FALSE(plan.patch.start_time);
  CHECK_FALSE(plan.patch.topic);
  CHECK_FALSE(plan.patch.timezone);
}

TEST(Planner, EmptyTopicMeansTheDefaultTopic) {
  GiveMeeting();
  task.appointment.request.topic = "";
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.patch.topic && *plan.patch.topic == "Video visit");
  task.zoom.synced_topic = "Video visit";
  CHECK(Kind() == StepKind::kConverged);
}

TEST(Planner, RefusedTimezoneIsNotPatchedAgainUntilItChanges) {
  GiveMeeting();
  task.zoom.synced_timezone = "";
  task.zoom.warning = TimezoneRefusedWarning("Europe/Berlin");
  CHECK(Kind() == StepKind::kConverged);
  task.appointment.request.timezone = "Europe/Paris";
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.patch.timezone && *plan.patch.timezone == "Europe/Paris");
}

TEST(Planner, SyncedMeetingIsCheckedDailyAndBeforeItStarts) {
  GiveMeeting();
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.kind == StepKind::kConverged);
  LONGS_EQUAL(kNow + 86400, plan.next_check_at);
  CHECK(PlanStep(task, settings, kNow + 86400).kind == StepKind::kCheck);
  // Checked the day before: the next check is in the hour before start.
  task.zoom.checked_at = kStart - 86400 + 600;
  LONGS_EQUAL(kStart - 3600,
              PlanStep(task, settings, kStart - 7200).next_check_at);
  // Checked within the last hour: no more checks once it starts.
  task.zoom.checked_at = kStart - 1800;
  LONGS_EQUAL(0, PlanStep(task, settings, kStart - 1000).next_check_at);
}

// The same schedule past the end of a 32-bit time_t, which armhf still has
// (./dev.sh cross armhf runs this group).
TEST(Planner, SchedulesChecksOfMeetingsAfter2038) {
  GiveMeeting();
  const int64_t shift = 15LL * 365 * 86400;  // to 2041
  task.appointment.request.start_time += shift;
  task.zoom.synced_start_time += shift;
  task.zoom.checked_at += shift;
  const int64_t now = kNow + shift;
  CHECK_TRUE(now > INT32_MAX);
  Plan plan = PlanStep(task, settings, now);
  CHECK(plan.kind == StepKind::kConverged);
  LONGLONGS_EQUAL(now + 86400, plan.next_check_at);
  CHECK(PlanStep(task, settings, now + 86400).kind == StepKind::kCheck);
  task.zoom.checked_at = kStart + shift - 86400 + 600;
  LONGLONGS_EQUAL(
      kStart + shift - 3600,
      PlanStep(task, settings, kStart + shift - 7200).next_check_at);
}

TEST(Planner, DueSweepGoesBeforeTheDriftCheckOnTheDoubtfulCreatesHost) {
  GiveMeeting();
  ScheduleSweep(kNow + 86400);  // due with the drift check
  CHECK(PlanStep(task, settings, kNow + 86399).kind == StepKind::kConverged);
  Plan plan = PlanStep(task, settings, kNow + 86400);
  CHECK(plan.kind == StepKind::kSweep);
  STRCMP_EQUAL("old@clinic.example", plan.host.c_str());
  CHECK(PlanStepIgnoringSweeps(task, settings, kNow + 86400).kind ==
        StepKind::kCheck);
}

TEST(Planner, DueSweepRunsWhenNoMeetingIsWantedAnyMore) {
  ScheduleSweep(kNow);
  task.appointment.request.cancelled = true;
  CHECK(Kind() == StepKind::kSweep);
  task.appointment.request.cancelled = false;
  task.doctor.auth = AuthMode::kOauth;
  CHECK(Kind() == StepKind::kSweep);
}

TEST(Planner, LookupAndDetachGoBeforeADueSweep) {
  ScheduleSweep(kNow);
  task.zoom.create_in_doubt = true;
  task.zoom.meeting_host = "two@clinic.example";
  Plan plan = PlanStep(task, settings, kNow);
  CHECK(plan.kind == StepKind::kLookup);
  STRCMP_EQUAL("two@clinic.example", plan.host.c_str());
  task.zoom.create_in_doubt = false;
  GiveMeeting();
  task.appointment.request.cancelled = true;
  CHECK(Kind() == StepKind::kDetach);
}

TEST(Planner, SweepNotDueKeepsTheTaskSyncedAndDueByTheSweep) {
  GiveMeeting();
  ScheduleSweep(kNow + 5);
  Settle(settings, kNow, &task);
  CHECK(task.appointment.sync_status == SyncStatus::kSynced);
  CHECK_TRUE(task.zoom.needs_work);
  LONGS_EQUAL(kNow + 5, task.zoom.next_attempt_at);
  // A due sweep is hidden work: the clinic still sees synced.
  Settle(settings, kNow + 5, &task);
  CHECK(task.appointment.sync_status == SyncStatus::kSynced);
  LONGS_EQUAL(kNow + 5, task.zoom.next_attempt_at);
  // The drift check comes first when it is earlier.
  ScheduleSweep(kNow + 2 * 86400);
  Settle(settings, kNow, &task);
  LONGS_EQUAL(kNow + 86400, task.zoom.next_attempt_at);
}

TEST(Planner, SweepOfACancelledAppointmentStillNeedsALook) {
  task.appointment.request.cancelled = true;
  Settle(settings, kNow, &task);
  CHECK_FALSE(task.zoom.needs_work);
  ScheduleSweep(kNow + 5);
  Settle(settings, kNow, &task);
  CHECK(task.appointment.sync_status == SyncStatus::kSynced);
  CHECK_TRUE(task.zoom.needs_work);
  LONGS_EQUAL(kNow + 5, task.zoom.next_attempt_at);
}

TEST(Planner, SweepsRunAfter5Then30Then300SecondsThenStop) {
  GiveMeeting();
  ScheduleSweeps("old@clinic.example", kNow, &task);
  LONGS_EQUAL(1, task.zoom.sweep_round);
  LONGS_EQUAL(kNow + 5, task.zoom.sweep_at);
  FinishSweep(settings, kNow + 5, &task);
  LONGS_EQUAL(2, task.zoom.sweep_round);
  LONGS_EQUAL(kNow + 35, task.zoom.sweep_at);
  LONGS_EQUAL(kNow + 35, task.zoom.next_attempt_at);
  CHECK(task.appointment.sync_status == SyncStatus::kSynced);
  FinishSweep(settings, kNow + 36, &task);  // the sweep ran a second late
  LONGS_EQUAL(3, task.zoom.sweep_round);
  LONGS_EQUAL(kNow + 336, task.zoom.sweep_at);
  FinishSweep(settings, kNow + 336, &task);
  LONGS_EQUAL(0, task.zoom.sweep_round);
  LONGS_EQUAL(0, task.zoom.sweep_at);
  STRCMP_EQUAL("", task.zoom.sweep_host.c_str());
  LONGS_EQUAL(kNow + 86400, task.zoom.next_attempt_at);  // the drift check
}

TEST(Planner, FailedTaskStaysFailedAndLooksOnlyForTheNextSweep) {
  Outcome refused;
  refused.kind = Outcome::Kind::kPermanent;
  refused.code = "zoom_user_not_found";
  ScheduleSweeps("old@clinic.example", kNow, &task);
  ApplyFailure(refused, ZoomError(), kNow + 1, 0, 0, &task);
  CHECK(task.appointment.sync_status == SyncStatus::kFailed);
  CHECK_TRUE(task.zoom.needs_work);
  LONGS_EQUAL(kNow + 5, task.zoom.next_attempt_at);
  FinishSweep(settings, kNow + 5, &task);
  CHECK(task.appointment.sync_status == SyncStatus::kFailed);
  LONGS_EQUAL(kNow + 35, task.zoom.next_attempt_at);
  // A sweep that is itself refused for good waits for a person.
  ApplyFailure(refused, ZoomError(), kNow + 35, 0, 0, &task);
  CHECK_FALSE(task.zoom.needs_work);
}

TEST(Planner, PatchInDoubtReadsTheMeetingBeforePatchingAgain) {
  GiveMeeting();
  task.appointment.request.duration_minutes = 45;
  task.zoom.patch_in_doubt = true;
  CHECK(Kind() == StepKind::kCheck);
  task.zoom.patch_in_doubt = false;
  CHECK(Kind() == StepKind::kPatch);
}

}  // namespace telemed
