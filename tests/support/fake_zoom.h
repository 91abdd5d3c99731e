// FakeZoom: an in-process stand-in for Zoom's Server-to-Server OAuth token
// endpoint and the Meetings/Users API, for tests that must never reach the
// internet.
//
// It follows the behaviour written down in docs/zoom-notes.md and Zoom's
// OpenAPI description: int64 meeting ids above 2^32, 201/204 answers,
// the error codes the bridge matches on (124, 4711, 1001, 300, 3000, 3001,
// 3002, 3007, 3161), per-second and per-host daily 429s, and the listing
// that cuts agendas to 250 characters. On top it injects faults (delays,
// cut connections before or after the work, 5xx, garbage bodies, 429s) and
// records every request so tests can assert what the client sent and when.
//
// Time (token expiry, rate-limit windows, the 00:00 UTC daily reset,
// request times) comes from the injected Clock, so a FakeClock drives it.
// Mount() only registers handlers, so the same fake serves a plain
// httplib::Server or an HTTPS one.
//
// Thread-safety: every public method may be called from any thread while
// the server's worker threads run requests.
#ifndef TELEMED_TESTS_SUPPORT_FAKE_ZOOM_H_
#define TELEMED_TESTS_SUPPORT_FAKE_ZOOM_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace httplib {
class Server;
}  // namespace httplib

namespace telemed {

class Clock;

namespace test {

// The granular scopes an S2S app needs when the admin grants all that the
// bridge uses (docs/zoom-notes.md, "Scopes").
std::vector<std::string> AllS2sScopes();
// The scopes of a user-managed app (user OAuth): the same without ":admin",
// less the account-wide user list.
std::vector<std::string> AllUserScopes();

// A few IANA zones with a fixed UTC offset in minutes. The fake has no tz
// database: a start_time without "Z" is read with this fixed offset (the
// bridge always sends UTC, so daylight saving does not matter here).
std::map<std::string, int> DefaultTimezones();

// A host's passcode rules (Zoom's "meeting passcode requirements").
struct PasscodePolicy {
  int min_length = 0;           // characters; 0 = any length 1..10
  bool require_letter = false;  // at least one of A-Z a-z
  bool require_digit = false;   // at least one of 0-9
  bool require_upper_and_lower = false;
  bool require_special = false;  // at least one of @ - _ *
};

// How a per-second 429 states its Retry-After.
enum class RetryAfterFormat { kSeconds, kIsoDate, kNone };

// waiting and started are what GET /meetings/{id} reports; an ended
// scheduled meeting reads "waiting" again but refuses DELETE with 3007.
enum class MeetingStatus { kWaiting, kStarted, kEnded };

// A meeting as the fake holds it.
struct FakeMeeting {
  int64_t id = 0;
  std::string host_id;  // the user's id, even when created by email
  std::string topic;
  std::string agenda;      // in full; only listings cut it
  std::string start_time;  // UTC, "YYYY-MM-DDTHH:MM:SSZ"
  int64_t start_seconds = 0;
  int duration = 0;      // minutes
  std::string timezone;  // "" when the request gave none
  std::string password;
  std::string settings_json;  // compact JSON object
  MeetingStatus status = MeetingStatus::kWaiting;
  int64_t created_micros = 0;
};

// One request as it reached the fake. It is logged on arrival, so a test
// sees a request the fake is still holding (a delay fault) with `finished`
// false. Once finished, `status` is the status sent, or the one the work
// produced when a fault cut the connection (0 when cut before any work);
// `answered` is false when the client got no answer.
struct LoggedRequest {
  int64_t time_micros = 0;  // the injected clock when the request arrived
  std::string method;
  std::string path;   // as received, with the API prefix
  std::string query;  // raw text after '?', "" when none
  std::string body;   // request body
  int status = 0;
  bool answered = true;
  bool finished = false;    // the work and the answer (or cut) are decided
  bool noop_patch = false;  // a PATCH whose body changed nothing
};

// The two drops cut the connection the only way httplib 0.11's public API
// allows: the status line and headers ("500", Content-Length 64) go out,
// then the connection closes with the body missing. An httplib client
// sees no response (Error::Read); any client must treat a truncated body
// as no answer.
enum class FaultKind {
  kDelay,             // wait delay_ms (real time), then answer normally
  kDelayAfterWork,    // do the work (logged finished), then wait delay_ms
  kDropBeforeWork,    // cut the connection without doing anything
  kDelayThenDrop,     // wait delay_ms, then cut without doing anything
  kDropAfterWork,     // do the work (e.g. create), then cut: answer lost
  kServerError,       // answer `status` (500, 502 or 503) without work
  kGarbageBody,       // answer `status` with a non-JSON body, no work
  kGarbageAfterWork,  // do the work, then replace its body with garbage
  kQps429,            // a per-second 429 without work
  kDaily429,          // a daily-limit 429 without work
};

struct Fault {
  std::string method;       // "GET", "POST"...; "" matches every method
  std::string path_prefix;  // prefix of the full path; "" matches all
  FaultKind kind = FaultKind::kServerError;
  int times = 1;     // requests it applies to before it is used up
  int delay_ms = 0;  // the kDelay* kinds only
  int status = 0;    // kServerError (default 503), kGarbage* (200)
  // 429 kinds: the Retry-After header value; "" means the fake's own
  // (1 second for QPS in Options::qps_retry_after form; the next 00:00 UTC
  // for daily).
  std::string retry_after;
  bool omit_headers = false;  // 429 kinds: no Retry-After nor X-RateLimit-*
};

// A fault on requests `method` whose path starts with `path_prefix`, used
// `times` times.
Fault MakeFault(const std::string& method, const std::string& path_prefix,
                FaultKind kind, int times = 1);

// A random secret, "test-" and 32 hex digits.
inline std::string RandomTestSecret() {
  std::random_device device;
  std::string text = "test-";
  for (int i = 0; i < 4; ++i) {
    char part[9];
    snprintf(part, sizeof(part), "%08x", static_cast<unsigned>(device()));
    text += part;
  }
  return text;
}

// The apps' secrets for this test process, the S2S app's and the user
// OAuth app's: random, made once, so that every FakeZoom::Options and the
// tests' own copies of the apps (e.g. user_oauth_steps.h) agree without a
// secret written in the source.
inline const std::string& GeneratedS2sClientSecret() {
  static const std::string secret = RandomTestSecret();
  return secret;
}
inline const std::string& GeneratedOAuthClientSecret() {
  static const std::string secret = RandomTestSecret();
  return secret;
}

class FakeZoom final {
 public:
  struct Options {
    std::string account_id = "fake-account-id";
    std::string client_id = "fake-client-id";
    std::string client_secret = GeneratedS2sClientSecret();
    std::vector<std::string> scopes = AllS2sScopes();  // granted to tokens
    int64_t token_lifetime_seconds = 3599;
    int light_per_second = 30;   // Pro plan; Light: get/patch/delete
    int medium_per_second = 20;  // Pro plan; Medium: create, lists
    // Per host, reset at 00:00 UTC. Counts the creates and updates Zoom
    // accepted (201/204); refused ones do not use up the allowance.
    int daily_create_update_limit = 100;
    RetryAfterFormat qps_retry_after = RetryAfterFormat::kSeconds;
    // false: the daily 429 carries neither Retry-After nor X-RateLimit-*
    // headers, only its message (a variant Zoom has been seen to send).
    bool daily_limit_headers = true;
    // true: DELETE of a started meeting is refused with 400 code 3002.
    bool refuse_delete_started = true;
    std::map<std::string, int> timezones = DefaultTimezones();
    int latency_ms = 0;  // real-time wait before every API answer
    // The clinic's user-managed OAuth app (user OAuth), and the scopes its
    // user tokens carry.
    std::string oauth_client_id = "fake-oauth-client-id";
    std::string oauth_client_secret = GeneratedOAuthClientSecret();
    std::vector<std::string> user_scopes = AllUserScopes();
    int64_t code_lifetime_seconds = 300;
    std::string api_url = "https://api.zoom.us";      // token answer's api_url
    std::string web_url = "https://us05web.zoom.us";  // join/start URLs
    // Required; borrowed, must outlive the FakeZoom.
    const Clock* clock = nullptr;
  };

  explicit FakeZoom(const Options& options);
  ~FakeZoom();
  FakeZoom(const FakeZoom&) = delete;
  FakeZoom& operator=(const FakeZoom&) = delete;

  // Registers POST /oauth/token and the API routes under `api_prefix`
  // (a plain path such as "/v2"). Every unknown path under the prefix gets
  // a JSON 404. The FakeZoom must outlive the server's last request.
  void Mount(httplib::Server* server, const std::string& api_prefix = "/v2");

  // --- Controls ---
  // Adds or replaces a user of the account. Users who may not host get
  // 400 code 3161 on create.
  void AddUser(const std::string& id, const std::string& email,
               bool can_host = true);
  // Sets the passcode rules meetings of `user_id` must meet. Returns false
  // for an unknown user.
  bool SetPasscodePolicy(const std::string& user_id,
                         const PasscodePolicy& policy);
  // Each returns false when no meeting has that id.
  bool SetMeetingStatus(int64_t id, MeetingStatus status);
  bool DeleteMeetingBehindTheBridgesBack(int64_t id);
  // A host editing the meeting in Zoom's web portal: `start_time_utc` is
  // "YYYY-MM-DDTHH:MM:SSZ". Also false when the time does not parse.
  bool ChangeMeetingOnZoom(int64_t id, const std::string& start_time_utc,
                           int duration_minutes);
  // Every issued access token answers 401 code 124 from now on.
  void ExpireAllTokens();
  // Scopes of tokens issued from now on; issued tokens keep theirs.
  void SetGrantedScopes(const std::vector<std::string>& scopes);
  // The old client id/secret stop working for new tokens; tokens already
  // issued stay valid until they expire.
  void RotateCredentials(const std::string& client_id,
                         const std::string& client_secret);
  // User OAuth. The user (an AddUser id) who signs in and approves at
  // /oauth/authorize from now on; "" (the start): the redirect carries
  // error=access_denied instead of a code.
  void SetAuthorizingUser(const std::string& user_id);
  // The user removed the app: every refresh token of the user's grants
  // gets 400 invalid_grant, and their access tokens 401 code 124.
  void RefuseGrants(const std::string& user_id);
  // Whether `refresh_token` is the newest of its grant (the one a refresh
  // would accept).
  bool IsCurrentRefreshToken(const std::string& refresh_token) const;
  // The lifetime of user access tokens issued from now on (by a code or a
  // refresh); Options::token_lifetime_seconds until called. A short one
  // makes the next use of the grant refresh it.
  void SetUserTokenLifetime(int64_t seconds);
  // Refresh requests received so far (POST /oauth/token with grant_type
  // refresh_token, whatever became of them).
  int CountRefreshRequests() const;
  // An answered refresh followed by a stall (the bridge killed between
  // Zoom's answer and its commit) is a kDelayAfterWork fault on
  // "POST /oauth/token"; a refresh held and never acted on (the bridge
  // killed before Zoom rotated) is a kDelayThenDrop one.

  // Queues a fault. A request takes the first queued fault that matches
  // its method and path and has uses left.
  void InjectFault(const Fault& fault);

  // --- Inspection ---
  std::vector<FakeMeeting> Meetings() const;  // ordered by id
  // Copies the meeting into *out; false when there is none with that id.
  bool FindMeeting(int64_t id, FakeMeeting* out) const;
  std::vector<LoggedRequest> Requests() const;  // in arrival order
  // Requests whose method equals `method` ("" = any) and whose path starts
  // with `path_prefix`.
  int CountRequests(const std::string& method,
                    const std::string& path_prefix) const;
  // Arrival times (injected clock) of the requests CountRequests counts.
  std::vector<int64_t> RequestTimesMicros(const std::string& method,
                                          const std::string& path_prefix) const;
  // PATCHes with an empty body or one that changed nothing.
  int CountNoOpPatches() const;
  // Create+update calls Zoom counted for `host_id` in today's UTC day.
  int DailyCount(const std::string& host_id) const;
  // Fault uses not yet consumed, summed over the queue.
  int PendingFaults() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_FAKE_ZOOM_H_
