// DoctorChecker: whether each doctor's Zoom user exists, for the Doctors
// screen's state column (OK / Zoom user not found / not connected). The
// daemon's periodic Zoom check (service/zoom_watch.h) covers every doctor
// but runs rarely; this looks up each doctor whose Zoom user it has not
// seen yet (a doctor just saved) with one GetUser call, so the row moves
// from "unchecked" within seconds.
//
// The verdicts live in memory: after a restart every doctor is looked up
// again. A lookup that gets no verdict (no app, Zoom not answering, a
// missing scope) leaves the doctor unchecked and is retried later.
#ifndef TELEMED_WEB_DOCTOR_CHECKER_H_
#define TELEMED_WEB_DOCTOR_CHECKER_H_

#include <cstdint>
#include <map>
#include <string>

#include "base/mutex.h"
#include "base/status.h"
#include "model/records.h"

namespace telemed {

class ClinicRecords;
class Clock;
class Logger;
class SettingsStore;
class ZoomApi;

namespace web {

enum class DoctorState { kUnchecked, kOk, kZoomUserNotFound, kNotConnected };

// "unchecked", "ok", "zoom_user_not_found", "not_connected".
const char* DoctorStateName(DoctorState state);

class DoctorChecker final {
 public:
  struct Options {
    // Borrowed; each must outlive the checker.
    ClinicRecords* records = nullptr;
    SettingsStore* settings = nullptr;  // tells when the Zoom app changed
    ZoomApi* api = nullptr;             // as the clinic's S2S app
    const Clock* clock = nullptr;
    Logger* logger = nullptr;
    // A lookup without a verdict is tried again after this long; a verdict
    // is renewed after `recheck_seconds` (a user removed in Zoom).
    int64_t retry_seconds = 60;
    int64_t recheck_seconds = 6 * 3600;
  };
  explicit DoctorChecker(const Options& options) : options_(options) {}

  struct Verdict {
    DoctorState state = DoctorState::kUnchecked;
    int64_t checked_at = 0;  // unix seconds; 0 when not looked up
  };

  // What is known of `doctor` now: kNotConnected for an OAuth doctor (this
  // version has no per-doctor OAuth); the last lookup's verdict while the
  // doctor keeps the Zoom user that was looked up; kUnchecked otherwise.
  // Thread-safe.
  Verdict StateOf(const Doctor& doctor) const EXCLUDES(mu_);

  // Looks up each S2S doctor that has no current verdict, one GetUser
  // each; a changed Zoom app drops every verdict first. Two small store
  // reads when there is nothing to do, so the daemon runs it every few
  // seconds (the contract: a saved doctor is checked within 10 s).
  // Errors are the store's. One caller at a time.
  Status RunOnce() EXCLUDES(mu_);

 private:
  struct Entry {
    std::string zoom_user;  // the one looked up
    Verdict verdict;
    int64_t next_at = 0;  // unix seconds: when to look it up again
  };
  bool IsDue(const Doctor& doctor, int64_t now) const EXCLUDES(mu_);
  Entry LookUp(const Doctor& doctor, int64_t now);

  const Options options_;
  mutable Mutex mu_;
  std::string config_version_ GUARDED_BY(mu_);
  std::map<std::string, Entry> entries_ GUARDED_BY(mu_);  // by doctor id
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_DOCTOR_CHECKER_H_
