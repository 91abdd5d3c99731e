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
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/records.h"

namespace telemed {

class Clock;
class RandomSource;

class Store {
 public:
  struct Options {
    // Path of the database file; created (0600) when missing.
    std::string path;
    // Borrowed; must outlive the Store. Stamps created/updated/used times.
    const Clock* clock = nullptr;
    // How long one statement waits for another process's lock, in ms.
    int busy_timeout_ms = 10000;
  };

  // Opens (creating or migrating) the database. Fails with a clear message
  // when the file is from a newer version, not a database, or unreadable.
  static Status Open(const Options& options, std::unique_ptr<Store>* out);
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

  // --- Appointments ------------------------------------------------------
  // Idempotent replace of the clinic's view. An equal request changes
  // nothing (kUnchanged, same revision). Unknown doctor_id ->
  // Validation("unknown_doctor", field "doctor_id"), nothing stored.
  // *stored receives the record after the call.
  virtual Status PutAppointment(const AppointmentRequest& request,
                                WriteOutcome* outcome,
                                Appointment* stored) = 0;
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
};

}  // namespace telemed

#endif  // TELEMED_STORE_STORE_H_
