// The intent and result records of the engine's calls, on plain tasks: each
// also runs on a task the clinic changed during the call.
#include "sync/call_results.h"

#include <CppUTest/TestHarness.h>

#include "sync/testutil.h"

namespace telemed {

TEST_GROUP_BASE(CallResults, test::SyncTaskFixture){
    Plan PlanNow(){return PlanStep(task, settings, kNow);
}

ZoomMeeting Meeting(const std::string& id) {
  ZoomMeeting meeting;
  meeting.id = id;
  meeting.join_url = "https://zoom.us/j/" + id;
  meeting.start_time = kStart;
  meeting.duration_minutes = 30;
  meeting.topic = "Follow-up";
  meeting.timezone = "Europe/Berlin";
  return meeting;
}
}
;

TEST(CallResults, ACreateIntentCountsTheWriteAndMarksTheDoubt) {
  const Plan plan = PlanNow();
  CHECK_TRUE(RecordCreateIntent(plan, settings, kNow, false, &task));
  LONGS_EQUAL(1, task.zoom.create_generation);
  CHECK_TRUE(task.zoom.create_in_doubt);
  STRCMP_EQUAL("one@clinic.example", task.zoom.meeting_host.c_str());
  STRCMP_EQUAL("one@clinic.example", task.count_write_host.c_str());
  LONGS_EQUAL(kNow / 86400, task.count_write_day);
}

TEST(CallResults, ACreateIntentOnAChangedTaskIsPlannedAgain) {
  const Plan plan = PlanNow();
  // The doctor moved to another Zoom user after the plan was made.
  task.doctor.zoom_user = "two@clinic.example";
  SyncTask before = task;
  CHECK_FALSE(RecordCreateIntent(plan, settings, kNow, true, &task));
  LONGS_EQUAL(before.zoom.create_generation, task.zoom.create_generation);
  CHECK_FALSE(task.zoom.create_in_doubt);
  CHECK_TRUE(task.count_write_host.empty());
  // Only a changed task is planned again: the plan as made stands.
  CHECK_TRUE(RecordCreateIntent(plan, settings, kNow, false, &before));
}

TEST(CallResults, AMeetingCreatedForACancelledAppointmentIsKeptToBeDeleted) {
  const Plan plan = PlanNow();
  CHECK_TRUE(RecordCreateIntent(plan, settings, kNow, false, &task));
  task.appointment.request.cancelled = true;  // while the POST was out
  CallResult result;
  result.meeting = Meeting("81234567890");
  RecordCallResult(plan, result, settings, kNow, &task);
  CHECK_TRUE(task.appointment.has_meeting);
  CHECK_FALSE(task.zoom.create_in_doubt);
  CHECK(PlanNow().kind == StepKind::kDetach);
  CHECK(task.appointment.sync_status == SyncStatus::kPending);
}

TEST(CallResults, ASweepQueuesEveryMarkedMeetingButTheLiveOne) {
  task.appointment.has_meeting = true;
  task.appointment.meeting.id = "2";
  task.zoom.sweep_round = 1;
  task.zoom.sweep_at = kNow;
  Plan plan;
  plan.kind = StepKind::kSweep;
  plan.host = "old@clinic.example";
  CallResult result;
  result.found = {"1", "2", "3"};
  RecordCallResult(plan, result, settings, kNow, &task);
  LONGS_EQUAL(2, task.queue_deletions.size());
  STRCMP_EQUAL("1", task.queue_deletions[0].meeting_id.c_str());
  STRCMP_EQUAL("3", task.queue_deletions[1].meeting_id.c_str());
  STRCMP_EQUAL("old@clinic.example", task.queue_deletions[1].host.c_str());
  LONGS_EQUAL(2, task.zoom.sweep_round);
}

TEST(CallResults, ALookupAdoptsOnlyWhatIsStillWanted) {
  task.zoom.create_in_doubt = true;
  task.zoom.meeting_host = "one@clinic.example";
  const Plan plan = PlanNow();
  CHECK(plan.kind == StepKind::kLookup);
  CallResult result;
  result.found = {"1", "2"};
  result.meeting = Meeting("1");
  result.have_meeting = true;
  SyncTask cancelled = task;
  cancelled.appointment.request.cancelled = true;
  RecordCallResult(plan, result, settings, kNow, &task);
  STRCMP_EQUAL("1", task.appointment.meeting.id.c_str());
  LONGS_EQUAL(1, task.queue_deletions.size());
  RecordCallResult(plan, result, settings, kNow, &cancelled);
  CHECK_FALSE(cancelled.appointment.has_meeting);
  LONGS_EQUAL(2, cancelled.queue_deletions.size());
}

TEST(CallResults, ACheckOfAMeetingTheAppointmentNoLongerHasChangesNothing) {
  task.appointment.has_meeting = true;
  task.appointment.meeting.id = "2";
  task.zoom.patch_in_doubt = true;
  Plan plan;
  plan.kind = StepKind::kCheck;
  CallResult result;
  result.meeting_id = "1";
  result.gone = true;
  RecordCallResult(plan, result, settings, kNow, &task);
  CHECK_TRUE(task.appointment.has_meeting);
  CHECK_TRUE(task.zoom.patch_in_doubt);
  result.meeting_id = "2";
  RecordCallResult(plan, result, settings, kNow, &task);
  CHECK_FALSE(task.appointment.has_meeting);
  CHECK_FALSE(task.zoom.patch_in_doubt);
}

TEST(CallResults, ARefusedPatchEndsItsDoubtALostAnswerDoesNot) {
  RecordPatchIntent("one@clinic.example", kNow, &task);
  CHECK_TRUE(task.zoom.patch_in_doubt);
  Outcome outcome;
  outcome.kind = Outcome::Kind::kTransient;
  outcome.code = "zoom_unavailable";
  SyncTask lost = task;
  RecordCallFailure(ZoomCall::kPatch, outcome, ZoomError(), false, 0, 60,
                    settings, kNow, &lost);
  CHECK_TRUE(lost.zoom.patch_in_doubt);
  LONGS_EQUAL(kNow + 60, lost.zoom.next_attempt_at);
  RecordCallFailure(ZoomCall::kPatch, outcome, ZoomError(), true, 0, 60,
                    settings, kNow, &task);
  CHECK_FALSE(task.zoom.patch_in_doubt);
}

}  // namespace telemed
