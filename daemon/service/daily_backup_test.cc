#include "service/daily_backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "base/log.h"
#include "store/backup.h"
#include "store/testutil.h"

namespace telemed {

TEST_GROUP_BASE(DailyBackup, test::StoreFixture) {
  CapturingLogger logger;
  std::string backups;

  void setup() override {
    StoreFixture::setup();
    backups = dir.File("backups");
    AddDoctor("d1");
  }

  DailyBackup::Options MakeOptions(int keep) {
    DailyBackup::Options options;
    options.store = store.get();
    options.clock = &clock;
    options.logger = &logger;
    options.dir = backups;
    options.keep = keep;
    return options;
  }

  std::vector<BackupFile> List() {
    std::vector<BackupFile> files;
    CHECK_OK(ListBackups(backups, &files));
    return files;
  }
};

TEST(DailyBackup, WritesOneADayIntoItsOwnFolder) {
  DailyBackup daily(MakeOptions(7));
  CHECK_OK(daily.Tick());
  std::vector<BackupFile> files = List();
  LONGS_EQUAL(1, files.size());
  // FakeClock starts at 2026-01-01T00:00:00Z.
  STRCMP_EQUAL((backups + "/telemed-bridge-20260101T000000Z.db").c_str(),
               files[0].path.c_str());
  LONGS_EQUAL(clock.NowSeconds(), files[0].written_at);
  CHECK(files[0].size > 0);
  struct stat st;
  CHECK(stat(backups.c_str(), &st) == 0);
  LONGS_EQUAL(0700, st.st_mode & 0777);
  BackupSummary summary;
  CHECK_OK(CheckBackupFile(files[0].path, &summary));
  LONGS_EQUAL(1, summary.doctors);

  clock.AdvanceSeconds(23 * 3600);
  CHECK_OK(daily.Tick());
  LONGS_EQUAL(1, List().size());
  clock.AdvanceSeconds(3600);
  CHECK_OK(daily.Tick());
  LONGS_EQUAL(2, List().size());
}

TEST(DailyBackup, ARestartDoesNotAddABackup) {
  CHECK_OK(DailyBackup(MakeOptions(7)).Tick());
  clock.AdvanceSeconds(3600);
  CHECK_OK(DailyBackup(MakeOptions(7)).Tick());
  LONGS_EQUAL(1, List().size());
}

TEST(DailyBackup, KeepsOnlyTheNewest) {
  DailyBackup daily(MakeOptions(3));
  for (int day = 0; day < 5; ++day) {
    CHECK_OK(daily.Tick());
    clock.AdvanceSeconds(24 * 3600);
  }
  std::vector<BackupFile> files = List();
  LONGS_EQUAL(3, files.size());
  STRCMP_EQUAL((backups + "/telemed-bridge-20260103T000000Z.db").c_str(),
               files[0].path.c_str());
  STRCMP_EQUAL((backups + "/telemed-bridge-20260105T000000Z.db").c_str(),
               files[2].path.c_str());
}

TEST(DailyBackup, LeavesOtherFilesAlone) {
  CHECK(mkdir(backups.c_str(), 0700) == 0);
  std::string mine = backups + "/before-upgrade.db";
  close(open(mine.c_str(), O_WRONLY | O_CREAT, 0600));
  DailyBackup daily(MakeOptions(1));
  for (int day = 0; day < 3; ++day) {
    CHECK_OK(daily.Tick());
    clock.AdvanceSeconds(24 * 3600);
  }
  LONGS_EQUAL(1, List().size());
  CHECK(access(mine.c_str(), F_OK) == 0);
}

TEST(DailyBackup, RemovesWhatAKilledBackupLeftBehind) {
  CHECK(mkdir(backups.c_str(), 0700) == 0);
  std::string leftover =
      backups + "/telemed-bridge-20251231T000000Z.db.tmp-a1B2c3";
  std::string mine = backups + "/before-upgrade.db.tmp-a1B2c3";
  for (const std::string& file : {leftover, mine}) {
    close(open(file.c_str(), O_WRONLY | O_CREAT, 0600));
  }
  CHECK_OK(DailyBackup(MakeOptions(7)).Tick());
  CHECK(access(leftover.c_str(), F_OK) != 0);
  CHECK(access(mine.c_str(), F_OK) == 0);
  LONGS_EQUAL(1, List().size());
}

TEST(DailyBackup, AFailureIsLoggedAndRetried) {
  // A file where the folder should be.
  close(open(backups.c_str(), O_WRONLY | O_CREAT, 0600));
  DailyBackup daily(MakeOptions(7));
  CHECK(!daily.Tick().ok());
  CHECK(logger.Contains("daily backup failed"));
  CHECK(unlink(backups.c_str()) == 0);
  CHECK_OK(daily.Tick());
  LONGS_EQUAL(1, List().size());
}

TEST(DailyBackup, AMissingFolderListsNothing) { LONGS_EQUAL(0, List().size()); }

}  // namespace telemed
