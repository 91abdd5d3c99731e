#include "store/store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "base/clock.h"
#include "store/migrations.h"
#include "store/rows.h"
#include "store/store_impl.h"

namespace telemed {

namespace {

constexpr mode_t kFileMode = 0600;

Status CheckDoctorExists(SqliteDb* db, const std::string& doctor_id) {
  SqliteStmt stmt;
  Status s = db->Prepare("SELECT 1 FROM doctors WHERE id = ?", &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, doctor_id);
  bool found = false;
  s = stmt.Step(&found);
  if (s.ok() && !found) {
    return Status::Validation("unknown_doctor", "no doctor " + doctor_id,
                              "doctor_id");
  }
  return s;
}

// A clinic change sends the appointment back to "pending": its meeting (if
// any) no longer matches. Meeting and error stay for the sync engine, which
// is owed a look now (needs work, due at once, a fresh backoff).
Status UpsertAppointment(SqliteDb* db, const AppointmentRequest& request,
                         int64_t now, uint64_t seq) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO appointments (id, doctor_id, start_time, duration_minutes,"
      " timezone, topic, cancelled, sync_status, revision, updated_at,"
      " change_seq, zoom_action_pending, next_attempt_at, attempts)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 1, ?8, ?9, 1, 0, 0)"
      " ON CONFLICT (id) DO UPDATE SET doctor_id = excluded.doctor_id,"
      " start_time = excluded.start_time,"
      " duration_minutes = excluded.duration_minutes,"
      " timezone = excluded.timezone, topic = excluded.topic,"
      " cancelled = excluded.cancelled, sync_status = 'pending',"
      " revision = revision + 1, updated_at = excluded.updated_at,"
      " change_seq = excluded.change_seq, " TELEMED_REQUEUE_SET,
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, request.id);
  stmt.BindText(2, request.doctor_id);
  stmt.BindInt64(3, request.start_time);
  stmt.BindInt64(4, request.duration_minutes);
  stmt.BindText(5, request.timezone);
  stmt.BindText(6, request.topic);
  stmt.BindInt64(7, request.cancelled ? 1 : 0);
  stmt.BindInt64(8, now);
  stmt.BindInt64(9, static_cast<int64_t>(seq));
  return stmt.Run();
}

// Stores `request` unless it equals what is stored; *commit says whether
// anything was written.
Status ApplyRequest(SqliteDb* db, const AppointmentRequest& request,
                    int64_t now, WriteOutcome* outcome, Appointment* stored,
                    bool* commit) {
  Appointment old;
  bool found = false;
  Status s = LoadAppointment(db, request.id, &old, &found);
  if (!s.ok()) return s;
  if (found && old.request == request) {
    *outcome = WriteOutcome::kUnchanged;
    *stored = old;
    *commit = false;
    return s;
  }
  uint64_t seq = 0;
  s = CheckDoctorExists(db, request.doctor_id);
  if (s.ok()) s = NextChangeSeq(db, &seq);
  if (s.ok()) s = UpsertAppointment(db, request, now, seq);
  bool reread = false;
  if (s.ok()) s = LoadAppointment(db, request.id, stored, &reread);
  *outcome = found ? WriteOutcome::kReplaced : WriteOutcome::kCreated;
  return s;
}

bool SameDoctor(const Doctor& a, const Doctor& b) {
  return a.name == b.name && a.zoom_user == b.zoom_user && a.auth == b.auth;
}

Status UpsertDoctor(SqliteDb* db, const Doctor& doctor, int64_t now) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "INSERT INTO doctors (id, name, zoom_user, auth, created_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (id) DO UPDATE SET"
      " name = excluded.name, zoom_user = excluded.zoom_user,"
      " auth = excluded.auth, updated_at = excluded.updated_at",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, doctor.id);
  stmt.BindText(2, doctor.name);
  stmt.BindText(3, doctor.zoom_user);
  stmt.BindText(4, AuthModeName(doctor.auth));
  stmt.BindInt64(5, now);
  return stmt.Run();
}

// A new host or auth mode may mean a meeting elsewhere, or none: every
// appointment that has not ended is owed a look. Ended ones are left alone,
// as Zoom no longer changes or deletes their meetings (code 3007).
Status RequeueDoctorAppointments(SqliteDb* db, const std::string& doctor_id,
                                 int64_t now) {
  SqliteStmt stmt;
  Status s = db->Prepare("UPDATE appointments SET " TELEMED_REQUEUE_SET
                         " WHERE doctor_id = ?"
                         " AND start_time + duration_minutes * 60 > ?",
                         &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, doctor_id);
  stmt.BindInt64(2, now);
  return stmt.Run();
}

Status ReadLatestChangeSeq(SqliteDb* db, uint64_t* seq) {
  SqliteStmt stmt;
  Status s =
      db->Prepare("SELECT last_seq FROM change_feed WHERE id = 1", &stmt);
  bool has_row = false;
  if (s.ok()) s = stmt.Step(&has_row);
  if (s.ok()) *seq = has_row ? static_cast<uint64_t>(stmt.ColumnInt64(0)) : 0;
  return s;
}

// The per-connection pragmas. query_only guards the read pool against a
// write slipping in without the write lock and BEGIN IMMEDIATE.
Status ConfigureConnection(SqliteDb* db, bool read_only) {
  // FULL syncs the WAL at every commit: OK means on disk, also after a
  // power cut (NORMAL may lose the last commits).
  Status s = db->Exec("PRAGMA synchronous = FULL", "set synchronous");
  if (s.ok()) s = db->Exec("PRAGMA foreign_keys = ON", "enable foreign keys");
  if (s.ok() && read_only) s = db->Exec("PRAGMA query_only = ON", "query_only");
  // Reads are point look-ups and feed pages, and the OS caches the file:
  // 512 KiB per read connection instead of SQLite's 2 MiB default keeps the
  // daemon small on an appliance.
  if (s.ok() && read_only) {
    s = db->Exec("PRAGMA cache_size = -512", "set the read cache size");
  }
  return s;
}

Status FileError(const char* reason, const std::string& what, int err) {
  return Status::IoError(reason, what + ": " + strerror(err));
}

// An existing file is opened only if it may be a database: an empty one is
// what a first start cut short left behind (older builds created the file
// before writing it), and initialising it would hide that the real database
// is lost or elsewhere.
Status CheckExistingFile(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) {
    return Status::Corruption("not_a_database",
                              "database " + path + " is not a regular file");
  }
  if (st.st_size > 0) return Status::OK();
  return Status::Corruption(
      "empty_database",
      "database " + path +
          " is empty (0 bytes), not a telemed-bridge database: a first start "
          "was probably cut short. Restore it from a backup, or move it away "
          "to start with a new, empty database");
}

Status SyncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty()) dir = "/";
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FileError("database_cant_create", "open " + dir, errno);
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  return rc == 0 ? Status::OK()
                 : FileError("database_cant_create", "fsync " + dir, err);
}

// Writes the schema into `temp` (0600, made by mkstemp) and syncs it.
Status BuildDatabase(const std::string& temp, int fd, const std::string& path,
                     int busy_timeout_ms) {
  {
    SqliteDb db;
    Status s = SqliteDb::Open(temp, busy_timeout_ms, &db,
                              /*create_if_missing=*/false);
    if (s.ok()) s = MigrateSchema(&db, path);
    if (!s.ok()) return s;
  }
  // After SQLite closed it: closing our descriptor first would drop
  // SQLite's POSIX locks on the file.
  if (fsync(fd) != 0) {
    return FileError("database_cant_create", "fsync " + temp, errno);
  }
  return Status::OK();
}

// Builds a new database under a temporary name, then renames it into place
// and syncs the directory: a power cut at any point leaves either no
// database (the next start builds one) or a whole one, never an empty file
// under the real name. When another process built one first, theirs stays.
Status CreateDatabase(const std::string& path, int busy_timeout_ms) {
  std::string temp = path + ".new-XXXXXX";
  int fd = mkstemp(&temp[0]);
  if (fd < 0) {
    return FileError("database_cant_create", "create " + path, errno);
  }
  Status s = BuildDatabase(temp, fd, path, busy_timeout_ms);
  close(fd);
  if (s.ok() && renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(),
                          RENAME_NOREPLACE) != 0) {
    if (errno != EEXIST) {
      s = FileError("database_cant_create", "rename " + temp + " to " + path,
                    errno);
    }
  }
  unlink(temp.c_str());  // fails harmlessly once renamed
  if (s.ok()) s = SyncDirectoryOf(path);
  return s;
}

// A WAL or rollback journal without its database means the database was
// deleted or moved, not that there never was one; SQLite would replay it
// into a new file of the same name and mix old pages into it.
Status CheckNoLeftovers(const std::string& path) {
  for (const char* suffix : {"-wal", "-journal"}) {
    struct stat st;
    std::string leftover = path + suffix;
    if (stat(leftover.c_str(), &st) != 0) continue;
    return Status::Corruption(
        "database_missing",
        "found " + leftover + " but no database " + path +
            ": the database was deleted or moved. Put it back (beside its " +
            suffix + " file), or move the " + suffix +
            " and -shm files away to start with a new, empty database");
  }
  return Status::OK();
}

// Makes sure a database file is at options.path; *created tells whether
// this call built it.
Status EnsureDatabase(const Store::Options& options, bool* created) {
  *created = false;
  Status s;
  struct stat st;
  if (stat(options.path.c_str(), &st) == 0) {
    return CheckExistingFile(options.path, st);
  }
  if (errno != ENOENT) {
    int err = errno;
    return err == EACCES
               ? Status::PermissionDenied(
                     "database_not_readable",
                     "open " + options.path + ": " + strerror(err))
               : FileError("database_cant_open", "open " + options.path, err);
  }
  if (!options.create_if_missing) {
    return Status::NotFound(Store::kNoDatabase,
                            "no database at " + options.path);
  }
  s = CheckNoLeftovers(options.path);
  if (!s.ok()) return s;
  *created = true;
  return CreateDatabase(options.path, options.busy_timeout_ms);
}

// A file that SQLite reads but that has no schema version was not made by
// the bridge (or was emptied by hand): refused, not initialised.
Status CheckIsBridgeDatabase(SqliteDb* db, const std::string& path) {
  int version = 0;
  Status s = ReadUserVersion(db, path, &version);
  if (!s.ok() || version != 0) return s;
  return Status::Corruption(
      "not_a_database",
      "database " + path +
          " is an SQLite file without a telemed-bridge schema: restore the "
          "bridge's database, or move this file away to start with a new "
          "one");
}

}  // namespace

int Store::CurrentSchemaVersion() { return LatestSchemaVersion(); }

Status Store::Open(const Options& options, std::unique_ptr<Store>* out) {
  if (options.clock == nullptr || options.path.empty()) {
    return Status::InvalidArgument("bad_store_options",
                                   "Store needs a path and a clock");
  }
  bool created = false;
  Status s = EnsureDatabase(options, &created);
  if (!s.ok()) return s;
  std::unique_ptr<StoreImpl> store(new StoreImpl(options));
  s = store->Init(created);
  if (s.ok()) *out = std::move(store);
  return s;
}

StoreImpl::StoreImpl(const Options& options) : options_(options) {
  MutexLock lock(&use_mu_);
  last_use_flush_ = options_.clock->NowSeconds();
}

StoreImpl::~StoreImpl() {
  // Nobody is left to report a failure to; the notes are only last-use
  // times, and the next start begins with fresh ones.
  FlushApiKeyUse();
}

Status StoreImpl::Init(bool created) {
  SqliteDb db;
  Status s = SqliteDb::Open(options_.path, options_.busy_timeout_ms, &db,
                            /*create_if_missing=*/false);
  if (s.ok() && !created) s = CheckIsBridgeDatabase(&db, options_.path);
  if (s.ok()) s = MigrateSchema(&db, options_.path);
  // WAL is a property of the file: set once here, kept by every process.
  if (s.ok()) s = db.Exec("PRAGMA journal_mode = WAL", "enable WAL");
  if (s.ok()) s = ConfigureConnection(&db, /*read_only=*/false);
  if (s.ok() && options_.background_checkpoints) {
    s = db.Exec("PRAGMA wal_autocheckpoint = 0", "turn off auto-checkpoints");
  }
  // After the first read in WAL mode, so that -wal and -shm exist.
  uint64_t seq = 0;
  if (s.ok()) s = ReadLatestChangeSeq(&db, &seq);
  if (s.ok()) s = RestrictFileModes();
  if (s.ok()) s = NoteFileIdentity();
  if (!s.ok()) return s;
  writer_ = std::make_unique<GroupCommitter>(std::move(db),
                                             [this] { return CheckFile(); });
  NoteChangeSeq(seq);
  return Status::OK();
}

Status StoreImpl::Checkpoint(int* wal_frames, int* checkpointed) {
  MutexLock lock(&checkpoint_mu_);
  if (checkpointer_.get() == nullptr) {
    Status s = OpenConnection(/*read_only=*/false, &checkpointer_);
    if (!s.ok()) return s;
  }
  int frames = 0, copied = 0;
  int rc =
      sqlite3_wal_checkpoint_v2(checkpointer_.get(), nullptr,
                                SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
  if (wal_frames != nullptr) *wal_frames = frames;
  if (checkpointed != nullptr) *checkpointed = copied;
  // BUSY means another checkpoint runs (a CLI closing): the next call
  // catches up.
  if (rc == SQLITE_BUSY) return Status::OK();
  return SqliteStatus(rc, checkpointer_.get(), "checkpoint the WAL");
}

void StoreImpl::ReleaseMemory() {
  std::vector<SqliteDb> closing;
  {
    MutexLock lock(&readers_mu_);
    while (idle_readers_.size() > kIdleReadersKept) {
      closing.push_back(std::move(idle_readers_.back()));
      idle_readers_.pop_back();
    }
    for (SqliteDb& db : idle_readers_) sqlite3_db_release_memory(db.get());
  }
  // `closing` closes its connections outside the lock, when it goes.
  if (writer_ != nullptr) writer_->ReleaseMemory();
  MutexLock lock(&checkpoint_mu_);
  if (checkpointer_.get() != nullptr) {
    sqlite3_db_release_memory(checkpointer_.get());
  }
}

Status StoreImpl::Write(const GroupCommitter::Body& body) {
  if (writer_ == nullptr) {
    return Status::Unavailable("store_not_open", "the store failed to open");
  }
  bool committed = false;
  Status s = writer_->Run(body, &committed);
  // After the commit and outside the store's locks: the listener may read.
  if (committed) NotifyWriteListener();
  return s;
}

Status StoreImpl::NoteFileIdentity() {
  struct stat st;
  if (stat(options_.path.c_str(), &st) != 0) {
    return FileError("database_cant_open", "stat " + options_.path, errno);
  }
  MutexLock lock(&file_mu_);
  file_dev_ = st.st_dev;
  file_ino_ = st.st_ino;
  return Status::OK();
}

Status StoreImpl::CheckFile() {
  MutexLock lock(&file_mu_);
  if (!file_lost_.ok()) return file_lost_;
  struct stat st;
  const char* what = nullptr;
  if (stat(options_.path.c_str(), &st) != 0) {
    // Only a file that is certainly gone counts; any other failure to look
    // proves nothing.
    if (errno != ENOENT) return Status::OK();
    what = " was deleted";
  } else if (st.st_dev != file_dev_ || st.st_ino != file_ino_) {
    what = " was replaced by another file";
  } else {
    return Status::OK();
  }
  file_lost_ = Status::Unavailable(
      "database_gone",
      "database " + options_.path + what +
          " while the bridge had it open: writes are refused, as they would "
          "reach no file a restart opens; put the database back (or move "
          "the new file away) and restart the bridge");
  return file_lost_;
}

Status StoreImpl::OpenConnection(bool read_only, SqliteDb* out) {
  SqliteDb db;
  Status s = SqliteDb::Open(options_.path, options_.busy_timeout_ms, &db,
                            /*create_if_missing=*/false);
  // The file is missing (Open's only NotFound): say whether it was deleted
  // under us rather than just that it is not there.
  if (s.IsNotFound()) {
    Status lost = CheckFile();
    if (!lost.ok()) return lost;
  }
  if (s.ok()) s = ConfigureConnection(&db, read_only);
  if (s.ok()) *out = std::move(db);
  return s;
}

// Also tightens files left by an older build or another umask. Modes of
// files we cannot change (another owner) are refused rather than ignored.
Status StoreImpl::RestrictFileModes() const {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::string file = options_.path + suffix;
    struct stat st;
    if (stat(file.c_str(), &st) != 0) continue;  // -shm may not exist
    if ((st.st_mode & 0777) == kFileMode) continue;
    if (chmod(file.c_str(), kFileMode) != 0) {
      return Status::PermissionDenied(
          "database_mode", "chmod 0600 " + file + ": " + strerror(errno));
    }
  }
  return Status::OK();
}

Status StoreImpl::PutDoctor(const Doctor& doctor, WriteOutcome* outcome) {
  int64_t now = options_.clock->NowSeconds();
  return Write([&](SqliteDb* db, bool* commit) {
    Doctor old;
    bool found = false;
    Status s = LoadDoctor(db, doctor.id, &old, &found);
    if (!s.ok()) return s;
    *commit = !found || !SameDoctor(old, doctor);
    if (!*commit) {
      *outcome = WriteOutcome::kUnchanged;
      return s;
    }
    *outcome = found ? WriteOutcome::kReplaced : WriteOutcome::kCreated;
    s = UpsertDoctor(db, doctor, now);
    bool moved =
        found && (old.zoom_user != doctor.zoom_user || old.auth != doctor.auth);
    if (s.ok() && moved) s = RequeueDoctorAppointments(db, doctor.id, now);
    return s;
  });
}

Status StoreImpl::GetDoctor(const std::string& id, Doctor* out) {
  return Read([&](SqliteDb* db) {
    bool found = false;
    Status s = LoadDoctor(db, id, out, &found);
    if (s.ok() && !found) {
      return Status::NotFound("doctor_not_found", "no doctor " + id);
    }
    return s;
  });
}

Status StoreImpl::ListDoctors(std::vector<Doctor>* out) {
  out->clear();
  return Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "SELECT id, name, zoom_user, auth, created_at, updated_at"
        " FROM doctors ORDER BY id",
        &stmt);
    if (!s.ok()) return s;
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      out->emplace_back();
      return ReadDoctor(row, &out->back());
    });
  });
}

Status StoreImpl::PutAppointment(const AppointmentRequest& request,
                                 WriteOutcome* outcome, Appointment* stored) {
  int64_t now = options_.clock->NowSeconds();
  Status s = Write([&](SqliteDb* db, bool* commit) {
    return ApplyRequest(db, request, now, outcome, stored, commit);
  });
  if (s.ok() && *outcome != WriteOutcome::kUnchanged) {
    NoteChangeSeq(stored->change_seq);
  }
  return s;
}

Status StoreImpl::CancelAppointment(const std::string& id,
                                    Appointment* stored) {
  int64_t now = options_.clock->NowSeconds();
  WriteOutcome outcome = WriteOutcome::kUnchanged;
  Status s = Write([&](SqliteDb* db, bool* commit) {
    Appointment old;
    bool found = false;
    Status ls = LoadAppointment(db, id, &old, &found);
    if (ls.ok() && !found) return AppointmentNotFound(id);
    if (!ls.ok()) return ls;
    old.request.cancelled = true;
    return ApplyRequest(db, old.request, now, &outcome, stored, commit);
  });
  if (s.ok() && outcome != WriteOutcome::kUnchanged) {
    NoteChangeSeq(stored->change_seq);
  }
  return s;
}

Status StoreImpl::GetAppointment(const std::string& id, Appointment* out) {
  return Read([&](SqliteDb* db) {
    bool found = false;
    Status s = LoadAppointment(db, id, out, &found);
    if (s.ok() && !found) return AppointmentNotFound(id);
    return s;
  });
}

Status StoreImpl::ListChanges(uint64_t after, int limit,
                              std::vector<Appointment>* out,
                              uint64_t* next_cursor) {
  out->clear();
  *next_cursor = after;
  if (limit < 1) {
    return Status::InvalidArgument("invalid_limit", "limit must be >= 1",
                                   "limit");
  }
  // change_seq is an SQLite INTEGER: a cursor beyond it matches nothing.
  constexpr uint64_t kMaxSeq = std::numeric_limits<int64_t>::max();
  int64_t bound = static_cast<int64_t>(std::min(after, kMaxSeq));
  Status s = Read([&](SqliteDb* db) {
    SqliteStmt stmt;
    Status ps = db->Prepare("SELECT " TELEMED_APPOINTMENT_COLUMNS
                            " FROM appointments"
                            " WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
                            &stmt);
    if (!ps.ok()) return ps;
    stmt.BindInt64(1, bound);
    stmt.BindInt64(2, limit);
    return stmt.ForEachRow([&](const SqliteStmt& row) {
      out->emplace_back();
      return ReadAppointment(row, &out->back());
    });
  });
  if (s.ok() && !out->empty()) *next_cursor = out->back().change_seq;
  return s;
}

uint64_t StoreImpl::LatestChangeSeq() {
  uint64_t seq = 0;
  Status s = Read([&](SqliteDb* db) { return ReadLatestChangeSeq(db, &seq); });
  // On a read failure the last value this process saw is still true.
  if (s.ok()) NoteChangeSeq(seq);
  MutexLock lock(&wait_mu_);
  return latest_seq_;
}

void StoreImpl::NoteChangeSeq(uint64_t seq) {
  MutexLock lock(&wait_mu_);
  if (seq <= latest_seq_) return;
  latest_seq_ = seq;
  wait_cv_.SignalAll();
}

bool StoreImpl::WaitForChangeAfter(uint64_t after,
                                   std::chrono::milliseconds timeout) {
  // Commits in this process signal wait_cv_; another process's commits are
  // only in the file, so re-read it about once a second.
  constexpr std::chrono::seconds kPollInterval(1);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    {
      MutexLock lock(&wait_mu_);
      auto poll_at =
          std::min(deadline, std::chrono::steady_clock::now() + kPollInterval);
      while (!waits_cancelled_ && latest_seq_ <= after &&
             wait_cv_.WaitUntil(poll_at)) {
      }
      if (waits_cancelled_) return false;
      if (latest_seq_ > after) return true;
    }
    if (LatestChangeSeq() > after) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
  }
}

void StoreImpl::SetWriteListener(std::function<void()> listener) {
  MutexLock lock(&listener_mu_);
  write_listener_ = std::move(listener);
}

void StoreImpl::NotifyWriteListener() {
  MutexLock lock(&listener_mu_);
  if (write_listener_) write_listener_();
}

void StoreImpl::CancelWaits() {
  MutexLock lock(&wait_mu_);
  waits_cancelled_ = true;
  wait_cv_.SignalAll();
}

Status StoreImpl::PurgeEnded(int retention_days, int* purged) {
  *purged = 0;
  if (retention_days < 0) {
    return Status::InvalidArgument("invalid_retention",
                                   "retention days must be >= 0");
  }
  int64_t cutoff =
      options_.clock->NowSeconds() - int64_t{retention_days} * 86400;
  return Write([&](SqliteDb* db, bool* commit) {
    SqliteStmt stmt;
    Status s = db->Prepare(
        "DELETE FROM appointments WHERE zoom_action_pending = 0"
        " AND start_time + duration_minutes * 60 < ?",
        &stmt);
    if (!s.ok()) return s;
    stmt.BindInt64(1, cutoff);
    s = stmt.Run();
    if (s.ok()) *purged = sqlite3_changes(db->get());
    *commit = *purged > 0;
    return s;
  });
}

namespace {

// What still ties a doctor to Zoom or to the clinic's schedule.
struct DoctorUse {
  int64_t open = 0;       // appointments neither cancelled nor ended
  int64_t zoom_work = 0;  // other appointments with a Zoom action pending
  int64_t deletions = 0;  // their meetings in the deletion queue
};

Status CountDoctorUse(SqliteDb* db, const std::string& id, int64_t now,
                      DoctorUse* use) {
  SqliteStmt stmt;
  Status s = db->Prepare(
      "SELECT"
      " (SELECT COUNT(*) FROM appointments WHERE doctor_id = ?1"
      "  AND cancelled = 0 AND start_time + duration_minutes * 60 > ?2),"
      " (SELECT COUNT(*) FROM appointments WHERE doctor_id = ?1"
      "  AND zoom_action_pending = 1 AND NOT (cancelled = 0"
      "  AND start_time + duration_minutes * 60 > ?2)),"
      " (SELECT COUNT(*) FROM zoom_deletions WHERE appointment_id IN"
      "  (SELECT id FROM appointments WHERE doctor_id = ?1))",
      &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, id);
  stmt.BindInt64(2, now);
  bool has_row = false;
  s = stmt.Step(&has_row);
  if (s.ok() && has_row) {
    *use = DoctorUse{stmt.ColumnInt64(0), stmt.ColumnInt64(1),
                     stmt.ColumnInt64(2)};
  }
  return s;
}

std::string Counted(int64_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

Status DoctorInUse(const std::string& id, const DoctorUse& use) {
  std::string parts;
  auto add = [&parts](int64_t count, const char* one, const char* many) {
    if (count == 0) return;
    parts += (parts.empty() ? "" : ", ") + Counted(count, one, many);
  };
  add(use.open, "appointment that is not cancelled or ended",
      "appointments that are not cancelled or ended");
  add(use.zoom_work, "appointment the bridge still has Zoom work for",
      "appointments the bridge still has Zoom work for");
  add(use.deletions, "Zoom meeting waiting to be deleted",
      "Zoom meetings waiting to be deleted");
  return Status::Conflict(
      "doctor_in_use",
      "doctor " + id + " still has " + parts +
          ": cancel its appointments and let the bridge finish with Zoom, "
          "then remove the doctor");
}

Status DeleteDoctorRows(SqliteDb* db, const std::string& id, int* count) {
  SqliteStmt stmt;
  // Appointments first: they reference the doctor (foreign key).
  Status s = db->Prepare("DELETE FROM appointments WHERE doctor_id = ?", &stmt);
  if (!s.ok()) return s;
  stmt.BindText(1, id);
  s = stmt.Run();
  if (!s.ok()) return s;
  *count = sqlite3_changes(db->get());
  SqliteStmt doctor;
  s = db->Prepare("DELETE FROM doctors WHERE id = ?", &doctor);
  if (!s.ok()) return s;
  doctor.BindText(1, id);
  return doctor.Run();
}

}  // namespace

Status StoreImpl::RemoveDoctor(const std::string& id, Doctor* removed,
                               int* appointments_removed) {
  const int64_t now = options_.clock->NowSeconds();
  int count = 0;
  Status s = Write([&](SqliteDb* db, bool* commit) {
    Doctor doctor;
    bool found = false;
    DoctorUse use;
    Status ws = LoadDoctor(db, id, &doctor, &found);
    if (ws.ok() && !found) {
      return Status::NotFound("doctor_not_found", "no doctor " + id);
    }
    if (ws.ok()) ws = CountDoctorUse(db, id, now, &use);
    if (ws.ok() && (use.open > 0 || use.zoom_work > 0 || use.deletions > 0)) {
      ws = DoctorInUse(id, use);
    }
    if (ws.ok()) ws = DeleteDoctorRows(db, id, &count);
    if (ws.ok()) *removed = doctor;
    *commit = ws.ok();
    return ws;
  });
  if (s.ok() && appointments_removed != nullptr) *appointments_removed = count;
  return s;
}

}  // namespace telemed
