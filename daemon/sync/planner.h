// PlanStep: the next step that brings Zoom closer to one appointment (the
// table in docs/sync.md), as a pure function of the task and the time, so
// every rule is tested without Zoom or a database.
#ifndef TELEMED_SYNC_PLANNER_H_
#define TELEMED_SYNC_PLANNER_H_

#include <cstdint>
#include <string>

#include "store/sync_records.h"
#include "zoom/zoom_api.h"

namespace telemed {

struct SyncSettings {
  // Topic of meetings whose appointment has none (patients see it).
  std::string default_topic = "Video visit";
  // A synced future meeting is read back at least this often...
  int64_t drift_check_interval_seconds = 86400;
  // ...and once more within this long before it starts.
  int64_t pre_start_check_seconds = 3600;
};

enum class StepKind {
  kConverged,  // nothing to send: synced (next_check_at may be set)
  kDetach,     // queue the meeting for deletion and forget it (no call)
  kLookup,     // a create is in doubt: list the host's meetings
  kCreate,     // POST a new meeting
  kPatch,      // PATCH the changed fields
  kCheck,      // GET the meeting to repair drift
  kSweep,      // list the host again for a create Zoom acted on late
};

struct Plan {
  StepKind kind = StepKind::kConverged;
  // The Zoom user the call is about: kCreate, the doctor's; kLookup, the
  // one the doubtful create went to (ZoomState::meeting_host); kSweep,
  // ZoomState::sweep_host.
  std::string host;
  MeetingPatch patch;  // kPatch: only the fields that differ
  // kConverged: when the next drift check is due (0 = none: the meeting has
  // started, or there is no meeting).
  int64_t next_check_at = 0;
};

// A follow-up sweep that is due (ZoomState::sweep_at has come) goes before
// every step but detach and lookup, which first settle what the
// appointment has; it is planned even when no meeting is wanted any more.
Plan PlanStep(const SyncTask& task, const SyncSettings& settings, int64_t now);
// The step as if no sweep were scheduled: what the clinic's view depends
// on (sweeps are hidden work and never change it).
Plan PlanStepIgnoringSweeps(const SyncTask& task, const SyncSettings& settings,
                            int64_t now);

// The host key of the doctor's meetings (ZoomState::meeting_host, the
// daily counts and pauses): an S2S doctor's zoom_user; for an OAuth doctor
// "oauth <id>" (a space: never a zoom_user), whose calls go through the
// doctor's own grant as Zoom user "me". A doctor moved between the two
// gets another host, so the host-change rule moves its meetings.
std::string DoctorHost(const Doctor& doctor);
// The doctor id of an OAuth doctor's host key; false for any other host.
bool OauthDoctorOf(const std::string& host, std::string* doctor_id);

// The topic, timezone and duration Zoom should show for the appointment.
std::string DesiredTopic(const SyncTask& task, const SyncSettings& settings);
// "" when Zoom refused the appointment's zone earlier (see the warning).
std::string DesiredTimezone(const SyncTask& task);
// The warning that records a refused zone, and its test.
std::string TimezoneRefusedWarning(const std::string& zone);

}  // namespace telemed

#endif  // TELEMED_SYNC_PLANNER_H_
