// admin_list_bench: how long the admin page's appointment list takes to
// answer with many appointments (docs/admin-api.md, "Appointments").
//
//   admin_list_bench run [--appointments 10000] [--iterations 200]
//
// Builds a store of N appointments (10 doctors, 1 in 20 failed) in a temp
// dir, then calls the GET /admin/api/appointments handler itself (store
// query, zone files, JSON) for each row of the table below, timing each
// call; the HTTPS and session layers in front of it are not included.
// Prints a markdown table; asserts nothing.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "flags.h"
#include "latency_stats.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "support/temp_dir.h"
#include "web/admin_audit.h"
#include "web/appointment_routes.h"
#include "web/fake_admin_router.h"

namespace telemed {
namespace bench {

namespace {

class NoAudit final : public web::AdminAudit {
 public:
  void Record(const std::string&, const std::string&,
              const std::string&) override {}
};

constexpr int kDoctors = 10;
constexpr int kWriters = 8;
const char* const kZones[] = {"Europe/Berlin", "America/New_York", "UTC",
                              "Asia/Kolkata"};

std::string AppointmentId(int i) {
  char id[32];
  snprintf(id, sizeof(id), "appt-%06d", i);
  return id;
}

bool Fill(Store* store, int count) {
  for (int d = 0; d < kDoctors; ++d) {
    Doctor doctor;
    doctor.id = "dr-" + std::to_string(d);
    doctor.name = "Dr " + std::to_string(d);
    doctor.zoom_user = doctor.id + "@clinic.example";
    WriteOutcome outcome;
    if (!store->PutDoctor(doctor, &outcome).ok()) return false;
  }
  // Several writers, so the group committer shares commits among them.
  std::vector<std::thread> writers;
  std::atomic<bool> ok{true};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([store, count, w, &ok] {
      for (int i = w; i < count && ok; i += kWriters) {
        AppointmentRequest request;
        request.id = AppointmentId(i);
        request.doctor_id = "dr-" + std::to_string(i % kDoctors);
        request.start_time = 1767258000 + int64_t{i % 2000} * 3600 + i;
        request.duration_minutes = 30;
        request.timezone = kZones[i % 4];
        WriteOutcome outcome;
        Appointment stored;
        if (!store->PutAppointment(request, &outcome, &stored).ok()) {
          ok = false;
        }
        if (i % 20 == 0 && ok) {
          ok = ChangeSyncTask(
                   store, request.id,
                   [](SyncTask* task, bool) {
                     task->appointment.sync_status = SyncStatus::kFailed;
                     task->appointment.has_error = true;
                     task->appointment.error.code = "zoom_user_not_found";
                     task->appointment.error.message = "no such user";
                     task->zoom.needs_work = false;
                   },
                   nullptr)
                   .ok();
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  return ok;
}

// The next_cursor of an answer ("" for none); found by text, which is
// enough for the handler's own compact JSON.
std::string NextCursor(const std::string& body) {
  const std::string key = "\"next_cursor\":\"";
  const size_t at = body.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return body.substr(start, body.find('"', start) - start);
}

// The target of page `page` (0 = first) of `query`.
std::string PageTarget(const web::FakeAdminRouter& router,
                       const std::string& query, int page) {
  std::string target = "/admin/api/appointments?" + query;
  for (int i = 0; i < page; ++i) {
    const std::string cursor = NextCursor(router.Call("GET", target).body);
    if (cursor.empty()) break;
    target = "/admin/api/appointments?" + query + "&cursor=" + cursor;
  }
  return target;
}

int Run(Flags* flags) {
  const int count = flags->GetInt("appointments", 10000);
  const int iterations = flags->GetInt("iterations", 200);
  test::TempDir dir;
  RealClock clock;
  Store::Options options;
  options.path = dir.File("bridge.db");
  options.clock = &clock;
  std::unique_ptr<Store> store;
  Status s = Store::Open(options, &store);
  const auto fill_start = std::chrono::steady_clock::now();
  if (!s.ok() || !Fill(store.get(), count)) {
    fprintf(stderr, "admin_list_bench: filling the store failed\n");
    return 1;
  }
  const double fill_s = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - fill_start)
                            .count();
  NoAudit audit;
  web::FakeAdminRouter router;
  web::AppointmentRoutesDeps deps;
  deps.records = store.get();
  deps.queue = store.get();
  deps.audit = &audit;
  web::AddAppointmentRoutes(deps, &router);

  struct Case {
    const char* name;
    std::string query;
    int page;
  };
  const Case kCases[] = {
      {"first page, all", "limit=50", 0},
      {"page 100, all (keyset)", "limit=50", 99},
      {"first page, 200 rows", "limit=200", 0},
      {"first page, failed", "status=failed", 0},
      {"page 5, pending", "status=pending", 4},
      {"search doctor (1 in 10)", "q=dr-7", 0},
      {"search id, 1 match (scans all)", "q=appt-004242", 0},
      {"search, no match (scans all)", "q=nobody", 0},
  };
  printf(
      "admin_list_bench: %d appointments (filled in %.1f s), %d calls "
      "per row\n\n",
      count, fill_s, iterations);
  printf("| list | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
  for (const Case& c : kCases) {
    const std::string target = PageTarget(router, c.query, c.page);
    LatencyStats stats;
    for (int i = 0; i < iterations; ++i) {
      const auto start = std::chrono::steady_clock::now();
      httplib::Response res = router.Call("GET", target);
      stats.Add(std::chrono::steady_clock::now() - start);
      if (res.status != 200) {
        fprintf(stderr, "admin_list_bench: %s answered %d\n", c.name,
                res.status);
        return 1;
      }
    }
    printf("| %s | %.2f | %.2f | %.2f |\n", c.name, stats.PercentileMs(50),
           stats.PercentileMs(99), stats.MaxMs());
  }
  return 0;
}

int Dispatch(const std::string& command, Flags* flags) {
  if (command == "run") return Run(flags);
  fprintf(stderr, "admin_list_bench: unknown command %s\n", command.c_str());
  return 2;
}

}  // namespace

}  // namespace bench
}  // namespace telemed

int main(int argc, char** argv) {
  return telemed::bench::RunCommand(argc, argv, "admin_list_bench",
                                    "run [--appointments N] [--iterations N]",
                                    telemed::bench::Dispatch);
}
