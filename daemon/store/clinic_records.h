// ClinicRecords: the store's role for what the clinic owns, doctors and
// appointments, and the change feed that hands appointments back to it.
//
// The change feed: every visible change of an appointment gives it the next
// change_seq (a database-wide counter), so listing by change_seq visits each
// appointment once, at its latest change, oldest first.
//
// Every write is one transaction that returns OK only once committed (see
// store/store.h). Thread-safety: all methods may be called from any thread
// at once.
#ifndef TELEMED_STORE_CLINIC_RECORDS_H_
#define TELEMED_STORE_CLINIC_RECORDS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/records.h"

namespace telemed {

// Which appointments ClinicRecords::ListAppointments lists: newest first by
// start time (ties by id, descending), one page at a time.
struct AppointmentQuery {
  // Only appointments in `status` when has_status; all otherwise.
  bool has_status = false;
  SyncStatus status = SyncStatus::kPending;
  // When not empty, only appointments whose id or doctor_id contains it
  // (bytes, case-sensitive; no wildcards).
  std::string search;
  // Keyset paging: when has_after, only appointments that come after
  // (after_start, after_id) in the list's order, i.e. the last row of the
  // previous page. A row changed meanwhile is neither repeated nor skipped
  // unless its start time moved across the page boundary.
  bool has_after = false;
  int64_t after_start = 0;
  std::string after_id;
  int limit = 50;  // >= 1
};

class ClinicRecords {
 public:
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
  // Up to query.limit appointments of `query`, in its order; *more is true
  // when more follow (ask again with has_after set from the last one).
  // Served by an index on (start_time, id) and one on (sync_status,
  // start_time, id): a page costs about the same with 10,000 appointments
  // as with 10, unless `search` matches few of them.
  // InvalidArgument("invalid_limit") for limit < 1.
  virtual Status ListAppointments(const AppointmentQuery& query,
                                  std::vector<Appointment>* out,
                                  bool* more) = 0;

  // --- The change feed ---------------------------------------------------
  // Up to `limit` appointments whose change_seq > after, ordered by
  // change_seq. *next_cursor is the change_seq of the last one returned, or
  // `after` when none.
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

 protected:
  // A role is borrowed, never deleted through (the Store owns).
  ~ClinicRecords() = default;
};

}  // namespace telemed

#endif  // TELEMED_STORE_CLINIC_RECORDS_H_
