// backup FILE | backup --list | restore FILE: copies of the database, made
// beside a running daemon, and putting one back with the daemon stopped.
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "base/time_format.h"
#include "cli/command.h"
#include "cli/table.h"
#include "config/daemon_lock.h"
#include "config/data_dir.h"
#include "service/daily_backup.h"
#include "store/backup.h"

namespace telemed {
namespace cli {

namespace {

std::string Counts(const BackupSummary& summary) {
  return std::to_string(summary.appointments) + " appointment(s), " +
         std::to_string(summary.doctors) + " doctor(s), schema version " +
         std::to_string(summary.schema_version);
}

int ListBackupFiles(const Context& context) {
  std::string dir = BackupsDir(context.config.data_dir);
  std::vector<BackupFile> files;
  Status s = ListBackups(dir, &files);
  if (!s.ok()) return Fail(context, s.message());
  if (files.empty()) {
    *context.out << "No automatic backups in " << AbsolutePath(dir)
                 << " yet.\n";
    return kExitOk;
  }
  std::vector<TableRow> rows = {{"WRITTEN", "SIZE", "FILE"}};
  for (const BackupFile& file : files) {
    rows.push_back({FormatRfc3339Utc(file.written_at),
                    std::to_string(file.size), AbsolutePath(file.path)});
  }
  *context.out << FormatTable(rows);
  return kExitOk;
}

// Takes the data dir's daemon lock, so no daemon starts while the file is
// swapped; refused while one serves.
Status LockOutDaemon(const Context& context,
                     std::unique_ptr<DaemonLock>* lock) {
  Status s = DaemonLock::Acquire(context.config.data_dir, lock);
  if (s.code() != Status::Code::kConflict) return s;
  return Status::Conflict(s.reason(), s.message() +
                                          ". Stop it first ('systemctl stop "
                                          "telemed-bridge'), then restore");
}

}  // namespace

int RunBackup(const Context& context) {
  if (context.args.Flag("list") != nullptr) return ListBackupFiles(context);
  const std::string& file = context.args.positionals[0];
  StoreSession session;
  Status s = OpenStore(context.config, &session);
  if (s.ok()) s = session.store->WriteBackup(file);
  BackupSummary summary;
  if (s.ok()) s = CheckBackupFile(file, &summary);
  if (s.code() == Status::Code::kPermissionDenied) {
    // OpenStore made us the data dir's owner (see config/data_dir.h).
    return Fail(context, s.message() + "; the backup is written as " +
                             DescribeUser(geteuid()) +
                             ", the data dir's owner: choose a directory it "
                             "may write, e.g. " +
                             AbsolutePath(BackupsDir(context.config.data_dir)));
  }
  if (!s.ok()) return Fail(context, s.message());
  *context.out << "Backed up " << session.database_path << " to "
               << AbsolutePath(file) << " (" << Counts(summary)
               << ").\nThe secret key is not in it: keep a copy of the key "
                  "file too.\n";
  return kExitOk;
}

int RunRestore(const Context& context) {
  const Config& config = context.config;
  const std::string& file = context.args.positionals[0];
  // Opened first: once PrepareDataDir made us the data dir's owner, a
  // root-only file could no longer be read.
  int fd = -1;
  Status s = OpenBackupFile(file, &fd);
  std::unique_ptr<DaemonLock> lock;
  if (s.ok()) s = PrepareDataDir(config.data_dir);
  if (s.ok()) s = LockOutDaemon(context, &lock);
  RestoreResult result;
  RealClock clock;
  if (s.ok()) {
    s = RestoreDatabase(fd, file, DatabasePath(config.data_dir),
                        clock.NowSeconds(), &result);
  }
  if (fd >= 0) close(fd);
  if (!s.ok()) return Fail(context, s.message());
  std::ostream& out = *context.out;
  out << "Restored " << AbsolutePath(file) << " (" << Counts(result.backup)
      << ") to " << AbsolutePath(DatabasePath(config.data_dir)) << ".\n";
  if (!result.kept_path.empty()) {
    out << "The database it replaced is kept at "
        << AbsolutePath(result.kept_path) << ".\n";
  }
  out << "Clients holding a feed cursor newer than the backup get 409 "
         "cursor_invalid and read the feed again.\n";
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
