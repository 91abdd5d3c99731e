// Upgrading a database that an older release wrote.
#include "store/migrations.h"

#include <memory>
#include <string>

#include "store/sqlite.h"
#include "store/store.h"
#include "store/sync_task_change.h"
#include "store/testutil.h"

namespace telemed {
namespace {

// Rows as release 1 (schema version 1) wrote them: one doctor, two
// appointments, the feed at 7.
constexpr char kVersion1Rows[] = R"sql(
INSERT INTO doctors VALUES ('d1', 'Dr One', 'd1@clinic.example', 's2s', 5, 5);
INSERT INTO appointments (id, doctor_id, start_time, duration_minutes,
  timezone, topic, cancelled, sync_status, error_code, error_message,
  revision, updated_at, change_seq)
VALUES ('a1', 'd1', 1767258000, 30, 'Europe/Berlin', 'Follow-up', 0,
        'pending', NULL, NULL, 3, 6, 6),
       ('a2', 'd1', 1767261600, 45, 'UTC', '', 1, 'pending',
        'doctor_not_connected', 'not connected', 1, 7, 7);
UPDATE change_feed SET last_seq = 7;
)sql";

// Sync state as release 2 (schema version 2) wrote it: a1's create is in
// doubt on a host the doctor has left since.
constexpr char kVersion2Rows[] = R"sql(
UPDATE appointments SET create_generation = 2, create_in_doubt = 1,
  meeting_host = 'old@clinic.example', next_attempt_at = 1767250000
  WHERE id = 'a1';
)sql";

}  // namespace

TEST_GROUP_BASE(Migrations, test::StoreFixture){
    void setup() override{path = dir.File("bridge.db");
SqliteDb db;
CHECK_OK(SqliteDb::Open(path, 1000, &db));
CHECK_OK(MigrateSchemaTo(&db, path, 1));
CHECK_OK(db.Exec(kVersion1Rows, "fill version 1"));
}  // namespace telemed

// Takes the version 1 file to version 2 as release 2 did, with its rows.
void FillVersion2() {
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(path, 1000, &db));
  CHECK_OK(MigrateSchemaTo(&db, path, 2));
  CHECK_OK(db.Exec(kVersion2Rows, "fill version 2"));
}
}
;

TEST(Migrations, Version1RowsSurviveAndNeedWork) {
  CHECK(Store::CurrentSchemaVersion() >= 2);
  store = OpenStore();
  Appointment a1;
  CHECK_OK(store->GetAppointment("a1", &a1));
  LONGS_EQUAL(3, a1.revision);
  CHECK_EQUAL(6u, a1.change_seq);
  STRCMP_EQUAL("Follow-up", a1.request.topic.c_str());
  CHECK_FALSE(a1.has_error);
  SyncTask a2;
  CHECK_OK(store->GetSyncTask("a2", &a2));
  CHECK_TRUE(a2.appointment.request.cancelled);
  STRCMP_EQUAL("doctor_not_connected", a2.appointment.error.code.c_str());
  LONGS_EQUAL(0, a2.appointment.error.zoom_code);
  CHECK_TRUE(a2.appointment.error.missing_scopes.empty());
  CHECK_TRUE(a2.zoom.needs_work);
  LONGS_EQUAL(0, a2.zoom.create_generation);
  CHECK_EQUAL(7u, store->LatestChangeSeq());

  std::vector<SyncTask> due;
  CHECK_OK(store->ListDueSyncTasks(clock.NowSeconds(), 10, {}, &due));
  LONGS_EQUAL(2, due.size());
  Appointment a3 = Put(Request("a3"), WriteOutcome::kCreated);
  CHECK_EQUAL(8u, a3.change_seq);
  SyncTask task;
  CHECK_OK(store->GetSyncTask("a3", &task));
  CHECK_TRUE(task.zoom.needs_work);
}

TEST(Migrations, Version2SyncStateSurvivesWithNoSweepPending) {
  CHECK(Store::CurrentSchemaVersion() >= 3);
  FillVersion2();
  store = OpenStore();
  SyncTask a1;
  CHECK_OK(store->GetSyncTask("a1", &a1));
  LONGS_EQUAL(3, a1.appointment.revision);
  LONGS_EQUAL(2, a1.zoom.create_generation);
  CHECK_TRUE(a1.zoom.create_in_doubt);
  STRCMP_EQUAL("old@clinic.example", a1.zoom.meeting_host.c_str());
  LONGS_EQUAL(1767250000, a1.zoom.next_attempt_at);
  LONGS_EQUAL(0, a1.zoom.sweep_at);
  LONGS_EQUAL(0, a1.zoom.sweep_round);
  STRCMP_EQUAL("", a1.zoom.sweep_host.c_str());
  CHECK_EQUAL(7u, store->LatestChangeSeq());
  CHECK_OK(ChangeSyncTask(
      store.get(), "a1",
      [](SyncTask* task, bool) {
        task->zoom.sweep_at = 1767250005;
        task->zoom.sweep_round = 1;
        task->zoom.sweep_host = "old@clinic.example";
      },
      &a1));
  LONGS_EQUAL(1, a1.zoom.sweep_round);
}

TEST(Migrations, Version5GivesTheDatabaseAnIdThatStays) {
  CHECK(Store::CurrentSchemaVersion() >= 5);
  store = OpenStore();
  std::string id;
  CHECK_OK(store->GetDatabaseId(&id));
  LONGS_EQUAL(32, id.size());
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  store.reset();
  store = OpenStore();
  std::string again;
  CHECK_OK(store->GetDatabaseId(&again));
  STRCMP_EQUAL(id.c_str(), again.c_str());
  // Another database gets another id.
  path = dir.File("other.db");
  store = OpenStore();
  CHECK_OK(store->GetDatabaseId(&again));
  CHECK(id != again);
}

TEST(Migrations, MissingOrDamagedDatabaseIdIsCorruption) {
  store = OpenStore();
  CHECK_OK(store->PutSetting("store.database_id", "not hex"));
  std::string id;
  Status s = store->GetDatabaseId(&id);
  STRCMP_EQUAL("bad_database_id", s.reason().c_str());
  CHECK_OK(store->DeleteSettings("store."));
  STRCMP_EQUAL("bad_database_id", store->GetDatabaseId(&id).reason().c_str());
}

TEST(Migrations, AppointmentsParkedForAnOauthDoctorAreDueAgain) {
  {
    SqliteDb db;
    CHECK_OK(SqliteDb::Open(path, 1000, &db));
    CHECK_OK(MigrateSchemaTo(&db, path, 8));
    CHECK_OK(
        db.Exec("UPDATE appointments SET zoom_action_pending = 0,"
                " next_attempt_at = 0 WHERE id = 'a2'",
                "park a2 as release 8 did"));
  }
  store = OpenStore();
  SyncTask a2;
  CHECK_OK(store->GetSyncTask("a2", &a2));
  CHECK_TRUE(a2.zoom.needs_work);
}

}  // namespace telemed
