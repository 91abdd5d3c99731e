#include "store/backup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

std::vector<std::string> FileNames(const std::string& directory) {
  std::vector<std::string> names;
  DIR* handle = opendir(directory.c_str());
  if (handle == nullptr) return names;
  while (dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(handle);
  return names;
}

void WriteText(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0);
  CHECK(write(fd, text.data(), text.size()) ==
        static_cast<ssize_t>(text.size()));
  close(fd);
}

std::string ReadText(const std::string& path) {
  std::string text;
  int fd = open(path.c_str(), O_RDONLY);
  char buffer[4096];
  ssize_t n;
  while (fd >= 0 && (n = read(fd, buffer, sizeof buffer)) > 0) {
    text.append(buffer, n);
  }
  if (fd >= 0) close(fd);
  return text;
}

// Overwrites `length` bytes at `offset` with 0xA5.
void Scribble(const std::string& path, off_t offset, size_t length) {
  int fd = open(path.c_str(), O_WRONLY);
  CHECK(fd >= 0);
  std::string junk(length, '\xa5');
  CHECK(pwrite(fd, junk.data(), junk.size(), offset) ==
        static_cast<ssize_t>(junk.size()));
  close(fd);
}

ino_t InodeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace

TEST_GROUP_BASE(Backup, StoreFixture) {
  std::string backup;
  void setup() override {
    StoreFixture::setup();
    backup = dir.File("copy.db");
    AddDoctor("d1");
    Put(Request("a1"), WriteOutcome::kCreated);
  }

  Status Restore(const std::string& from, const std::string& to,
                 RestoreResult* result) {
    int fd = -1;
    Status s = OpenBackupFile(from, &fd);
    if (s.ok()) s = RestoreDatabase(fd, from, to, 1764749700, result);
    if (fd >= 0) close(fd);
    return s;
  }

  // Opens the database at `file` as the daemon would.
  bool HasAppointment(const std::string& file, const std::string& id) {
    Store::Options options;
    options.path = file;
    options.clock = &clock;
    options.create_if_missing = false;
    std::unique_ptr<Store> other;
    CHECK_OK(Store::Open(options, &other));
    Appointment found;
    return other->GetAppointment(id, &found).ok();
  }
};

TEST(Backup, CopyHoldsEverythingInOneFile) {
  CHECK_OK(store->WriteBackup(backup));
  CHECK(!Exists(backup + "-wal"));
  CHECK(!Exists(backup + "-journal"));
  struct stat st;
  CHECK(stat(backup.c_str(), &st) == 0);
  LONGS_EQUAL(0600, st.st_mode & 0777);
  BackupSummary summary;
  CHECK_OK(CheckBackupFile(backup, &summary));
  LONGS_EQUAL(Store::CurrentSchemaVersion(), summary.schema_version);
  LONGS_EQUAL(1, summary.appointments);
  LONGS_EQUAL(1, summary.doctors);
  LONGS_EQUAL(store->LatestChangeSeq(), summary.last_change);
  CHECK(HasAppointment(backup, "a1"));
}

TEST(Backup, NeverOverwritesAFile) {
  WriteText(backup, "mine");
  Status s = store->WriteBackup(backup);
  CHECK(s.code() == Status::Code::kAlreadyExists);
  STRCMP_EQUAL("backup_exists", s.reason().c_str());
  STRCMP_EQUAL("mine", ReadText(backup).c_str());
  for (const std::string& name : FileNames(dir.path())) {
    CHECK_TEXT(name.find(".tmp") == std::string::npos, name.c_str());
  }
}

TEST(Backup, IsConsistentWhileWritesGoOn) {
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; !done; ++i) {
      WriteOutcome outcome;
      Appointment stored;
      store->PutAppointment(Request("w" + std::to_string(i)), &outcome,
                            &stored);
    }
  });
  for (int i = 0; i < 5; ++i) {
    std::string file = dir.File("during" + std::to_string(i) + ".db");
    CHECK_OK(store->WriteBackup(file));
    BackupSummary summary;
    CHECK_OK(CheckBackupFile(file, &summary));
    // One snapshot: every change number has its appointment.
    LONGS_EQUAL(summary.last_change, summary.appointments);
  }
  done = true;
  writer.join();
}

TEST(Backup, CheckRefusesWhatIsNotABridgeDatabase) {
  WriteText(backup, "not a database at all, just text long enough to read");
  BackupSummary summary;
  Status s = CheckBackupFile(backup, &summary);
  STRCMP_EQUAL("not_a_database", s.reason().c_str());
  CHECK(s.message().find(backup) != std::string::npos);

  std::string plain = dir.File("plain.db");
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(plain, 1000, &db));
  CHECK_OK(db.Exec("CREATE TABLE t (x); PRAGMA user_version = 3", "make"));
  STRCMP_EQUAL("not_a_database",
               CheckBackupFile(plain, &summary).reason().c_str());
  STRCMP_EQUAL("no_backup",
               CheckBackupFile(dir.File("none.db"), &summary).reason().c_str());
  RestoreResult result;
  STRCMP_EQUAL("no_backup",
               Restore(dir.File("none.db"), path, &result).reason().c_str());
}

TEST(Backup, CheckRefusesACorruptFile) {
  CHECK_OK(store->WriteBackup(backup));
  struct stat st;
  CHECK(stat(backup.c_str(), &st) == 0);
  // Past the header page: the tables' pages.
  Scribble(backup, 4096, static_cast<size_t>(st.st_size) - 4096);
  BackupSummary summary;
  Status s = CheckBackupFile(backup, &summary);
  CHECK(s.code() == Status::Code::kCorruption);
  CHECK(s.message().find(backup) != std::string::npos);
}

TEST(Backup, CheckRefusesANewerSchemaNamingBothVersions) {
  CHECK_OK(store->WriteBackup(backup));
  {
    SqliteDb db;
    CHECK_OK(SqliteDb::Open(backup, 1000, &db));
    std::string sql = "PRAGMA user_version = " +
                      std::to_string(Store::CurrentSchemaVersion() + 1);
    CHECK_OK(db.Exec(sql.c_str(), "bump"));
  }
  BackupSummary summary;
  Status s = CheckBackupFile(backup, &summary);
  STRCMP_EQUAL("schema_too_new", s.reason().c_str());
  std::string newer = std::to_string(Store::CurrentSchemaVersion() + 1);
  std::string ours = std::to_string(Store::CurrentSchemaVersion());
  CHECK(s.message().find(newer) != std::string::npos);
  CHECK(s.message().find(ours) != std::string::npos);
}

TEST(Backup, RestoreReplacesTheDatabaseAndKeepsTheOldOne) {
  CHECK_OK(store->WriteBackup(backup));
  Put(Request("a2"), WriteOutcome::kCreated);
  std::string old_id;
  CHECK_OK(store->GetDatabaseId(&old_id));
  store.reset();
  RestoreResult result;
  CHECK_OK(Restore(backup, path, &result));
  // A new identity: every client's cursor is refused and read again.
  store = OpenStore();
  std::string new_id;
  CHECK_OK(store->GetDatabaseId(&new_id));
  CHECK(new_id != old_id);
  LONGS_EQUAL(32, new_id.size());
  store.reset();
  STRCMP_EQUAL((path + ".replaced-20251203T081500Z").c_str(),
               result.kept_path.c_str());
  LONGS_EQUAL(1, result.backup.appointments);
  CHECK(HasAppointment(path, "a1"));
  CHECK(!HasAppointment(path, "a2"));
  CHECK(HasAppointment(result.kept_path, "a2"));
  struct stat st;
  CHECK(stat(path.c_str(), &st) == 0);
  LONGS_EQUAL(0600, st.st_mode & 0777);
  for (const std::string& name : FileNames(dir.path())) {
    CHECK_TEXT(name.find(".restore") == std::string::npos, name.c_str());
  }
}

TEST(Backup, RestoreIntoAnEmptyDataDirKeepsNothing) {
  CHECK_OK(store->WriteBackup(backup));
  std::string fresh = dir.File("fresh.db");
  RestoreResult result;
  CHECK_OK(Restore(backup, fresh, &result));
  STRCMP_EQUAL("", result.kept_path.c_str());
  CHECK(HasAppointment(fresh, "a1"));
}

TEST(Backup, RestoreKeepsCommitsStillInTheWal) {
  CHECK_OK(store->WriteBackup(backup));
  Put(Request("a2"), WriteOutcome::kCreated);
  // As after kill -9: a2 may be only in the WAL. Copy the files aside.
  std::string db_copy = dir.File("crashed.db");
  WriteText(db_copy, ReadText(path));
  WriteText(db_copy + "-wal", ReadText(path + "-wal"));
  store.reset();
  RestoreResult result;
  CHECK_OK(Restore(backup, db_copy, &result));
  CHECK(!Exists(db_copy + "-wal"));
  CHECK(HasAppointment(result.kept_path, "a2"));
}

TEST(Backup, BadBackupReplacesNothing) {
  CHECK_OK(store->WriteBackup(backup));
  struct stat st;
  CHECK(stat(backup.c_str(), &st) == 0);
  Scribble(backup, 4096, static_cast<size_t>(st.st_size) - 4096);
  store.reset();
  ino_t before = InodeOf(path);
  std::vector<std::string> names = FileNames(dir.path());
  RestoreResult result;
  Status s = Restore(backup, path, &result);
  CHECK(s.code() == Status::Code::kCorruption);
  // The message names the user's file, not the temporary copy.
  CHECK(s.message().find(backup) != std::string::npos);
  LONGS_EQUAL(before, InodeOf(path));
  std::vector<std::string> after = FileNames(dir.path());
  std::sort(names.begin(), names.end());
  std::sort(after.begin(), after.end());
  CHECK(names == after);
  CHECK(HasAppointment(path, "a1"));
}

}  // namespace telemed
