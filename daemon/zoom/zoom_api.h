// ZoomApi: typed calls to Zoom's Meetings and Users API over an injected
// ZoomTransport, with Zoom's answers classified into ZoomError.
//
// It knows Zoom's wire format (paths, JSON fields, int64 ids, error bodies,
// rate-limit headers) and nothing of appointments: the sync engine decides
// what to do with an answer. Tokens come from a TokenSource; on 401 code 124,
// or a scope error (4711) with a token that may predate the admin's scope
// fix, the token is renewed once and the call retried once.
#ifndef TELEMED_ZOOM_ZOOM_API_H_
#define TELEMED_ZOOM_ZOOM_API_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

struct cJSON;

namespace telemed {

class Clock;
class ZoomTransport;

// The kind of a failed call to Zoom (or to its token endpoint), for callers
// to switch on; the Status beside it carries the words for people.
enum class ZoomFailure {
  // Not Zoom's: the bridge's own error (database, secret key, a bad URL) or
  // no failure at all. The Status tells which.
  kNone,
  kNoAnswer,     // nothing usable came back: no connection, 5xx, garbled
  kRateLimited,  // a 429, or not sent: the host is held by a daily limit
  kRefused,      // the API answered another 4xx (code and words in ZoomError)
  // Token failures: no app is stored; the token endpoint refused the app's
  // credentials; this process's secret key is not the one the app is
  // sealed under; the token endpoint could not be used (no answer,
  // overload, not a token endpoint); another live process is renewing the
  // token (nothing was sent: its new token is there within seconds).
  kNotConfigured,
  kCredentialsRefused,
  kKeyMismatch,
  kTokenUnavailable,
  kTokenRenewing,
  // A doctor's own OAuth grant (zoom/user_token_source.h): the doctor has
  // none (never connected, disconnected); Zoom refused its refresh token,
  // so the doctor must connect again.
  kNotConnected,
  kReconnectNeeded,
};

// What went wrong in one call, for the caller to classify. Filled whenever a
// ZoomApi call returns !ok().
struct ZoomError {
  ZoomFailure failure = ZoomFailure::kNone;
  // kUnspecified: a 429 that says neither (no X-RateLimit-Type, no
  // Retry-After); the caller judges from the host's own daily count.
  enum class RateLimit { kNone, kPerSecond, kDaily, kUnspecified };
  bool no_answer = false;  // transport failure: nothing came back
  // Not sent at all: the host was held by a daily limit at send time
  // (rate_limit kDaily, retry_at set). Zoom changed nothing.
  bool not_sent = false;
  int http_status = 0;
  int zoom_code = 0;    // Zoom's "code", 0 if absent or not JSON
  std::string message;  // Zoom's "message" (localized: never match on it)
  RateLimit rate_limit = RateLimit::kNone;
  int64_t retry_at = 0;  // unix seconds from Retry-After; 0 = not given
  // From code 4711/4700: one S2S scope per missing permission (see
  // zoom/zoom_scopes.h), not Zoom's list of alternatives.
  std::vector<std::string> missing_scopes;
  // Fields a validation error (code 300) names in "errors":[{"field"}].
  std::vector<std::string> error_fields;
  std::string tracking_id;  // x-zm-trackingid, for logs
};

// Zoom's rate-limit categories (docs/zoom-notes.md): create meeting and the
// lists are Medium; get, update and delete meeting and get user are Light.
enum class ZoomCategory { kLight = 0, kMedium = 1 };

// Paces calls under the account's per-second budgets: WaitForSlot returns
// when a call of `category` may leave now. Thread-safe.
class RateGate {
 public:
  virtual ~RateGate() = default;
  virtual void WaitForSlot(ZoomCategory category) = 0;
  // When `host` is held by a daily limit (a daily 429): until when, in
  // unix microseconds; 0 when it is not. Asked right before a create or
  // update for `host` leaves, after WaitForSlot: a call admitted while
  // another call for the host was still out must not follow that call's
  // 429 onto the wire.
  virtual int64_t HostPausedUntil(const std::string& host) = 0;
};

// Gives out a bearer token for API calls. The clinic's S2S app is the first
// implementation (zoom/s2s_token_source.h); a doctor's own OAuth grant,
// with its refresh-token rotation, is meant to be the second (see
// zoom/zoom_client.h for how one is chosen per doctor).
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A token with life left. Errors set *failure: the token endpoint's
  // refusal (Unauthenticated "zoom_credentials_invalid",
  // kCredentialsRefused), no answer (Unavailable, kTokenUnavailable), no
  // credentials (Validation "zoom_not_configured", kNotConfigured); the
  // bridge's own errors (database, secret key) leave kNone.
  virtual Status GetToken(std::string* token, ZoomFailure* failure) = 0;
  // For callers that need no kind.
  Status GetToken(std::string* token) {
    ZoomFailure ignored;
    return GetToken(token, &ignored);
  }
  // Zoom refused `token` (401 code 124), or it may predate a scope fix:
  // drop it so GetToken fetches anew.
  virtual void Invalidate(const std::string& token) = 0;
  // Zoom said `token` lacks a scope (4711): true when a token minted now
  // might carry it (the admin may have added the scope after `token` was
  // issued), so the call is worth one retry with a fresh token.
  virtual bool MayPredateScopeFix(const std::string& token) {
    (void)token;
    return false;
  }
  // Cheap, never calls Zoom: OK unless GetToken is known to fail for good
  // (no app configured, or these very credentials were refused), so callers
  // can settle work at once instead of queueing it for the network.
  // *failure as GetToken's.
  virtual Status CheckUsable(ZoomFailure* failure) {
    *failure = ZoomFailure::kNone;
    return Status::OK();
  }
  Status CheckUsable() {
    ZoomFailure ignored;
    return CheckUsable(&ignored);
  }
};

// The fields of a meeting the bridge sets or reads.
struct ZoomMeeting {
  std::string id;       // int64 as decimal text
  std::string host_id;  // GET answers only
  std::string topic;
  std::string agenda;
  int64_t start_time = 0;  // unix seconds, UTC
  int duration_minutes = 0;
  std::string timezone;
  std::string join_url;
  std::string start_url;  // never stored or logged
  std::string password;
  std::string status;  // "waiting" | "started" (GET only)
};

// A new meeting. Empty timezone is left out; default_password asks Zoom to
// generate a passcode that meets the account's policy (password ignored).
struct MeetingSpec {
  std::string topic;
  int64_t start_time = 0;
  int duration_minutes = 0;
  std::string timezone;
  std::string agenda;
  std::string password;
  bool default_password = false;
};

// Only the fields present are sent.
struct MeetingPatch {
  std::optional<std::string> topic;
  std::optional<int64_t> start_time;
  std::optional<int> duration_minutes;
  std::optional<std::string> timezone;
  bool empty() const {
    return !topic && !start_time && !duration_minutes && !timezone;
  }
};

struct ZoomUser {
  std::string id;
  std::string email;
  std::string display_name;
  int type = 0;  // 1 basic, 2 licensed, ...
  std::string status;
};

class ZoomApi {
 public:
  struct Options {
    std::string api_base_url = "https://api.zoom.us/v2";  // no trailing '/'
    // Borrowed; must outlive the ZoomApi.
    ZoomTransport* transport = nullptr;
    TokenSource* tokens = nullptr;
    const Clock* clock = nullptr;  // turns Retry-After seconds into a time
    // Borrowed, may be null (no pacing): every API call waits here for its
    // slot right before it is sent, so the budget holds at Zoom's end even
    // when the work before a call takes longer one time than another.
    RateGate* gate = nullptr;
  };
  explicit ZoomApi(const Options& options) : options_(options) {}

  // Every call: OK, or a Status whose reason is "zoom_no_answer"
  // (Unavailable, kNoAnswer), "zoom_rate_limited" (Unavailable,
  // kRateLimited), or "zoom_error" (any other refusal, kRefused), with the
  // details and the kind in *error; token failures come back as GetToken
  // returned them, their kind in error->failure.
  Status CreateMeeting(const std::string& host, const MeetingSpec& spec,
                       ZoomMeeting* out, ZoomError* error);
  Status GetMeeting(const std::string& id, ZoomMeeting* out, ZoomError* error);
  // REQUIRES: !patch.empty() (a PATCH that changes nothing is never sent).
  // `host`: the Zoom user the meeting lives on, whose daily limit the
  // update counts against ("" = unknown: not checked).
  Status UpdateMeeting(const std::string& id, const MeetingPatch& patch,
                       const std::string& host, ZoomError* error);
  Status DeleteMeeting(const std::string& id, ZoomError* error);
  // Every scheduled meeting of `host`, all pages (agendas cut to 250).
  Status ListMeetings(const std::string& host, std::vector<ZoomMeeting>* out,
                      ZoomError* error);
  Status GetUser(const std::string& id_or_email, ZoomUser* out,
                 ZoomError* error);
  // The account's active users, all pages (the admin page's user picker;
  // needs user:read:list_users:admin).
  Status ListUsers(std::vector<ZoomUser>* out, ZoomError* error);
  // See TokenSource::CheckUsable; the kind goes to error->failure.
  Status CheckUsable(ZoomError* error) {
    return options_.tokens->CheckUsable(&error->failure);
  }

 private:
  struct Request {
    ZoomCategory category = ZoomCategory::kLight;
    const char* scope = "";  // the S2S scope it needs (for scope errors)
    std::string method;
    std::string path;  // after the API base
    std::string body;
    // A create or update counts against this host's daily limit ("" for
    // other calls): it is not sent while the host is held.
    std::string daily_host;
  };
  Status Call(const Request& request, std::string* response_body,
              ZoomError* error);
  Status CallWithRetry(const Request& request, std::string* response_body,
                       ZoomError* error);
  Status CallOnce(const Request& request, const std::string& token,
                  std::string* response_body, ZoomError* error);
  // GETs `path` (which has a query) page after page and hands each item
  // of the array `items` to `read`, which returns false for a garbled one;
  // `what` names the listing in errors.
  Status ListAll(const std::string& path, const char* scope, const char* items,
                 const char* what,
                 const std::function<bool(const cJSON*)>& read,
                 ZoomError* error);

  const Options options_;
};

// Reads a Zoom error answer into *error (code, message, scopes, rate-limit
// kind and Retry-After against `now`). Exposed for tests and the token code.
struct HttpResponse;
void ParseZoomError(const HttpResponse& response, int64_t now,
                    ZoomError* error);

// Zoom's ids are int64 JSON numbers; cJSON holds them as doubles, exact
// below 2^53. Returns false for a non-number, a fraction or a value out of
// that range.
bool ZoomIdFromJson(const cJSON* item, std::string* out);

}  // namespace telemed

#endif  // TELEMED_ZOOM_ZOOM_API_H_
