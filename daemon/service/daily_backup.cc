#include "service/daily_backup.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/clock.h"
#include "base/log.h"
#include "base/time_format.h"
#include "store/backup.h"

namespace telemed {

namespace {

constexpr char kPrefix[] = "telemed-bridge-";
constexpr char kSuffix[] = ".db";
constexpr int64_t kDay = 24 * 3600;

// "telemed-bridge-20261203T081500Z.db" -> its time; false for other names.
bool ParseName(const std::string& name, int64_t* when) {
  const size_t prefix = sizeof kPrefix - 1, suffix = sizeof kSuffix - 1;
  if (name.size() != prefix + 16 + suffix || name.compare(0, prefix, kPrefix) ||
      name.compare(name.size() - suffix, suffix, kSuffix)) {
    return false;
  }
  const std::string t = name.substr(prefix, 16);  // YYYYMMDDTHHMMSSZ
  std::string rfc3339 = t.substr(0, 4) + "-" + t.substr(4, 2) + "-" +
                        t.substr(6, 2) + "T" + t.substr(9, 2) + ":" +
                        t.substr(11, 2) + ":" + t.substr(13, 2) + "Z";
  return t[8] == 'T' && t[15] == 'Z' && ParseRfc3339(rfc3339, when).ok();
}

// A temporary file of a backup this folder's writer did not finish (the
// daemon was killed during one): "telemed-bridge-<stamp>.db.tmp-XXXXXX".
bool IsLeftover(const std::string& name) {
  const size_t stamp_end = sizeof kPrefix - 1 + 16;
  const std::string tail = std::string(kSuffix) + ".tmp-";
  int64_t when = 0;
  return name.size() > stamp_end + tail.size() &&
         name.compare(stamp_end, tail.size(), tail) == 0 &&
         ParseName(name.substr(0, stamp_end + sizeof kSuffix - 1), &when);
}

std::string NameFor(int64_t when) {
  std::string stamp;
  for (char c : FormatRfc3339Utc(when)) {
    if (c != '-' && c != ':') stamp += c;
  }
  return kPrefix + stamp + kSuffix;
}

Status DirError(const std::string& what, int err) {
  std::string message = what + ": " + strerror(err);
  return err == EACCES ? Status::PermissionDenied("backup_dir", message)
                       : Status::IoError("backup_dir", message);
}

// Owns an open directory stream; closes it on every path out.
struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

}  // namespace

std::string BackupsDir(const std::string& data_dir) {
  return data_dir + "/backups";
}

Status ListBackups(const std::string& dir, std::vector<BackupFile>* out) {
  out->clear();
  DirHandle handle(opendir(dir.c_str()));
  if (handle == nullptr) {
    return errno == ENOENT ? Status::OK() : DirError("open " + dir, errno);
  }
  while (dirent* entry = readdir(handle.get())) {
    BackupFile file;
    struct stat st;
    file.path = dir + "/" + entry->d_name;
    if (!ParseName(entry->d_name, &file.written_at) ||
        stat(file.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      continue;
    }
    file.size = st.st_size;
    out->push_back(file);
  }
  std::sort(out->begin(), out->end(),
            [](const BackupFile& a, const BackupFile& b) {
              return a.written_at < b.written_at;
            });
  return Status::OK();
}

// Only the daemon writes these names, one backup at a time, and one daemon
// serves a data dir: any such file present before a backup is abandoned.
void RemoveLeftovers(const std::string& dir) {
  DirHandle handle(opendir(dir.c_str()));
  if (handle == nullptr) return;
  while (dirent* entry = readdir(handle.get())) {
    if (IsLeftover(entry->d_name)) unlink((dir + "/" + entry->d_name).c_str());
  }
}

Status DailyBackup::Tick() {
  RemoveLeftovers(options_.dir);
  std::vector<BackupFile> files;
  Status s = ListBackups(options_.dir, &files);
  if (s.ok()) s = WriteIfDue(&files);
  if (!s.ok()) {
    options_.logger->Error("daily backup failed: %s", s.message().c_str());
    return s;
  }
  Prune(files);
  return s;
}

Status DailyBackup::WriteIfDue(std::vector<BackupFile>* files) {
  int64_t now = options_.clock->NowSeconds();
  // A newest backup "in the future" (the clock was set back) counts as
  // recent: one day late beats one backup per tick.
  if (!files->empty() && now - files->back().written_at < kDay) {
    return Status::OK();
  }
  if (mkdir(options_.dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return DirError("create " + options_.dir, errno);
  }
  BackupFile file;
  file.path = options_.dir + "/" + NameFor(now);
  file.written_at = now;
  Status s = options_.store->WriteBackup(file.path);
  if (!s.ok()) return s;
  options_.logger->Info("daily backup written to %s", file.path.c_str());
  files->push_back(file);
  return s;
}

void DailyBackup::Prune(const std::vector<BackupFile>& files) {
  size_t keep = static_cast<size_t>(std::max(options_.keep, 1));
  for (size_t i = 0; i + keep < files.size(); ++i) {
    if (unlink(files[i].path.c_str()) != 0) {
      options_.logger->Warning("could not delete old backup %s: %s",
                               files[i].path.c_str(), strerror(errno));
    }
  }
}

}  // namespace telemed
