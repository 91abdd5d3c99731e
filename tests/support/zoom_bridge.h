// ZoomBridge: the real telemed-bridge daemon, configured for the clinic's
// Server-to-Server app, against a FakeZoom served over HTTPS on 127.0.0.1
// with a throwaway CA. For system tests that drive the daemon as a clinic
// integrator would: through its HTTP API with an API key.
//
// Setup is done the way an admin would, minus the `zoom s2s` command: a
// 32-byte key file (0600), the app's credentials sealed under it in the
// daemon's database, an API key from `apikey create`. The data dir outlives
// each daemon run, so a test can kill -9 the daemon and Start() it again on
// the same database. The fake runs on real time (the daemon does too).
//
// Setup failures abort the test binary with a message, like TempDir.
// Thread-safety: one test thread; the fake itself is thread-safe.
#ifndef TELEMED_TESTS_SUPPORT_ZOOM_BRIDGE_H_
#define TELEMED_TESTS_SUPPORT_ZOOM_BRIDGE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "support/daemon_process.h"
#include "support/fake_zoom.h"
#include "support/temp_dir.h"
#include "support/tls_test_server.h"

namespace telemed {

class RandomSource;
class SecretKey;
class Store;

namespace test {

// What the API answered: `status` 0 when no answer came.
struct ApiAnswer {
  int status = 0;
  std::string body;
};

// The fields of an appointment (GET format) the tests look at.
struct AppointmentView {
  std::string id;
  std::string start_time;
  int duration_minutes = 0;
  bool cancelled = false;
  std::string sync_status;  // "" when the body was not an appointment
  bool has_meeting = false;
  std::string meeting_id;  // must be a JSON string
  std::string join_url;
  std::string passcode;
  std::string error_code;  // "" when error is null
  std::string retry_at;    // "" when absent
  int64_t revision = 0;
};

// Reads an appointment object (a GET body or a feed item). False when
// `json` is not an object with a string "sync_status".
bool ParseAppointment(const std::string& json, AppointmentView* out);

// One page of the change feed.
struct FeedPage {
  int status = 0;
  std::vector<AppointmentView> items;
  std::string next_cursor;
};

// RFC 3339 UTC time `seconds` from now (real clock), whole minutes.
std::string UtcFromNow(int64_t seconds);

// Polls `done` every 20 ms until it holds (true) or `timeout` passes
// (false, after one last look).
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout);

// Whether `zoom` logged a request `method` whose path starts with
// `path_prefix`, after its first `after` requests, that is finished (the
// work done) or, with `finished` false, merely arrived.
bool LoggedSince(const FakeZoom& zoom, const std::string& method,
                 const std::string& path_prefix, bool finished, size_t after);
// Whether `zoom` has finished every request it received.
bool AllRequestsFinished(const FakeZoom& zoom);

class ZoomBridge final {
 public:
  struct Options {
    FakeZoom::Options zoom;  // clock: ignored, the bridge's RealClock
    // Zoom users of the account, "id" with e-mail "id@clinic.example".
    std::vector<std::string> users = {"u1"};
    // Extra `serve` flags after the Zoom ones.
    std::vector<std::string> serve_args;
  };

  ZoomBridge();
  explicit ZoomBridge(const Options& options);
  ~ZoomBridge();
  ZoomBridge(const ZoomBridge&) = delete;
  ZoomBridge& operator=(const ZoomBridge&) = delete;

  FakeZoom& zoom() { return *zoom_; }

  // Starts `serve` on the bridge's data dir; no daemon may be running.
  Status Start();
  // kill -9 and reap; then no daemon is running.
  void Kill();
  // SIGTERM; returns the exit code (see DaemonProcess::Terminate).
  int Terminate();
  // Sends `signo` and waits up to `limit` for the exit: its code, or -1 when
  // the daemon still runs then (it stays running). See
  // DaemonProcess::SignalAndWait.
  int SignalAndWait(int signo, std::chrono::milliseconds limit);
  bool running() const { return daemon_ != nullptr; }
  // The daemon's process id (REQUIRES: running), e.g. to read its VmRSS.
  pid_t pid() const { return daemon_->pid(); }
  // Everything every run so far wrote to stderr.
  std::string Stderr() const;
  // The key file the app's secret is sealed under (0600, 32 bytes).
  const std::string& key_file() const { return key_file_; }
  // --data-dir (first) and the Zoom flags the daemon runs with, for CLI
  // commands on the bridge's database (`zoom test`...).
  std::vector<std::string> CliFlags() const;

  // --- The local API (REQUIRES: running) ---
  ApiAnswer Get(const std::string& path);  // path after /api/v1
  ApiAnswer Put(const std::string& path, const std::string& json);
  ApiAnswer Delete(const std::string& path);
  ApiAnswer Post(const std::string& path);  // with an empty body
  ApiAnswer Post(const std::string& path, const std::string& json);
  // PUT /doctors/{id} as an s2s doctor hosted by Zoom user `zoom_user`.
  ApiAnswer PutDoctor(const std::string& id, const std::string& zoom_user);
  // PUT /appointments/{id} of doctor `doctor_id`; `start_time` RFC 3339.
  ApiAnswer PutAppointment(const std::string& id, const std::string& doctor_id,
                           const std::string& start_time, int duration_minutes,
                           bool cancelled = false);
  // GET /appointments/{id}; sync_status "" when it could not be read.
  AppointmentView Appointment(const std::string& id);
  // GET /appointments?since=...&wait=...; `since` "" for the beginning.
  FeedPage Feed(const std::string& since, int wait_seconds, int limit = 500);

  // Waits until every appointment in `ids` reads `sync_status` (true), or
  // `timeout` passes (false).
  bool WaitForStatus(const std::vector<std::string>& ids,
                     const std::string& sync_status,
                     std::chrono::milliseconds timeout);
  // The exactly-once check: "" when every appointment in `live` reads
  // synced with a meeting the fake holds, no two share a meeting, and the
  // fake holds no other meeting (no duplicate, no orphan); otherwise what
  // is wrong, one line per problem.
  std::string FindMeetingProblems(const std::vector<std::string>& live);

  // --- Doctors' own Zoom accounts (user OAuth) ---
  // Stores the fake's OAuth app and connects OAuth doctor `doctor_id` as
  // Zoom user `user_id` (one of Options::users) in the database, as the
  // callback would: authorize at the fake, exchange the code, store the
  // grant. The daemon may be running or not.
  struct Connection {
    std::string access_token;  // as Zoom issued them
    std::string refresh_token;
    std::string sealed_access;  // as the database holds them
    std::string sealed_refresh;
  };
  Connection ConnectDoctor(const std::string& doctor_id,
                           const std::string& user_id);
  // The database file and its WAL, as bytes on disk.
  std::string DatabaseBytes() const;

 private:
  ApiAnswer Send(const std::string& method, const std::string& path,
                 const std::string& json);
  void Configure();
  // The bridge's database and its key file, opened in this process.
  void OpenDatabaseAndKey(RandomSource* random, std::unique_ptr<Store>* store,
                          std::unique_ptr<SecretKey>* key);

  RealClock clock_;
  FakeZoom::Options zoom_options_;
  std::vector<std::string> serve_args_;
  std::unique_ptr<FakeZoom> zoom_;
  TlsTestServer server_;
  TempDir dir_;
  std::string data_dir_;
  std::string key_file_;
  std::string api_key_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::string earlier_stderr_;  // of runs that ended
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_ZOOM_BRIDGE_H_
