// ZoomWatch: the daemon's periodic Zoom check (zoom/zoom_check.h), so that
// GET /api/v1/status can report the verdict without calling Zoom.
//
// Housekeeping calls Tick() once a minute (a PeriodicTask, so the first
// call comes at start, after READY). Tick runs the check when
//   - it has not run yet in this process,
//   - the Zoom app or the doctors changed since the last run: the settings
//     row "zoom.config_version" (bumped by `zoom s2s` and `zoom forget`) and
//     the doctors' ids, auth modes and Zoom users are compared with those of
//     the last run, which costs two small reads,
//   - or the last verdict is too old: 6 hours after an all-well verdict,
//     15 minutes after a failing one (a Zoom outage at start should not
//     stand in the status for 6 hours).
// Each run stores its result and logs the verdict in one line. When a
// verdict turns from failing to all well, the failed appointments are
// retried (the fix was made in Zoom, where no store write announces it);
// when no app is stored any more, the token cached in memory is dropped.
#ifndef TELEMED_SERVICE_ZOOM_WATCH_H_
#define TELEMED_SERVICE_ZOOM_WATCH_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "zoom/s2s_app.h"  // BumpZoomConfigVersion, which the watch reads
#include "zoom/zoom_check.h"

namespace telemed {

class Clock;
class Logger;
class S2sTokenSource;
class Store;
class ZoomApi;

// One line for people: "ok (credentials, scopes, 2 doctor(s))" or
// "FAIL: scopes: missing ...; doctor dr-x: ...". Never holds a secret (the
// check's details hold none).
std::string SummarizeZoomCheck(const ZoomCheckResult& result);

class ZoomWatch final {
 public:
  struct Options {
    // Borrowed; each must outlive the watch.
    Store* store = nullptr;
    S2sTokenSource* tokens = nullptr;
    ZoomApi* api = nullptr;
    const Clock* clock = nullptr;
    Logger* logger = nullptr;
    int64_t recheck_ok_seconds = 6 * 3600;
    int64_t recheck_failed_seconds = 15 * 60;
  };
  explicit ZoomWatch(const Options& options) : options_(options) {}

  // Runs the check if one is due (see above). Not thread-safe: one caller.
  void Tick();

 private:
  // What the check depends on besides Zoom: the config version and the
  // doctors, as one comparable string.
  Status ReadInputs(std::string* out);
  bool IsDue(const std::string& inputs) const;
  void RunCheck(const std::string& inputs);
  void RetryFailed();
  void DropCachedToken();

  const Options options_;
  bool has_run_ = false;
  bool last_ok_ = false;
  int64_t last_run_at_ = 0;  // unix seconds
  std::string last_inputs_;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_ZOOM_WATCH_H_
