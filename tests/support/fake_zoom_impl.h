// FakeZoom's insides, shared by fake_zoom*.cc only (leveldb's db_impl.h
// pattern): the request pipeline lives in fake_zoom.cc, the OAuth token
// and bearer checks in fake_zoom_oauth.cc, rate limits in
// fake_zoom_limits.cc and the Users/Meetings routes in
// fake_zoom_meetings.cc, with body parsing in fake_zoom_edit.cc.
#ifndef TELEMED_TESTS_SUPPORT_FAKE_ZOOM_IMPL_H_
#define TELEMED_TESTS_SUPPORT_FAKE_ZOOM_IMPL_H_

#include <cJSON.h>
#include <httplib.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/cjson.h"
#include "base/mutex.h"
#include "support/fake_zoom.h"

namespace telemed {
namespace test {

// What the fake decided to send back.
struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// OAuth errors have their own shape: 400 {"reason","error"}, not
// {code,message}.
Reply OauthError(const char* error, const char* reason);
// "id:secret" from "Basic base64(id:secret)"; "" when malformed.
std::string DecodeBasic(const std::string& header);
// The form body's value of `name`, "" when absent.
std::string FormValue(const httplib::Params& form, const char* name);
// The request's form body (nothing for another Content-Type).
httplib::Params ReadForm(const httplib::Request& request);

// Zoom's `{"code":int,"message":str}` error body with `status`.
Reply ErrorReply(int status, int code, const std::string& message);
// A 200/201 answer carrying `json` (consumed).
Reply JsonReply(int status, CjsonPtr json);

enum class Route {
  kToken,
  kAuthorize,  // user OAuth (fake_zoom_user_oauth.cc)
  kRevoke,
  kGetUser,
  kListUsers,
  kCreateMeeting,
  kListMeetings,
  kGetMeeting,
  kPatchMeeting,
  kDeleteMeeting,
  kUnknown,
};

// Zoom's rate-limit categories (docs/zoom-notes.md, "Rate limits").
enum class Category { kNone, kLight, kMedium };
Category CategoryOf(Route route);
const char* CategoryName(Category category);

// The meeting fields a create or PATCH body gives, each with a flag saying
// whether it was present. Filled by ParseMeetingEdit.
struct MeetingEdit {
  bool has_topic = false;
  std::string topic;
  bool has_agenda = false;
  std::string agenda;
  bool has_start = false;
  std::string start_text;  // resolved against a zone by ResolveStart
  bool has_duration = false;
  int duration = 0;
  bool has_timezone = false;
  std::string timezone;
  bool has_password = false;
  std::string password;
  bool default_password = false;
  bool has_type = false;
  int type = 2;
  CjsonPtr settings;  // the given settings object, or null
};

// Reads `body` (a JSON object) into *edit, checking each field the way
// Zoom's validation does. On failure returns false with Zoom's message for
// a 400 code 300 in *error.
bool ParseMeetingEdit(const cJSON* body,
                      const std::map<std::string, int>& timezones,
                      MeetingEdit* edit, std::string* error);
// Turns edit.start_text into unix seconds: UTC when it carries "Z" or an
// offset, else local time in `zone` (fixed offset from `timezones`; UTC
// when the zone is "" or unknown). False when the text is not a date-time.
bool ResolveStart(const std::string& start_text, const std::string& zone,
                  const std::map<std::string, int>& timezones,
                  int64_t* start_seconds);
// "" when `password` meets `policy`, else why not.
std::string CheckPasscode(const std::string& password,
                          const PasscodePolicy& policy);
// A passcode that meets `policy`, varied by `seed`.
std::string GeneratePasscode(const PasscodePolicy& policy, int64_t seed);
// Applies `edit` to *meeting (callers pass a copy: on failure it may be
// half changed). False with Zoom's 400 code 300 message in *error for a
// passcode the host's policy refuses or a meeting left without any
// security option (passcode, waiting room or authentication).
bool ApplyMeetingEdit(const MeetingEdit& edit, const PasscodePolicy& policy,
                      const std::map<std::string, int>& timezones,
                      FakeMeeting* meeting, std::string* error);
// Whether the fields a client can change are equal.
bool SameMeeting(const FakeMeeting& a, const FakeMeeting& b);
// Merges the given settings into `*settings_json` (a JSON object's text),
// applying Zoom's rule that a waiting room turns join-before-host off.
void MergeSettings(const cJSON* given, std::string* settings_json);
// Zoom's other meeting identifier, derived from the id so it is stable.
std::string MeetingUuid(int64_t id);
// The first `max_chars` code points of UTF-8 `text`.
std::string CutUtf8(const std::string& text, size_t max_chars);

struct FakeUser {
  std::string id;
  std::string email;
  bool can_host = true;
  PasscodePolicy policy;
};

struct Token {
  int64_t expires_micros = 0;
  std::vector<std::string> scopes;
  std::string user_id;  // a user OAuth token's user; "" for S2S
};

// An authorization code /oauth/authorize gave out, until used.
struct AuthCode {
  std::string user_id;
  std::string redirect_uri;
  std::string challenge;  // S256
  int64_t expires_micros = 0;
};

// A refresh token of a user's grant: only the newest of a grant works.
struct RefreshGrant {
  std::string user_id;
  bool current = true;
};

// Where a listing's next page starts: the key of the last item sent, for
// the listing named `listing` (route + owner + filter).
struct PageCursor {
  std::string listing;
  std::string last_key;
  int64_t expires_micros = 0;
};

// One page of a listing: keys[begin, end), and the token for the rest
// ("" on the last page).
struct Page {
  size_t begin = 0;
  size_t end = 0;
  int page_size = 30;
  std::string next_token;
};

struct DailyCounter {
  int64_t day = -1;  // UTC day number (unix seconds / 86400)
  int count = 0;
};

class FakeZoom::Impl {
 public:
  explicit Impl(const Options& options);

  // Runs one request through faults, auth, limits and the route.
  void Serve(Route route, const httplib::Request& request,
             httplib::Response* response) EXCLUDES(mu_);

  mutable Mutex mu_;
  const Options options_;
  std::vector<std::string> granted_scopes_ GUARDED_BY(mu_);
  std::string client_id_ GUARDED_BY(mu_);
  std::string client_secret_ GUARDED_BY(mu_);
  std::map<std::string, FakeUser> users_ GUARDED_BY(mu_);  // by id
  std::map<int64_t, FakeMeeting> meetings_ GUARDED_BY(mu_);
  int64_t next_meeting_id_ GUARDED_BY(mu_) = 81234567890;
  std::map<std::string, Token> tokens_ GUARDED_BY(mu_);
  std::map<std::string, PageCursor> cursors_ GUARDED_BY(mu_);
  std::map<Category, std::deque<int64_t>> recent_ GUARDED_BY(mu_);
  std::map<std::string, DailyCounter> daily_ GUARDED_BY(mu_);
  std::vector<Fault> faults_ GUARDED_BY(mu_);
  std::vector<LoggedRequest> log_ GUARDED_BY(mu_);
  int64_t serial_ GUARDED_BY(mu_) = 0;  // makes tokens and URLs unique
  // User OAuth (fake_zoom_user_oauth.cc).
  std::string authorizing_user_ GUARDED_BY(mu_);
  std::map<std::string, AuthCode> codes_ GUARDED_BY(mu_);
  std::map<std::string, RefreshGrant> refresh_tokens_ GUARDED_BY(mu_);
  int64_t user_token_lifetime_seconds_ GUARDED_BY(mu_);

  // fake_zoom.cc
  bool TakeFault(const std::string& method, const std::string& path,
                 Fault* fault) EXCLUDES(mu_);
  LoggedRequest Arrive(Route route, const httplib::Request& request)
      EXCLUDES(mu_);
  // Appends to log_ and returns the entry's index (entries are never
  // removed, so the index stays valid).
  size_t Log(const LoggedRequest& entry) EXCLUDES(mu_);
  Reply Handle(Route route, const httplib::Request& request) EXCLUDES(mu_);
  Reply Dispatch(Route route, const httplib::Request& request) REQUIRES(mu_);
  Reply FaultReply(Route route, const Fault& fault) EXCLUDES(mu_);
  int64_t NextSerial() REQUIRES(mu_) { return ++serial_; }
  const FakeUser* FindUser(const std::string& id_or_email) const REQUIRES(mu_);

  // fake_zoom_oauth.cc
  Reply IssueToken(const httplib::Request& request) REQUIRES(mu_);
  // False with the 401/400 answer in *reply when the bearer token is
  // missing, unknown, expired or lacks the route's scope.
  bool Authorize(Route route, const httplib::Request& request, Reply* reply)
      REQUIRES(mu_);

  // fake_zoom_user_oauth.cc
  // GET /oauth/authorize: a redirect to redirect_uri with a code (or
  // error=access_denied when no user is set to authorize).
  Reply AuthorizeCode(const httplib::Request& request) REQUIRES(mu_);
  // grant_type authorization_code (PKCE checked) and refresh_token
  // (rotated: an older refresh token gets invalid_grant).
  Reply IssueUserToken(const httplib::Request& request,
                       const httplib::Params& form) REQUIRES(mu_);
  Reply Revoke(const httplib::Request& request) REQUIRES(mu_);
  // The user of the request's bearer token; "" for S2S or none.
  std::string TokenUser(const httplib::Request& request) const REQUIRES(mu_);

  // fake_zoom_limits.cc
  // False with a 429 in *reply when `category` is over its per-second
  // budget; otherwise counts the request against it.
  bool AdmitPerSecond(Category category, Reply* reply) REQUIRES(mu_);
  // False with a daily 429 in *reply when `host_id` has used up today's
  // create+update calls.
  bool AdmitDaily(const std::string& host_id, Category category, Reply* reply)
      REQUIRES(mu_);
  void CountDaily(const std::string& host_id) REQUIRES(mu_);
  int DailyCountLocked(const std::string& host_id) const REQUIRES(mu_);
  Reply PerSecondLimitReply(Category category, int64_t retry_seconds,
                            const Fault* fault) REQUIRES(mu_);
  Reply DailyLimitReply(Category category, const Fault* fault) REQUIRES(mu_);

  // fake_zoom_meetings.cc
  Reply GetUser(const std::string& id_or_email) REQUIRES(mu_);
  Reply ListUsers(const httplib::Request& request) REQUIRES(mu_);
  Reply CreateMeeting(const std::string& user, const std::string& body)
      REQUIRES(mu_);
  Reply GetMeeting(const std::string& id) REQUIRES(mu_);
  Reply PatchMeeting(const std::string& id, const std::string& body)
      REQUIRES(mu_);
  // Whether a PATCH of meeting `id` with `body` would change nothing: an
  // empty body, {}, or fields equal to what Zoom holds. Judged for every
  // PATCH, even one a fault or a refusal stops, so tests see them all.
  bool IsNoOpPatch(const std::string& id, const std::string& body)
      REQUIRES(mu_);
  Reply DeleteMeeting(const std::string& id) REQUIRES(mu_);
  Reply ListMeetings(const std::string& user, const httplib::Request& request)
      REQUIRES(mu_);
  // The user `user` (id or email) if they may host; else null with the
  // 404 code 1001 or 400 code 3161 answer in *reply.
  const FakeUser* LookUpHost(const std::string& user, Reply* reply) const
      REQUIRES(mu_);
  // The meeting with decimal id `id`; else null with a 404 code 3001.
  FakeMeeting* LookUpMeeting(const std::string& id, Reply* reply) REQUIRES(mu_);
  PasscodePolicy PolicyOf(const std::string& host_id) const REQUIRES(mu_);
  // The meeting as create (`fetched` false) or GET (`fetched` true)
  // returns it; both carry a freshly issued start_url.
  CjsonPtr MeetingJson(const FakeMeeting& meeting, bool fetched) REQUIRES(mu_);
  std::string JoinUrl(const FakeMeeting& meeting) const;
  // Picks the page of `keys` (sorted) that `request` asks for in
  // `listing`; false with a 400 code 300 in *reply for a bad page_size or
  // next_page_token.
  bool Paginate(const std::string& listing, const httplib::Request& request,
                const std::vector<std::string>& keys, Page* page, Reply* reply)
      REQUIRES(mu_);
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_FAKE_ZOOM_IMPL_H_
