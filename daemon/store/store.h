// Store: the bridge's one SQLite database (doctors, appointments and their
// sync state, API keys, the change feed).
//
// Durability: WAL with synchronous=FULL; a method that returns OK has
// committed, so the caller may acknowledge. Every write is one transaction
// (BEGIN IMMEDIATE), so a crash leaves the old or the new record, never half.
// The schema is created and upgraded by numbered migrations tracked in
// PRAGMA user_version; a database from a newer version is refused at Open.
// Several processes may open the same file (the daemon and the CLI); SQLite's
// busy timeout absorbs their contention, and no caller ever sees
// "database is locked".
//
// The change feed: every visible change of an appointment gives it the next
// change_seq (a database-wide counter), so listing by change_seq visits each
// appointment once, at its latest change, oldest first.
//
// Thread-safety: all methods may be called from any thread at once.
#ifndef TELEMED_STORE_STORE_H_
#define TELEMED_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/records.h"
#include "store/sync_records.h"

namespace telemed {

class Clock;
class RandomSource;

// One optimistic write of an appointment's sync state (see
// Store::CommitSyncTask): plain data, computed by the caller outside any
// transaction.
struct SyncTaskWrite {
  // The task as the caller read it (ListDueSyncTasks, GetSyncTask, or the
  // *current of an earlier commit); its appointment id names the row.
  SyncTask read;
  // `read` with the new sync state (and queue_deletions, count_write_*).
  SyncTask next;
};

// What Store::CommitSyncTask did with one write.
enum class SyncWriteResult {
  kStored,   // next is stored (or equalled what was stored)
  kChanged,  // the task changed since `read`: nothing stored
  kGone,     // the appointment no longer exists: nothing stored
};

class Store {
 public:
  struct Options {
    // Path of the database file.
    std::string path;
    // What a missing file means: true builds a new database (0600) under a
    // temporary name and renames it into place, so no crash can leave an
    // empty file behind; false refuses with NotFound("no_database"). An
    // existing file is never initialised: an empty one, one that is not an
    // SQLite database, or one without the bridge's schema is refused.
    bool create_if_missing = true;
    // Borrowed; must outlive the Store. Stamps created/updated/used times.
    const Clock* clock = nullptr;
    // How long one statement waits for another process's lock, in ms.
    int busy_timeout_ms = 10000;
    // When true, commits never run a WAL checkpoint themselves (SQLite's
    // auto-checkpoint stalls the commit that triggers it for tens of ms):
    // the owner calls Checkpoint() periodically instead. The daemon does;
    // short-lived CLI processes keep SQLite's default.
    bool background_checkpoints = false;
  };

  // Opens (creating or migrating) the database. Fails with a clear message
  // naming the file when it is from a newer version, not a database, empty,
  // missing (see Options::create_if_missing) or unreadable.
  static Status Open(const Options& options, std::unique_ptr<Store>* out);
  // The reason of Open's error for a missing file (create_if_missing false).
  static constexpr char kNoDatabase[] = "no_database";
  virtual ~Store() = default;

  // The schema version this build writes (PRAGMA user_version).
  static int CurrentSchemaVersion();

  // --- Doctors -----------------------------------------------------------
  // Creates or fully replaces doctor.id. created_at/updated_at are set by the
  // store. *outcome tells what happened. REQUIRES: doctor already validated.
  virtual Status PutDoctor(const Doctor& doctor, WriteOutcome* outcome) = 0;
  // NotFound("doctor_not_found") when unknown.
  virtual Status GetDoctor(const std::string& id, Doctor* out) = 0;
  // All doctors, ordered by id.
  virtual Status ListDoctors(std::vector<Doctor>* out) = 0;
  // Removes doctor `id` together with its remaining appointments, which
  // must all be cancelled or ended with nothing owed to Zoom, in one
  // transaction (they leave the feed silently, as purged ones do).
  // *removed gets the doctor as it was, *appointments_removed (may be null)
  // how many appointments went. NotFound("doctor_not_found");
  // Conflict("doctor_in_use") while the doctor has an appointment that is
  // neither cancelled nor ended, one with a Zoom action pending, or a
  // meeting in the deletion queue (the message gives the counts).
  virtual Status RemoveDoctor(const std::string& id, Doctor* removed,
                              int* appointments_removed) = 0;

  // --- Appointments ------------------------------------------------------
  // Idempotent replace of the clinic's view. An equal request changes
  // nothing (kUnchanged, same revision). Unknown doctor_id ->
  // Validation("unknown_doctor", field "doctor_id"), nothing stored.
  // *stored receives the record after the call.
  virtual Status PutAppointment(const AppointmentRequest& request,
                                WriteOutcome* outcome, Appointment* stored) = 0;
  // Marks an appointment cancelled (no-op if it already is).
  // NotFound("appointment_not_found") when unknown.
  virtual Status CancelAppointment(const std::string& id,
                                   Appointment* stored) = 0;
  // NotFound("appointment_not_found") when unknown.
  virtual Status GetAppointment(const std::string& id, Appointment* out) = 0;

  // The change feed: up to `limit` appointments whose change_seq > after,
  // ordered by change_seq. *next_cursor is the change_seq of the last one
  // returned, or `after` when none.
  virtual Status ListChanges(uint64_t after, int limit,
                             std::vector<Appointment>* out,
                             uint64_t* next_cursor) = 0;
  // The highest change_seq committed so far (0 for none).
  virtual uint64_t LatestChangeSeq() = 0;
  // Blocks until LatestChangeSeq() > after (returns true), `timeout` passes
  // (false), or CancelWaits() was called (false). Sees the writes of this
  // process at once; another process's writes within about a second.
  virtual bool WaitForChangeAfter(uint64_t after,
                                  std::chrono::milliseconds timeout) = 0;
  // Wakes every waiter and makes later waits return at once (shutdown).
  virtual void CancelWaits() = 0;
  // `listener` runs after every write this process commits (any table), on
  // the writing thread, outside the store's locks; it must be quick (the
  // sync runner's wake-up). Replaces any earlier listener; empty clears.
  virtual void SetWriteListener(std::function<void()> listener) = 0;

  // Deletes appointments that ended (start + duration) before
  // now - retention_days, except those with a Zoom action still pending.
  // *purged receives how many went.
  virtual Status PurgeEnded(int retention_days, int* purged) = 0;

  // --- API keys ----------------------------------------------------------
  // Creates a key for `name` (1..64 chars of [A-Za-z0-9._-]); the key text
  // ("tbk_" + base64url of 32 random bytes) goes to *key_out and only its
  // SHA-256 is stored. AlreadyExists("api_key_exists") when an active key
  // has this name.
  virtual Status CreateApiKey(const std::string& name, RandomSource* random,
                              std::string* key_out) = 0;
  // Every key, active and revoked, ordered by name then creation.
  virtual Status ListApiKeys(std::vector<ApiKeyInfo>* out) = 0;
  // Revokes the active key `name` at once, for every process.
  // NotFound("api_key_not_found") when no active key has that name.
  virtual Status RevokeApiKey(const std::string& name) = 0;
  // Checks a presented key against the active keys (never cached, so a
  // revocation by another process holds for the next request).
  // Unauthenticated("invalid_api_key") otherwise. On success *name_out is the
  // key's name and its last use is noted in memory; notes reach the
  // database at most once a minute and on FlushApiKeyUse().
  virtual Status AuthenticateApiKey(const std::string& key,
                                    std::string* name_out) = 0;
  // Writes pending last-use notes now (called on shutdown).
  virtual Status FlushApiKeyUse() = 0;
  // Copies committed WAL frames into the database file without blocking
  // readers or writers (a PASSIVE checkpoint, on its own connection).
  // *wal_frames and *checkpointed (may be null) receive SQLite's counts.
  virtual Status Checkpoint(int* wal_frames, int* checkpointed) = 0;
  // Unavailable("database_gone") once the file at Options::path is no
  // longer the one this store opened (deleted, or replaced by another
  // file): writes would then reach a file no restart opens. Once it failed
  // it keeps failing, and so does every later write (checked before each
  // COMMIT), so nothing is acknowledged that is not on disk.
  virtual Status CheckFile() = 0;
  // Gives back memory that a burst left in SQLite's caches: closes idle
  // read connections but a few and empties the page caches of the rest.
  // The next reads warm them again (the OS still caches the file).
  virtual void ReleaseMemory() = 0;

  // --- Zoom sync state (docs/sync.md) ------------------------------------
  // A clinic change to an appointment (put, cancel) sets its needs_work and
  // next_attempt_at = 0; a doctor change does the same for every appointment
  // of that doctor that has not ended.

  // Appointments with needs_work and next_attempt_at <= now, earliest due
  // first, at most `limit`, skipping ids in `exclude` (those in flight).
  virtual Status ListDueSyncTasks(int64_t now, int limit,
                                  const std::vector<std::string>& exclude,
                                  std::vector<SyncTask>* out) = 0;
  // The earliest next_attempt_at among appointments with needs_work and
  // among queued deletions; *has_any false when there is none.
  virtual Status NextSyncDeadline(int64_t* when, bool* has_any) = 0;
  // NotFound("appointment_not_found") when unknown.
  virtual Status GetSyncTask(const std::string& id, SyncTask* out) = 0;
  // Stores write.next's sync_status, meeting, error and zoom (never the
  // clinic's fields), plus next.queue_deletions and next's write count,
  // in one transaction, but only while the stored task still equals
  // write.read (the clinic's fields, the doctor, the sync state): a clinic
  // change, a doctor change or a requeue made since the read is never
  // overwritten; the caller computes again from the fresh task (*current).
  // revision, updated_at and the feed move only when sync_status, meeting
  // or error.code changed. *current (may be null) receives the task as
  // stored after the call (kStored, kChanged).
  virtual Status CommitSyncTask(const SyncTaskWrite& write,
                                SyncWriteResult* result, SyncTask* current) = 0;
  // CommitSyncTask for many appointments in one transaction (one commit,
  // one disk sync, where the engine settles many tasks alike):
  // (*results)[i] tells what became of writes[i]. The returned status is
  // the transaction's; when it is not OK nothing of the batch was stored.
  virtual Status CommitSyncTasks(const std::vector<SyncTaskWrite>& writes,
                                 std::vector<SyncWriteResult>* results) = 0;
  // Makes the appointment due now (needs_work, attempts 0) and its meeting
  // due a read-back from Zoom (checked_at 0): POST .../retry.
  virtual Status RequeueAppointment(const std::string& id) = 0;
  // Makes every failed appointment due now (credentials or scopes changed).
  // *count receives how many.
  virtual Status RequeueFailed(int* count) = 0;

  // The deletion queue: due entries (earliest first, at most `limit`,
  // skipping meeting ids in `exclude`); completion removes the entry;
  // rescheduling stores attempts, next_attempt_at and last_error.
  virtual Status ListDueDeletions(int64_t now, int limit,
                                  const std::vector<std::string>& exclude,
                                  std::vector<PendingDeletion>* out) = 0;
  virtual Status CompleteDeletion(const std::string& meeting_id) = 0;
  virtual Status RescheduleDeletion(const PendingDeletion& deletion) = 0;
  // Appointments whose sync_status is pending / failed, and queued
  // deletions (for GET /api/v1/status).
  virtual Status CountSyncQueue(int* pending, int* failed, int* deletions) = 0;

  // Create+update calls made to Zoom per host and UTC day (day = unix
  // seconds / 86400). AddZoomWrite adds one and returns the new count.
  virtual Status AddZoomWrite(const std::string& host, int64_t utc_day,
                              int* count) = 0;
  virtual Status GetZoomWrites(const std::string& host, int64_t utc_day,
                               int* count) = 0;

  // The id migration 5 gave this database: 32 lower-case hex digits,
  // random, never changed (the settings row "store.database_id"). A copy
  // of the file has the same id. Corruption("bad_database_id") when the row
  // is missing or malformed.
  virtual Status GetDatabaseId(std::string* out) = 0;

  // Small named values (settings table): Zoom app ids, the sealed client
  // secret and token, the last `zoom test` verdict. Values are bytes.
  // GetSetting: *found false when absent.
  virtual Status GetSetting(const std::string& name, std::string* value,
                            bool* found) = 0;
  virtual Status PutSetting(const std::string& name,
                            const std::string& value) = 0;
  // Deletes every setting whose name starts with `prefix`.
  virtual Status DeleteSettings(const std::string& prefix) = 0;
  // Records `fingerprint` as the database's secret-key fingerprint if none
  // is recorded; Conflict("secret_key_mismatch") when another is, with a
  // message naming both fingerprints and `key_path`.
  virtual Status BindKeyFingerprint(const std::string& fingerprint,
                                    const std::string& key_path) = 0;
  // Forgets the recorded fingerprint, so that the next BindKeyFingerprint
  // records a new key. Only for after every sealed secret was deleted (a
  // lost key file: nothing sealed under it can be read again anyway).
  virtual Status UnbindKeyFingerprint() = 0;
  // A lease among processes (one token renewal in flight): takes `name` for
  // `owner` until `until` when it is free (expired at `now`) or already
  // owner's; *taken says whether it was. ReleaseLease frees it if owner's.
  virtual Status TryTakeLease(const std::string& name, const std::string& owner,
                              int64_t now, int64_t until, bool* taken) = 0;
  virtual Status ReleaseLease(const std::string& name,
                              const std::string& owner) = 0;
};

}  // namespace telemed

#endif  // TELEMED_STORE_STORE_H_
