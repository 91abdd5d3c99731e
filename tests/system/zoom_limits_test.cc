// The daemon under Zoom's rate limits and outages (docs/sync.md, "Rate
// limits and quota", "Retries and failures"): no request before a
// Retry-After, a daily 429 holds the host with a visible retry time, an
// outage leaves appointments pending until Zoom is back, and a backlog PUT
// under faults converges with every acknowledged appointment synced.
#include <CppUTest/TestHarness.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/time_format.h"
#include "support/zoom_bridge.h"

namespace telemed {
namespace {

using std::chrono::seconds;

constexpr char kCreatePath[] = "/v2/users/";

// Arrival times of the requests in the Medium category (creates and
// meeting listings: every request under /v2/users/).
std::vector<int64_t> MediumTimes(const test::FakeZoom& zoom) {
  return zoom.RequestTimesMicros("", kCreatePath);
}

// The time of the first logged answer with `status`, or -1.
int64_t FirstAnswered(const test::FakeZoom& zoom, int status) {
  for (const test::LoggedRequest& entry : zoom.Requests()) {
    if (entry.finished && entry.status == status) return entry.time_micros;
  }
  return -1;
}

}  // namespace

TEST_GROUP(ZoomLimits) {
  std::unique_ptr<test::ZoomBridge> bridge;

  void Start(const test::ZoomBridge::Options& options) {
    bridge = std::make_unique<test::ZoomBridge>(options);
    Status s = bridge->Start();
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  void Start() { Start(test::ZoomBridge::Options()); }
  void teardown() override {
    if (bridge) LONGS_EQUAL(0, bridge->zoom().CountNoOpPatches());
    bridge.reset();
  }
  std::vector<std::string> PutMany(const std::string& prefix, int count,
                                   const std::string& doctor) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      ids.push_back(prefix + std::to_string(i));
      LONGS_EQUAL(
          201, bridge
                   ->PutAppointment(ids.back(), doctor,
                                    test::UtcFromNow(86400 * 2 + i * 3600), 30)
                   .status);
    }
    return ids;
  }
};

TEST(ZoomLimits, NoMediumRequestBeforeAPerSecondRetryAfter) {
  Start();
  LONGS_EQUAL(201, bridge->PutDoctor("d1", "u1").status);
  test::Fault fault =
      test::MakeFault("POST", kCreatePath, test::FaultKind::kQps429);
  fault.retry_after = "2";
  bridge->zoom().InjectFault(fault);
  LONGS_EQUAL(201,
              bridge->PutAppointment("first", "d1", test::UtcFromNow(86400), 30)
                  .status);
  // Once the daemon has logged the 429 (after pausing the category; a
  // per-second 429 shows no error on the appointment), more creates queue
  // up behind it.
  CHECK_TRUE(test::WaitUntil(
      [&] {
        return bridge->Stderr().find("first: zoom_rate_limited") !=
               std::string::npos;
      },
      seconds(20)));
  std::vector<std::string> ids = PutMany("a", 3, "d1");
  ids.push_back("first");
  CHECK_TRUE(bridge->WaitForStatus(ids, "synced", seconds(30)));
  const int64_t refused_at = FirstAnswered(bridge->zoom(), 429);
  CHECK_TRUE(refused_at > 0);
  int after = 0;
  for (int64_t at : MediumTimes(bridge->zoom())) {
    if (at <= refused_at) continue;
    ++after;
    CHECK_TRUE_TEXT(at - refused_at >= 2000000,
                    ("a Medium request " + std::to_string(at - refused_at) +
                     " us after the 429")
                        .c_str());
  }
  CHECK_TRUE(after >= 1);
  STRCMP_EQUAL("", bridge->FindMeetingProblems(ids).c_str());
}

TEST(ZoomLimits, ADaily429HoldsOnlyThatHostUntilTheGivenTime) {
  test::ZoomBridge::Options options;
  options.users = {"u1", "u2"};
  Start(options);
  LONGS_EQUAL(201, bridge->PutDoctor("d1", "u1").status);
  LONGS_EQUAL(201, bridge->PutDoctor("d2", "u2").status);
  test::Fault fault =
      test::MakeFault("POST", "/v2/users/u1/", test::FaultKind::kDaily429);
  bridge->zoom().InjectFault(fault);
  LONGS_EQUAL(
      201, bridge->PutAppointment("held", "d1", test::UtcFromNow(2 * 86400), 30)
               .status);
  CHECK_TRUE(test::WaitUntil(
      [&] {
        return bridge->Appointment("held").error_code == "zoom_daily_limit";
      },
      seconds(20)));
  test::AppointmentView held = bridge->Appointment("held");
  STRCMP_EQUAL("pending", held.sync_status.c_str());
  RealClock clock;
  const std::string midnight =
      FormatRfc3339Utc((clock.NowSeconds() / 86400 + 1) * 86400);
  STRCMP_EQUAL(midnight.c_str(), held.retry_at.c_str());
  // Another host is not held.
  std::vector<std::string> other = PutMany("b", 2, "d2");
  CHECK_TRUE(bridge->WaitForStatus(other, "synced", seconds(20)));
  LONGS_EQUAL(1, bridge->zoom().CountRequests("POST", "/v2/users/u1/"));
  STRCMP_EQUAL("pending", bridge->Appointment("held").sync_status.c_str());
}

TEST(ZoomLimits, AppointmentsWaitOutAnOutageAndThenSync) {
  Start();
  LONGS_EQUAL(201, bridge->PutDoctor("d1", "u1").status);
  // Zoom answers 503 (token endpoint included) for its next six requests.
  bridge->zoom().InjectFault(
      test::MakeFault("", "", test::FaultKind::kServerError, 6));
  std::vector<std::string> ids = PutMany("a", 3, "d1");
  CHECK_TRUE(test::WaitUntil(
      [&] {
        for (const std::string& id : ids) {
          test::AppointmentView view = bridge->Appointment(id);
          if (view.sync_status != "pending" ||
              view.error_code != "zoom_unavailable") {
            return false;
          }
        }
        return true;
      },
      seconds(20)));
  CHECK_TRUE(bridge->WaitForStatus(ids, "synced", seconds(60)));
  LONGS_EQUAL(0, bridge->zoom().PendingFaults());
  STRCMP_EQUAL("", bridge->FindMeetingProblems(ids).c_str());
}

TEST(ZoomLimits, EveryAcknowledgedAppointmentOfABacklogSyncs) {
  test::ZoomBridge::Options options;
  options.users = {"u1", "u2", "u3", "u4", "u5"};
  Start(options);
  for (int d = 1; d <= 5; ++d) {
    LONGS_EQUAL(
        201, bridge->PutDoctor("d" + std::to_string(d), "u" + std::to_string(d))
                 .status);
  }
  test::FakeZoom& zoom = bridge->zoom();
  zoom.InjectFault(
      test::MakeFault("POST", kCreatePath, test::FaultKind::kDropAfterWork, 3));
  zoom.InjectFault(
      test::MakeFault("POST", kCreatePath, test::FaultKind::kServerError, 3));
  test::Fault qps =
      test::MakeFault("POST", kCreatePath, test::FaultKind::kQps429);
  qps.retry_after = "1";
  zoom.InjectFault(qps);
  zoom.InjectFault(
      test::MakeFault("GET", kCreatePath, test::FaultKind::kGarbageBody, 2));
  std::vector<std::string> live;
  std::vector<std::string> cancelled;
  for (int i = 0; i < 50; ++i) {
    const std::string id = "a" + std::to_string(i);
    const std::string doctor = "d" + std::to_string(i % 5 + 1);
    const std::string start = test::UtcFromNow(2 * 86400 + i * 600);
    LONGS_EQUAL(201, bridge->PutAppointment(id, doctor, start, 30).status);
    // Every tenth is cancelled again at once, racing its create.
    if (i % 10 == 9) {
      LONGS_EQUAL(200, bridge->Delete("/appointments/" + id).status);
      cancelled.push_back(id);
    } else {
      live.push_back(id);
    }
  }
  // A power cut right after the last acknowledgement loses nothing.
  bridge->Kill();
  Status s = bridge->Start();
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(bridge->WaitForStatus(live, "synced", seconds(60)));
  CHECK_TRUE(bridge->WaitForStatus(cancelled, "synced", seconds(30)));
  CHECK_TRUE(test::WaitUntil(
      [&] { return zoom.Meetings().size() == live.size(); }, seconds(30)));
  STRCMP_EQUAL("", bridge->FindMeetingProblems(live).c_str());
}

}  // namespace telemed
