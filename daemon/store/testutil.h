// Test helpers for store/ tests: a deterministic RandomSource and the store
// fixture (on tests/support's TempDir). Header-only; used only by *_test.cc.
#ifndef TELEMED_STORE_TESTUTIL_H_
#define TELEMED_STORE_TESTUTIL_H_

#include <CppUTest/TestHarness.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "base/random.h"
#include "base/status.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "support/temp_dir.h"

// Fails the current test with the Status's text unless it is OK.
#define CHECK_OK(expr)                           \
  do {                                           \
    ::telemed::Status check_ok_status_ = (expr); \
    if (!check_ok_status_.ok()) {                \
      FAIL(check_ok_status_.ToString().c_str()); \
    }                                            \
  } while (0)

namespace telemed {
namespace test {

// Bytes from a counter: distinct keys, same keys in every run.
class CountingRandom final : public RandomSource {
 public:
  Status Fill(uint8_t* out, size_t length) override {
    for (size_t i = 0; i < length; ++i) out[i] = next_++;
    return Status::OK();
  }

 private:
  std::atomic<uint8_t> next_{0};
};

// Base of the store test groups (TEST_GROUP_BASE): a Store on a fresh file
// in a temporary directory, a FakeClock, and helpers to fill it.
class StoreFixture : public Utest {
 public:
  void setup() override {
    path = dir.File("bridge.db");
    store = OpenStore();
  }
  void teardown() override { store.reset(); }

  // A valid request for appointment `id`.
  static AppointmentRequest Request(const std::string& id,
                                    const std::string& doctor_id = "d1") {
    AppointmentRequest request;
    request.id = id;
    request.doctor_id = doctor_id;
    request.start_time = 1767258000;  // 2026-01-01T09:00:00Z
    request.duration_minutes = 30;
    request.timezone = "Europe/Berlin";
    request.topic = "Follow-up";
    return request;
  }

 protected:
  Status TryOpen(std::unique_ptr<Store>* out, int busy_timeout_ms = 10000) {
    Store::Options options;
    options.path = path;
    options.clock = &clock;
    options.busy_timeout_ms = busy_timeout_ms;
    return Store::Open(options, out);
  }
  std::unique_ptr<Store> OpenStore() {
    std::unique_ptr<Store> out;
    CHECK_OK(TryOpen(&out));
    return out;
  }
  void AddDoctor(const std::string& id) {
    Doctor doctor;
    doctor.id = id;
    doctor.name = "Dr " + id;
    doctor.zoom_user = id + "@clinic.example";
    WriteOutcome outcome;
    CHECK_OK(store->PutDoctor(doctor, &outcome));
  }
  // Puts `request` and checks the outcome; returns what was stored.
  Appointment Put(const AppointmentRequest& request, WriteOutcome expected) {
    WriteOutcome outcome = WriteOutcome::kUnchanged;
    Appointment stored;
    CHECK_OK(store->PutAppointment(request, &outcome, &stored));
    CHECK(outcome == expected);
    return stored;
  }

  // Clears needs_work as the sync engine does once Zoom matches.
  void FinishZoomWork(const std::string& id) {
    CHECK_OK(ChangeSyncTask(
        store.get(), id,
        [](SyncTask* task, bool) { task->zoom.needs_work = false; }, nullptr));
  }

  // Marks the appointment failed with `code`, as the sync engine does when
  // a person must act.
  void MarkFailed(const std::string& id,
                  const std::string& code = "zoom_user_not_found",
                  const std::string& message = "Zoom has no such user") {
    CHECK_OK(ChangeSyncTask(
        store.get(), id,
        [&](SyncTask* task, bool) {
          task->appointment.sync_status = SyncStatus::kFailed;
          task->appointment.has_error = true;
          task->appointment.error.code = code;
          task->appointment.error.message = message;
          task->zoom.needs_work = false;
        },
        nullptr));
  }

  // The bytes of the database file and its WAL, as a reader of the disk
  // would find them.
  std::string FileBytes() const { return Slurp(path) + Slurp(path + "-wal"); }
  static std::string Slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in),
                       std::istreambuf_iterator<char>());
  }

  FakeClock clock;
  TempDir dir;
  std::string path;
  std::unique_ptr<Store> store;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_STORE_TESTUTIL_H_
