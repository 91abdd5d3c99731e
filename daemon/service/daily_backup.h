// DailyBackup: the daemon's automatic backups, one a day into
// DATA_DIR/backups/, the newest `keep` kept; and the listing of that folder
// that `backup --list` and `status` print.
//
// A backup is due when the folder holds none written in the last 24 hours
// (by the names' time stamps), so a restart neither skips a day nor adds an
// extra one. Files are named telemed-bridge-YYYYMMDDTHHMMSSZ.db (UTC), so
// their names sort by age; other files in the folder are left alone.
#ifndef TELEMED_SERVICE_DAILY_BACKUP_H_
#define TELEMED_SERVICE_DAILY_BACKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {

class Backups;
class Clock;
class Logger;

// One automatic backup in the folder.
struct BackupFile {
  std::string path;        // DIR/telemed-bridge-....db
  int64_t written_at = 0;  // from the name, unix seconds
  int64_t size = 0;        // bytes
};

// "<data_dir>/backups".
std::string BackupsDir(const std::string& data_dir);

// The automatic backups in `dir`, oldest first. A missing folder has none
// (OK); IoError / PermissionDenied naming the folder otherwise.
Status ListBackups(const std::string& dir, std::vector<BackupFile>* out);

class DailyBackup final {
 public:
  struct Options {
    // Borrowed; each must outlive the DailyBackup.
    Backups* store = nullptr;
    const Clock* clock = nullptr;
    Logger* logger = nullptr;
    // Where the backups go; created 0700 when missing.
    std::string dir;
    // How many to keep, >= 1 (Config::backup_keep; 0, "off", means no
    // DailyBackup is made at all).
    int keep = 7;
  };

  explicit DailyBackup(const Options& options) : options_(options) {}

  // Removes what a backup cut short by a kill left in the folder, writes a
  // backup when one is due, then deletes the oldest beyond `keep`.
  // Failures are logged as errors (and returned): the next Tick tries again.
  Status Tick();

 private:
  Status WriteIfDue(std::vector<BackupFile>* files);
  void Prune(const std::vector<BackupFile>& files);

  const Options options_;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_DAILY_BACKUP_H_
