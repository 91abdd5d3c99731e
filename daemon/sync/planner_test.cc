#include "sync/planner.h"

#include <CppUTest/TestHarness.h>

namespace telemed {

namespace {
constexpr int64_t kNow = 1780000000;
constexpr int64_t kStart = kNow + 3 * 86400;
}  // namespace

TEST_GROUP(Planner) {
  SyncSettings settings;
  SyncTask task;

  void setup() override {
    task.doctor.id = "dr-1";
    task.doctor.zoom_user = "one@clinic.example";
    task.doctor.auth = AuthMode::kS2s;
    AppointmentRequest& request = task.appointment.request;
    request.id = "a1";
    request.doctor_id = "dr-1";
    request.start_time = kStart;
    request.duration_minutes = 30;
    request.timezone = "Europe/Berlin";
    request.topic = "Follow-up";
  }

  // The task as it is right after a successful create.
  void GiveMeeting() {
    task.appointment.has_meeting = true;
    task.appointment.meeting.id = "81234567890";
    task.zoom.meeting_host = "one@clinic.example";
    task.zoom.synced_start_time = kStart;
    task.zoom.synced_duration = 30;
    task.zoom.synced_topic = "Follow-up";
    task.zoom.synced_timezone = "Europe/Berlin";
    task.zoom.checked_at = kNow;
  }

  StepKind Kind() { return PlanStep(task, settings, kNow).kind; }
};

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

TEST(Planner, OauthDoctorWaits) {
  task.doctor.auth = AuthMode::kOauth;
  CHECK(Kind() == StepKind::kWaitForDoctor);
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
  LONGS_EQUAL(kStart - 3600, PlanStep(task, settings, kStart - 7200).next_check_at);
  // Checked within the last hour: no more checks once it starts.
  task.zoom.checked_at = kStart - 1800;
  LONGS_EQUAL(0, PlanStep(task, settings, kStart - 1000).next_check_at);
}

}  // namespace telemed
