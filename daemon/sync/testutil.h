// Test helpers of the sync module: plain appointments and tasks to plan
// and record on, on a fixed clock.
#ifndef TELEMED_SYNC_TESTUTIL_H_
#define TELEMED_SYNC_TESTUTIL_H_

#include <CppUTest/TestHarness.h>

#include <cstdint>
#include <string>

#include "store/sync_records.h"
#include "sync/planner.h"

namespace telemed {
namespace test {

// Appointment `id` of doctor dr-1 at `start`: 30 minutes, Europe/Berlin,
// "Follow-up".
inline AppointmentRequest NewRequest(const std::string& id, int64_t start) {
  AppointmentRequest request;
  request.id = id;
  request.doctor_id = "dr-1";
  request.start_time = start;
  request.duration_minutes = 30;
  request.timezone = "Europe/Berlin";
  request.topic = "Follow-up";
  return request;
}

// A fixture with appointment a1 (NewRequest) of S2S doctor dr-1
// (one@clinic.example), three days after kNow, without a meeting yet.
class SyncTaskFixture : public Utest {
 public:
  static constexpr int64_t kNow = 1780000000;
  static constexpr int64_t kStart = kNow + 3 * 86400;

  SyncTaskFixture() {
    task.doctor.id = "dr-1";
    task.doctor.zoom_user = "one@clinic.example";
    task.doctor.auth = AuthMode::kS2s;
    task.appointment.request = NewRequest("a1", kStart);
  }

  SyncSettings settings;
  SyncTask task;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_SYNC_TESTUTIL_H_
