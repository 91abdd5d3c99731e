#include "store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/sqlite.h"
#include "store/sync_task_change.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

int FileMode(const std::string& file) {
  struct stat st;
  if (stat(file.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

// -1 when missing.
long FileSize(const std::string& file) {
  struct stat st;
  return stat(file.c_str(), &st) == 0 ? static_cast<long>(st.st_size) : -1;
}

std::vector<std::string> FileNames(const std::string& directory) {
  std::vector<std::string> names;
  DIR* handle = opendir(directory.c_str());
  if (handle == nullptr) return names;
  while (dirent* entry = readdir(handle)) names.push_back(entry->d_name);
  closedir(handle);
  return names;
}

// Runs SQL on the file through a connection of its own, as another process
// (or a later build) would.
void ExecRaw(const std::string& path, const char* sql) {
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(path, 10000, &db));
  CHECK_OK(db.Exec(sql, "test sql"));
}

}  // namespace

TEST_GROUP_BASE(Store, StoreFixture){};

TEST(Store, KeepsRecordsAcrossReopen) {
  AddDoctor("d1");
  Appointment put = Put(Request("a1"), WriteOutcome::kCreated);
  store.reset();
  store = OpenStore();
  Appointment got;
  CHECK_OK(store->GetAppointment("a1", &got));
  CHECK(got.request == Request("a1"));
  CHECK(got.sync_status == SyncStatus::kPending);
  CHECK_FALSE(got.has_meeting);
  CHECK_FALSE(got.has_error);
  LONGS_EQUAL(1, got.revision);
  LONGS_EQUAL(clock.NowSeconds(), got.updated_at);
  CHECK_EQUAL(put.change_seq, got.change_seq);
  CHECK_EQUAL(put.change_seq, store->LatestChangeSeq());
  Doctor doctor;
  CHECK_OK(store->GetDoctor("d1", &doctor));
  STRCMP_EQUAL("Dr d1", doctor.name.c_str());
}

// Every time is an int64_t down to SQLite, so dates after 2038 survive where
// time_t is 32 bits (armhf; ./dev.sh cross armhf runs this group).
TEST(Store, KeepsTimesAfter2038AcrossReopen) {
  clock.SetMicros(2240611200LL * 1000000);  // 2041-01-01T00:00:00Z
  AddDoctor("d1");
  AppointmentRequest request = Request("a1");
  request.start_time = 2240643600;  // 2041-01-01T09:00:00Z
  Put(request, WriteOutcome::kCreated);
  store.reset();
  store = OpenStore();
  Appointment got;
  CHECK_OK(store->GetAppointment("a1", &got));
  LONGLONGS_EQUAL(2240643600LL, got.request.start_time);
  LONGLONGS_EQUAL(2240611200LL, got.updated_at);
}

TEST(Store, IdenticalPutChangesNothing) {
  AddDoctor("d1");
  Appointment first = Put(Request("a1"), WriteOutcome::kCreated);
  clock.AdvanceSeconds(60);
  Appointment second = Put(Request("a1"), WriteOutcome::kUnchanged);
  LONGS_EQUAL(first.revision, second.revision);
  LONGS_EQUAL(first.updated_at, second.updated_at);
  CHECK_EQUAL(first.change_seq, second.change_seq);
  CHECK_EQUAL(first.change_seq, store->LatestChangeSeq());
}

TEST(Store, EachVisibleChangeMovesRevisionAndFeed) {
  AddDoctor("d1");
  Appointment created = Put(Request("a1"), WriteOutcome::kCreated);
  clock.AdvanceSeconds(10);
  AppointmentRequest moved = Request("a1");
  moved.start_time += 3600;
  Appointment replaced = Put(moved, WriteOutcome::kReplaced);
  LONGS_EQUAL(2, replaced.revision);
  LONGS_EQUAL(created.updated_at + 10, replaced.updated_at);
  CHECK(replaced.change_seq > created.change_seq);
  CHECK(replaced.request == moved);

  Appointment cancelled;
  CHECK_OK(store->CancelAppointment("a1", &cancelled));
  CHECK_TRUE(cancelled.request.cancelled);
  LONGS_EQUAL(3, cancelled.revision);
  CHECK(cancelled.change_seq > replaced.change_seq);
  Appointment again;
  CHECK_OK(store->CancelAppointment("a1", &again));
  LONGS_EQUAL(3, again.revision);
  CHECK_EQUAL(cancelled.change_seq, again.change_seq);

  Appointment reopened = Put(moved, WriteOutcome::kReplaced);
  CHECK_FALSE(reopened.request.cancelled);
  LONGS_EQUAL(4, reopened.revision);
}

TEST(Store, UnknownDoctorIsRefusedAndNothingStored) {
  WriteOutcome outcome;
  Appointment stored;
  Status s = store->PutAppointment(Request("a1", "nobody"), &outcome, &stored);
  CHECK(s.code() == Status::Code::kValidation);
  STRCMP_EQUAL("unknown_doctor", s.reason().c_str());
  STRCMP_EQUAL("doctor_id", s.field().c_str());
  CHECK_TRUE(store->GetAppointment("a1", &stored).IsNotFound());
  CHECK_EQUAL(0u, store->LatestChangeSeq());
}

TEST(Store, UnknownAppointmentIsNotFound) {
  Appointment stored;
  Status s = store->CancelAppointment("a9", &stored);
  STRCMP_EQUAL("appointment_not_found", s.reason().c_str());
  s = store->GetAppointment("a9", &stored);
  STRCMP_EQUAL("appointment_not_found", s.reason().c_str());
}

TEST(Store, PutDoctorCreatesReplacesAndSkipsEqual) {
  Doctor doctor;
  doctor.id = "d2";
  doctor.name = "Dr Two";
  doctor.zoom_user = "two@clinic.example";
  WriteOutcome outcome;
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  CHECK(outcome == WriteOutcome::kCreated);
  clock.AdvanceSeconds(5);
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  CHECK(outcome == WriteOutcome::kUnchanged);
  doctor.auth = AuthMode::kOauth;
  doctor.zoom_user.clear();
  CHECK_OK(store->PutDoctor(doctor, &outcome));
  CHECK(outcome == WriteOutcome::kReplaced);
  Doctor got;
  CHECK_OK(store->GetDoctor("d2", &got));
  CHECK(got.auth == AuthMode::kOauth);
  STRCMP_EQUAL("", got.zoom_user.c_str());
  LONGS_EQUAL(clock.NowSeconds() - 5, got.created_at);
  LONGS_EQUAL(clock.NowSeconds(), got.updated_at);
  STRCMP_EQUAL("doctor_not_found",
               store->GetDoctor("x", &got).reason().c_str());
}

TEST(Store, ListsDoctorsById) {
  AddDoctor("b");
  AddDoctor("c");
  AddDoctor("a");
  std::vector<Doctor> doctors;
  CHECK_OK(store->ListDoctors(&doctors));
  LONGS_EQUAL(3, doctors.size());
  STRCMP_EQUAL("a", doctors[0].id.c_str());
  STRCMP_EQUAL("b", doctors[1].id.c_str());
  STRCMP_EQUAL("c", doctors[2].id.c_str());
}

TEST(Store, PurgeRemovesOnlyOldEndedAppointments) {
  AddDoctor("d1");
  const int64_t now = clock.NowSeconds();
  const int64_t day = 86400;
  AppointmentRequest old_one = Request("old");
  old_one.start_time = now - 91 * day;
  AppointmentRequest pending = Request("pending");
  pending.start_time = now - 91 * day;
  AppointmentRequest recent = Request("recent");
  // Ends 89 days ago: inside the retention window.
  recent.start_time = now - 89 * day - 30 * 60;
  AppointmentRequest future = Request("future");
  future.start_time = now + day;
  for (const auto& r : {old_one, pending, recent, future}) {
    Put(r, WriteOutcome::kCreated);
  }
  // Every new appointment owes Zoom a look; all but "pending" got it.
  for (const char* id : {"old", "recent", "future"}) FinishZoomWork(id);
  int purged = -1;
  CHECK_OK(store->PurgeEnded(90, &purged));
  LONGS_EQUAL(1, purged);
  Appointment got;
  CHECK_TRUE(store->GetAppointment("old", &got).IsNotFound());
  CHECK_OK(store->GetAppointment("pending", &got));
  CHECK_OK(store->GetAppointment("recent", &got));
  CHECK_OK(store->GetAppointment("future", &got));
}

TEST(Store, FeedPositionsAreNeverReusedAfterPurge) {
  AddDoctor("d1");
  AppointmentRequest old_one = Request("old");
  old_one.start_time = clock.NowSeconds() - 100 * 86400;
  Appointment purged_one = Put(old_one, WriteOutcome::kCreated);
  FinishZoomWork("old");
  int purged = 0;
  CHECK_OK(store->PurgeEnded(90, &purged));
  LONGS_EQUAL(1, purged);
  Appointment next = Put(Request("a1"), WriteOutcome::kCreated);
  CHECK(next.change_seq > purged_one.change_seq);
}

TEST_GROUP_BASE(StoreFiles, StoreFixture){};

TEST(StoreFiles, RecordsCurrentSchemaVersion) {
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(path, 1000, &db));
  SqliteStmt stmt;
  CHECK_OK(SqliteStmt::Prepare(db.get(), "PRAGMA user_version", &stmt));
  bool has_row = false;
  CHECK_OK(stmt.Step(&has_row));
  CHECK_TRUE(has_row);
  LONGS_EQUAL(Store::CurrentSchemaVersion(), stmt.ColumnInt64(0));
  CHECK(Store::CurrentSchemaVersion() >= 1);
}

TEST(StoreFiles, RefusesNewerSchema) {
  store.reset();
  ExecRaw(path, "PRAGMA user_version = 99");
  std::unique_ptr<Store> refused;
  Status s = TryOpen(&refused);
  CHECK_FALSE(s.ok());
  CHECK(refused == nullptr);
  STRCMP_EQUAL("schema_too_new", s.reason().c_str());
  std::string expected = "database " + path +
                         " has schema version 99, newer than this "
                         "telemed-bridge supports (" +
                         std::to_string(Store::CurrentSchemaVersion()) +
                         "): upgrade telemed-bridge";
  STRCMP_EQUAL(expected.c_str(), s.message().c_str());
}

TEST(StoreFiles, RefusesFileThatIsNotADatabase) {
  store.reset();
  std::string other = dir.path() + "/notes.txt";
  FILE* file = fopen(other.c_str(), "w");
  CHECK(file != nullptr);
  for (int i = 0; i < 200; ++i) fputs("this is not a database\n", file);
  fclose(file);
  path = other;
  std::unique_ptr<Store> refused;
  Status s = TryOpen(&refused);
  STRCMP_EQUAL("not_a_database", s.reason().c_str());
  std::string expected = "database " + other + " is not a SQLite database";
  STRCMP_EQUAL(expected.c_str(), s.message().c_str());
}

TEST(StoreFiles, RefusesAnEmptyFileInsteadOfInitialisingIt) {
  store.reset();
  std::string empty = dir.path() + "/empty.db";
  close(open(empty.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  path = empty;
  std::unique_ptr<Store> refused;
  Status s = TryOpen(&refused);
  STRCMP_EQUAL("empty_database", s.reason().c_str());
  STRCMP_CONTAINS(empty.c_str(), s.message().c_str());
  LONGS_EQUAL(0, FileSize(empty));
}

TEST(StoreFiles, RefusesAnSqliteFileWithoutTheBridgesSchema) {
  store.reset();
  path = dir.path() + "/other.db";
  ExecRaw(path, "CREATE TABLE notes (text TEXT)");
  std::unique_ptr<Store> refused;
  Status s = TryOpen(&refused);
  STRCMP_EQUAL("not_a_database", s.reason().c_str());
  STRCMP_CONTAINS("without a telemed-bridge schema", s.message().c_str());
}

TEST(StoreFiles, AMissingFileIsNotCreatedWhenNotAsked) {
  store.reset();
  path = dir.path() + "/missing.db";
  Store::Options options;
  options.path = path;
  options.clock = &clock;
  options.create_if_missing = false;
  Status s = Store::Open(options, &store);
  STRCMP_EQUAL(Store::kNoDatabase, s.reason().c_str());
  STRCMP_CONTAINS(path.c_str(), s.message().c_str());
  LONGS_EQUAL(-1, FileSize(path));
}

TEST(StoreFiles, AWalWithoutItsDatabaseIsRefusedNotReplayed) {
  AddDoctor("d1");
  store.reset();
  // What a deleted database leaves when its daemon did not close cleanly.
  std::string other = dir.path() + "/gone.db";
  ExecRaw(other, "CREATE TABLE notes (text TEXT)");
  FILE* wal = fopen((other + "-wal").c_str(), "w");
  fputs("frames of a database that is gone", wal);
  fclose(wal);
  LONGS_EQUAL(0, unlink(other.c_str()));
  path = other;
  std::unique_ptr<Store> refused;
  Status s = TryOpen(&refused);
  STRCMP_EQUAL("database_missing", s.reason().c_str());
  STRCMP_CONTAINS((other + "-wal").c_str(), s.message().c_str());
  LONGS_EQUAL(-1, FileSize(other));
}

TEST(StoreFiles, ANewDatabaseLeavesNoTemporaryFileBehind) {
  std::vector<std::string> names = FileNames(dir.path());
  for (const std::string& name : names) {
    CHECK_TEXT(name.find(".new-") == std::string::npos, name.c_str());
  }
  CHECK_TRUE(FileSize(path) > 0);
}

TEST(StoreFiles, ADeletedFileFailsWritesInsteadOfAcknowledgingThem) {
  AddDoctor("d1");
  CHECK_OK(store->CheckFile());
  LONGS_EQUAL(0, unlink(path.c_str()));
  Status s = store->CheckFile();
  CHECK_TRUE(s.code() == Status::Code::kUnavailable);
  STRCMP_EQUAL("database_gone", s.reason().c_str());
  STRCMP_CONTAINS("was deleted", s.message().c_str());
  WriteOutcome outcome;
  Appointment stored;
  s = store->PutAppointment(Request("a1"), &outcome, &stored);
  STRCMP_EQUAL("database_gone", s.reason().c_str());
  // Nor does a read connection opened now bring back an empty file: it
  // fails the same way (never "not found", which would read as a 404).
  // (No read came before, so this one opens the first read connection.)
  std::vector<Appointment> page;
  uint64_t cursor = 0;
  s = store->ListChanges(0, 10, &page, &cursor);
  STRCMP_EQUAL("database_gone", s.reason().c_str());
  LONGS_EQUAL(-1, FileSize(path));
}

TEST(StoreFiles, AReplacedFileFailsTheNextWrite) {
  AddDoctor("d1");
  std::string copy = dir.path() + "/copy.db";
  ExecRaw(copy, "CREATE TABLE notes (text TEXT)");
  LONGS_EQUAL(0, rename(copy.c_str(), path.c_str()));
  // No CheckFile first: the commit itself looks.
  WriteOutcome outcome;
  Appointment stored;
  Status s = store->PutAppointment(Request("a1"), &outcome, &stored);
  STRCMP_EQUAL("database_gone", s.reason().c_str());
  STRCMP_CONTAINS("replaced", s.message().c_str());
}

TEST(StoreFiles, ReportsMissingDirectory) {
  store.reset();
  path = dir.path() + "/missing/bridge.db";
  std::unique_ptr<Store> refused;
  Status s = TryOpen(&refused);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message().find(path) != std::string::npos);
}

TEST(StoreFiles, DatabaseFilesAreOwnerOnly) {
  AddDoctor("d1");
  Put(Request("a1"), WriteOutcome::kCreated);
  LONGS_EQUAL(0600, FileMode(path));
  LONGS_EQUAL(0600, FileMode(path + "-wal"));
  LONGS_EQUAL(0600, FileMode(path + "-shm"));
}

TEST(StoreFiles, TightensLooseModesAtOpen) {
  store.reset();
  CHECK_EQUAL(0, chmod(path.c_str(), 0644));
  store = OpenStore();
  LONGS_EQUAL(0600, FileMode(path));
}

TEST(StoreFiles, BusyPastTimeoutIsUnavailable) {
  store.reset();
  std::unique_ptr<Store> impatient;
  CHECK_OK(TryOpen(&impatient, /*busy_timeout_ms=*/50));
  SqliteDb other;
  CHECK_OK(SqliteDb::Open(path, 0, &other));
  CHECK_OK(other.Exec("BEGIN IMMEDIATE", "hold the write lock"));
  Doctor doctor;
  doctor.id = "d1";
  doctor.name = "Dr One";
  WriteOutcome outcome;
  Status s = impatient->PutDoctor(doctor, &outcome);
  CHECK(s.code() == Status::Code::kUnavailable);
  STRCMP_EQUAL("database_busy", s.reason().c_str());
  CHECK(s.message().find("database is locked") == std::string::npos);
  CHECK_OK(other.Exec("ROLLBACK", "release"));
  CHECK_OK(impatient->PutDoctor(doctor, &outcome));
}

TEST_GROUP(StoreWriteListener) {
  test::TempDir dir;
  FakeClock clock;
  std::unique_ptr<Store> store;
  void setup() override {
    Store::Options options;
    options.path = dir.File("bridge.db");
    options.clock = &clock;
    CHECK_TRUE(Store::Open(options, &store).ok());
  }
};

TEST(StoreWriteListener, HearsEveryCommittedWriteButNotUnchangedOnes) {
  int heard = 0;
  store->SetWriteListener([&heard] { ++heard; });
  Doctor doctor;
  doctor.id = "d1";
  doctor.name = "Dr. One";
  doctor.zoom_user = "one@clinic.example";
  WriteOutcome outcome;
  CHECK_TRUE(store->PutDoctor(doctor, &outcome).ok());
  LONGS_EQUAL(1, heard);
  CHECK_TRUE(store->PutDoctor(doctor, &outcome).ok());
  LONGS_EQUAL(1, heard);
  CHECK_TRUE(store->PutSetting("x", "y").ok());
  LONGS_EQUAL(2, heard);
  store->SetWriteListener(nullptr);
  CHECK_TRUE(store->PutSetting("x", "z").ok());
  LONGS_EQUAL(2, heard);
}

}  // namespace telemed

namespace telemed {

TEST_GROUP(StoreCheckpoint) {
  test::TempDir dir;
  FakeClock clock;
  std::unique_ptr<Store> store;

  void Open(bool background) {
    Store::Options options;
    options.path = dir.File("bridge.db");
    options.clock = &clock;
    options.background_checkpoints = background;
    CHECK_TRUE(Store::Open(options, &store).ok());
  }

  void WriteSettings(int count) {
    for (int i = 0; i < count; ++i) {
      CHECK_TRUE(
          store->PutSetting("n" + std::to_string(i), std::string(3000, 'x'))
              .ok());
    }
  }
};

TEST(StoreCheckpoint, BackgroundModeLeavesCheckpointsToTheOwner) {
  Open(/*background=*/true);
  WriteSettings(1500);  // about 1,500 pages: past SQLite's 1,000-page trigger
  int frames = 0, copied = 0;
  CHECK_TRUE(store->Checkpoint(&frames, &copied).ok());
  // No commit checkpointed on its own, so the WAL still held every frame.
  CHECK(frames > 1000);
  LONGS_EQUAL(frames, copied);
}

TEST(StoreCheckpoint, ReleaseMemoryEmptiesCachesAndReadsStillWork) {
  Open(/*background=*/true);
  WriteSettings(300);  // about 1.2 MB of pages, in the writer's cache
  std::string value;
  bool found = false;
  for (int i = 0; i < 300; ++i) {
    CHECK_TRUE(store->GetSetting("n" + std::to_string(i), &value, &found).ok());
  }
  const sqlite3_int64 before = sqlite3_memory_used();
  store->ReleaseMemory();
  const sqlite3_int64 after = sqlite3_memory_used();
  CHECK_TEXT(before - after > 512 * 1024,
             (std::to_string(before) + " -> " + std::to_string(after)).c_str());
  CHECK_TRUE(store->GetSetting("n7", &value, &found).ok());
  CHECK_TRUE(found);
  LONGS_EQUAL(3000, value.size());
  CHECK_TRUE(store->PutSetting("n7", "y").ok());
}

TEST(StoreCheckpoint, DefaultModeKeepsSqlitesAutoCheckpoint) {
  Open(/*background=*/false);
  WriteSettings(1500);
  int frames = 0, copied = 0;
  CHECK_TRUE(store->Checkpoint(&frames, &copied).ok());
  CHECK(frames < 1100);
}

}  // namespace telemed

namespace telemed {

TEST_GROUP_BASE(StoreRemoveDoctor,
                test::StoreFixture){void setup() override{StoreFixture::setup();
AddDoctor("d1");
AddDoctor("d2");
}  // namespace telemed
// The refusal's message, after checking that it is doctor_in_use and
// that nothing went.
std::string CheckInUse() {
  Doctor removed;
  Status s = store->RemoveDoctor("d1", &removed, nullptr);
  STRCMP_EQUAL("doctor_in_use", s.reason().c_str());
  CHECK(s.code() == Status::Code::kConflict);
  Doctor still;
  CHECK_OK(store->GetDoctor("d1", &still));
  return s.message();
}
void Cancel(const std::string& id) {
  Appointment stored;
  CHECK_OK(store->CancelAppointment(id, &stored));
}
}
;

TEST(StoreRemoveDoctor, UnknownDoctorIsNotFound) {
  Doctor removed;
  Status s = store->RemoveDoctor("nobody", &removed, nullptr);
  STRCMP_EQUAL("doctor_not_found", s.reason().c_str());
  CHECK_TRUE(s.IsNotFound());
}

TEST(StoreRemoveDoctor, ADoctorWithoutAppointmentsGoes) {
  Doctor removed;
  int count = -1;
  CHECK_OK(store->RemoveDoctor("d1", &removed, &count));
  STRCMP_EQUAL("Dr d1", removed.name.c_str());
  LONGS_EQUAL(0, count);
  Doctor gone;
  CHECK_TRUE(store->GetDoctor("d1", &gone).IsNotFound());
  CHECK_OK(store->GetDoctor("d2", &gone));
  // The id may be registered again, as a new doctor.
  AddDoctor("d1");
}

TEST(StoreRemoveDoctor, RefusedWhileAnAppointmentIsOpen) {
  Put(Request("a1"), WriteOutcome::kCreated);
  Put(Request("a2"), WriteOutcome::kCreated);
  FinishZoomWork("a1");
  FinishZoomWork("a2");
  std::string message = CheckInUse();
  CHECK_TEXT(message.find("2 appointments that are not cancelled or ended") !=
                 std::string::npos,
             message.c_str());
  Appointment a1;
  CHECK_OK(store->GetAppointment("a1", &a1));
}

TEST(StoreRemoveDoctor, RefusedWhileZoomWorkOrADeletionIsPending) {
  Put(Request("a1"), WriteOutcome::kCreated);
  Cancel("a1");
  std::string message = CheckInUse();
  CHECK_TEXT(message.find("1 appointment the bridge still has Zoom work for") !=
                 std::string::npos,
             message.c_str());
  // The engine detaches the meeting into the deletion queue.
  CHECK_OK(ChangeSyncTask(
      store.get(), "a1",
      [](SyncTask* task, bool) {
        task->zoom.needs_work = false;
        PendingDeletion deletion;
        deletion.meeting_id = "81234567890";
        deletion.host = "d1@clinic.example";
        deletion.appointment_id = "a1";
        task->queue_deletions.push_back(deletion);
      },
      nullptr));
  message = CheckInUse();
  CHECK_TEXT(
      message.find("1 Zoom meeting waiting to be deleted") != std::string::npos,
      message.c_str());
  CHECK_OK(store->CompleteDeletion("81234567890"));
  Doctor removed;
  CHECK_OK(store->RemoveDoctor("d1", &removed, nullptr));
}

TEST(StoreRemoveDoctor, TakesCancelledAndEndedAppointmentsAlong) {
  Put(Request("cancelled"), WriteOutcome::kCreated);
  Cancel("cancelled");
  FinishZoomWork("cancelled");
  Put(Request("ended"), WriteOutcome::kCreated);
  FinishZoomWork("ended");
  Put(Request("other", "d2"), WriteOutcome::kCreated);
  clock.AdvanceSeconds(24 * 3600);  // past both ends
  Doctor removed;
  int count = 0;
  CHECK_OK(store->RemoveDoctor("d1", &removed, &count));
  LONGS_EQUAL(2, count);
  Appointment gone;
  CHECK_TRUE(store->GetAppointment("cancelled", &gone).IsNotFound());
  CHECK_TRUE(store->GetAppointment("ended", &gone).IsNotFound());
  CHECK_OK(store->GetAppointment("other", &gone));
  WriteOutcome outcome;
  Appointment stored;
  Status s = store->PutAppointment(Request("new"), &outcome, &stored);
  STRCMP_EQUAL("unknown_doctor", s.reason().c_str());
}

}  // namespace telemed
