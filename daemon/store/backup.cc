// Backups: StoreImpl::WriteBackup and the file-level checks and swap of a
// restore. See store/backup.h for the contracts.
#include "store/backup.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/time_format.h"
#include "store/migrations.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

// The schema version whose migration added store.database_id.
constexpr int kDatabaseIdSchema = 5;

Status PathError(const char* reason, const std::string& what, int err) {
  if (err == EACCES || err == EPERM) {
    return Status::PermissionDenied(reason, what + ": " + strerror(err));
  }
  return Status::IoError(reason, what + ": " + strerror(err));
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status SyncPath(const std::string& path, bool directory) {
  int fd =
      open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PathError("backup_io", "open " + path, errno);
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  return rc == 0 ? Status::OK() : PathError("backup_io", "fsync " + path, err);
}

// A temporary file (0600) beside `path`; *temp receives its name.
Status MakeTemp(const std::string& path, const char* tag, std::string* temp) {
  *temp = path + tag + "-XXXXXX";
  int fd = mkstemp(&(*temp)[0]);
  if (fd < 0) return PathError("backup_io", "create " + *temp, errno);
  close(fd);
  return Status::OK();
}

// Copies the pages `source` sees (one read snapshot) into the empty file
// `temp`, which then stands alone: rollback journal mode, no WAL.
Status CopyPages(SqliteDb* source, const std::string& temp) {
  SqliteDb dest;
  Status s = SqliteDb::Open(temp, 10000, &dest, /*create_if_missing=*/false);
  if (!s.ok()) return s;
  sqlite3_backup* backup =
      sqlite3_backup_init(dest.get(), "main", source->get(), "main");
  if (backup == nullptr) {
    return SqliteStatus(sqlite3_errcode(dest.get()), dest.get(),
                        "start the backup");
  }
  // -1: every page in one step, so in one read transaction of the source.
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return SqliteStatus(rc, dest.get(), "copy the database");
  }
  return dest.Exec("PRAGMA journal_mode = DELETE", "set the journal mode");
}

// "2026-12-03T08:15:00Z" -> "20261203T081500Z", for file names.
std::string CompactTime(int64_t unix_seconds) {
  std::string text;
  for (char c : FormatRfc3339Utc(unix_seconds)) {
    if (c != '-' && c != ':') text += c;
  }
  return text;
}

Status QueryInt(SqliteDb* db, const char* sql, int64_t* value) {
  SqliteStmt stmt;
  Status s = SqliteStmt::Prepare(db->get(), sql, &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (s.ok()) *value = has_row ? stmt.ColumnInt64(0) : 0;
  return s;
}

Status CheckIntegrity(SqliteDb* db, const std::string& path) {
  SqliteStmt stmt;
  Status s = SqliteStmt::Prepare(db->get(), "PRAGMA integrity_check", &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (s.ok() && has_row && stmt.ColumnText(0) == "ok") return s;
  std::string why = s.ok() ? stmt.ColumnText(0) : s.message();
  return Status::Corruption("backup_corrupt", "backup " + path +
                                                  " failed SQLite's integrity "
                                                  "check: " +
                                                  why);
}

// The tables every version of the bridge's schema has.
Status CheckBridgeSchema(SqliteDb* db, const std::string& path, int version) {
  int64_t tables = 0;
  Status s = QueryInt(db,
                      "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                      " AND name IN ('doctors', 'appointments', 'change_feed',"
                      " 'api_keys')",
                      &tables);
  if (!s.ok()) return s;
  if (version > 0 && tables == 4) return Status::OK();
  return Status::Corruption(
      "not_a_database",
      "backup " + path +
          " is an SQLite file but not a telemed-bridge database");
}

Status CheckVersion(const std::string& path, int version) {
  if (version <= LatestSchemaVersion()) return Status::OK();
  return Status::Conflict(
      "schema_too_new",
      "backup " + path + " has schema version " + std::to_string(version) +
          ", newer than this build's " + std::to_string(LatestSchemaVersion()) +
          ": restore it with the newer telemed-bridge that wrote it");
}

Status Summarize(SqliteDb* db, BackupSummary* out) {
  int64_t last = 0;
  Status s =
      QueryInt(db, "SELECT last_seq FROM change_feed WHERE id = 1", &last);
  out->last_change = static_cast<uint64_t>(last);
  if (s.ok()) {
    s = QueryInt(db, "SELECT count(*) FROM appointments", &out->appointments);
  }
  if (s.ok()) s = QueryInt(db, "SELECT count(*) FROM doctors", &out->doctors);
  return s;
}

// Copies what `in` reads (from its current offset) into the file `to`.
Status CopyFile(int in, const std::string& from, const std::string& to) {
  int out = open(to.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (out < 0) return PathError("backup_io", "open " + to, errno);
  Status s;
  char buffer[1 << 16];
  while (s.ok()) {
    ssize_t n = read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = PathError("backup_io", "read " + from, errno);
    if (n <= 0) break;
    if (write(out, buffer, n) != n) {
      s = PathError("backup_io", "write " + to, errno);
    }
  }
  if (s.ok() && fsync(out) != 0) {
    s = PathError("backup_io", "fsync " + to, errno);
  }
  close(out);
  return s;
}

// Gives the restored copy a new identity for the change feed's cursors, so
// every client reads the feed again: a cursor only checked for being ahead
// of the copy would let a client that was away skip the changes the copy
// hands out again under numbers it already saw. A copy from before the
// setting existed gets one from its migration.
Status RenewDatabaseId(const std::string& path) {
  SqliteDb db;
  Status s = SqliteDb::Open(path, 10000, &db, /*create_if_missing=*/false);
  if (s.ok()) {
    s = db.Exec(
        "UPDATE settings SET value = lower(hex(randomblob(16)))"
        " WHERE name = 'store.database_id'",
        "renew the database id");
  }
  return s;
}

// Moves the database at `db_path` (if any) with its WAL to `kept`. A
// hard link first, so `db_path` always names a whole database.
Status KeepOldDatabase(const std::string& db_path, const std::string& kept,
                       bool* had_one) {
  *had_one = link(db_path.c_str(), kept.c_str()) == 0;
  if (!*had_one && errno != ENOENT) {
    return PathError("backup_io", "link " + db_path + " to " + kept, errno);
  }
  if (rename((db_path + "-wal").c_str(), (kept + "-wal").c_str()) != 0 &&
      errno != ENOENT) {
    return PathError("backup_io", "move " + db_path + "-wal", errno);
  }
  // Its index is rebuilt from the WAL by whoever opens the kept file.
  unlink((db_path + "-shm").c_str());
  return Status::OK();
}

// Checks the file at `path`; messages name it `shown` (the user's file, of
// which `path` may be a copy).
Status CheckDatabaseFile(const std::string& path, const std::string& shown,
                         BackupSummary* out) {
  SqliteDb db;
  Status s = SqliteDb::Open(path, 10000, &db, /*create_if_missing=*/false);
  if (s.IsNotFound()) {
    return Status::NotFound("no_backup", "no backup file " + shown);
  }
  int version = 0;
  if (s.ok()) s = ReadUserVersion(&db, shown, &version);
  if (s.ok()) s = CheckIntegrity(&db, shown);
  if (s.ok()) s = CheckBridgeSchema(&db, shown, version);
  if (s.ok()) s = CheckVersion(shown, version);
  if (s.ok()) s = Summarize(&db, out);
  out->schema_version = version;
  if (s.ok() || s.code() == Status::Code::kCorruption || s.IsNotFound() ||
      s.code() == Status::Code::kConflict) {
    return s;
  }
  return s.WithContext("check backup " + shown);
}

}  // namespace

Status StoreImpl::WriteBackup(const std::string& path) {
  if (access(path.c_str(), F_OK) == 0) {
    return Status::AlreadyExists(
        "backup_exists", path + " exists: remove it or choose another name");
  }
  std::string temp;
  Status s = MakeTemp(path, ".tmp", &temp);
  if (!s.ok()) return s;
  s = Read([&](SqliteDb* db) { return CopyPages(db, temp); });
  if (s.ok()) s = SyncPath(temp, /*directory=*/false);
  if (s.ok() && renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(),
                          RENAME_NOREPLACE) != 0) {
    s = errno == EEXIST
            ? Status::AlreadyExists("backup_exists",
                                    path +
                                        " exists: remove it or choose "
                                        "another name")
            : PathError("backup_io", "rename " + temp + " to " + path, errno);
  }
  if (!s.ok()) unlink(temp.c_str());
  unlink((temp + "-journal").c_str());
  if (s.ok()) s = SyncPath(DirectoryOf(path), /*directory=*/true);
  return s.ok() ? s : s.WithContext("back up to " + path);
}

Status CheckBackupFile(const std::string& path, BackupSummary* out) {
  return CheckDatabaseFile(path, path, out);
}

Status OpenBackupFile(const std::string& path, int* fd) {
  *fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (*fd >= 0) return Status::OK();
  if (errno == ENOENT) {
    return Status::NotFound("no_backup", "no backup file " + path);
  }
  return PathError("backup_io", "open " + path, errno);
}

Status RestoreDatabase(int backup_fd, const std::string& backup_path,
                       const std::string& db_path, int64_t now,
                       RestoreResult* out) {
  std::string temp;
  Status s = MakeTemp(db_path, ".restore", &temp);
  if (!s.ok()) return s;
  s = CopyFile(backup_fd, backup_path, temp);
  // The copy is checked, not the original: SQLite may write beside it.
  if (s.ok()) s = CheckDatabaseFile(temp, backup_path, &out->backup);
  if (s.ok() && out->backup.schema_version >= kDatabaseIdSchema) {
    s = RenewDatabaseId(temp);
  }
  if (s.ok()) s = SyncPath(temp, /*directory=*/false);
  std::string kept = db_path + ".replaced-" + CompactTime(now);
  bool had_one = false;
  if (s.ok()) s = KeepOldDatabase(db_path, kept, &had_one);
  if (s.ok() && rename(temp.c_str(), db_path.c_str()) != 0) {
    s = PathError("backup_io", "rename " + temp + " to " + db_path, errno);
  }
  if (!s.ok()) unlink(temp.c_str());
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    unlink((temp + suffix).c_str());
  }
  if (s.ok()) s = SyncPath(DirectoryOf(db_path), /*directory=*/true);
  out->kept_path = had_one ? kept : "";
  return s;
}

}  // namespace telemed
