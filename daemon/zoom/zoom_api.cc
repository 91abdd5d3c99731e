#include "zoom/zoom_api.h"

#include <httplib.h>

#include <cmath>
#include <cstdlib>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/time_format.h"
#include "zoom/transport.h"
#include "zoom/zoom_scopes.h"

namespace telemed {

namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
constexpr int kMaxListPages = 100;  // 30,000 meetings at 300 a page

std::string JsonString(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  return cJSON_IsString(item) ? item->valuestring : "";
}

int JsonInt(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  if (!cJSON_IsNumber(item) || std::fabs(item->valuedouble) > 1e9) return 0;
  return static_cast<int>(item->valuedouble);
}

// Retry-After is seconds or an ISO-8601 date-time; 0 when absent or neither.
int64_t ParseRetryAfter(const std::string& value, int64_t now, bool* is_date) {
  *is_date = false;
  if (value.empty()) return 0;
  char* end = nullptr;
  long long seconds = strtoll(value.c_str(), &end, 10);
  if (*end == '\0' && seconds >= 0 && seconds < 7 * 86400) {
    return now + seconds;
  }
  int64_t when = 0;
  if (!ParseRfc3339(value, &when).ok()) return 0;
  *is_date = true;
  return when;
}

// "... does not contain scopes:[a, b]" -> {"a", "b"}.
std::vector<std::string> ParseMissingScopes(const std::string& message) {
  std::vector<std::string> scopes;
  size_t open = message.find('[');
  size_t close = message.find(']', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return scopes;
  std::string list = message.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string scope = list.substr(start, comma - start);
    scope.erase(0, scope.find_first_not_of(' '));
    scope.erase(scope.find_last_not_of(' ') + 1);
    if (!scope.empty()) scopes.push_back(scope);
    start = comma + 1;
  }
  return scopes;
}

void ClassifyRateLimit(const HttpResponse& response, int64_t now,
                       ZoomError* error) {
  bool is_date = false;
  error->retry_at =
      ParseRetryAfter(response.Header("retry-after"), now, &is_date);
  const std::string type = response.Header("x-ratelimit-type");
  if (type == "QPS") {
    error->rate_limit = ZoomError::RateLimit::kPerSecond;
  } else if (type == "Daily-limit" || is_date) {
    error->rate_limit = ZoomError::RateLimit::kDaily;
  } else if (error->retry_at != 0) {
    error->rate_limit = ZoomError::RateLimit::kPerSecond;
  } else {
    error->rate_limit = ZoomError::RateLimit::kUnspecified;
  }
}

std::string MeetingSpecJson(const MeetingSpec& spec) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON* object = root.get();
  cJSON_AddStringToObject(object, "topic", spec.topic.c_str());
  cJSON_AddNumberToObject(object, "type", 2);  // scheduled
  cJSON_AddStringToObject(object, "start_time",
                          FormatRfc3339Utc(spec.start_time).c_str());
  cJSON_AddNumberToObject(object, "duration", spec.duration_minutes);
  if (!spec.timezone.empty()) {
    cJSON_AddStringToObject(object, "timezone", spec.timezone.c_str());
  }
  cJSON_AddStringToObject(object, "agenda", spec.agenda.c_str());
  if (spec.default_password) {
    cJSON_AddTrueToObject(object, "default_password");
  } else {
    cJSON_AddStringToObject(object, "password", spec.password.c_str());
  }
  cJSON* settings = cJSON_AddObjectToObject(object, "settings");
  cJSON_AddTrueToObject(settings, "waiting_room");
  cJSON_AddFalseToObject(settings, "join_before_host");
  return PrintJson(object);
}

std::string MeetingPatchJson(const MeetingPatch& patch) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON* object = root.get();
  if (patch.topic)
    cJSON_AddStringToObject(object, "topic", patch.topic->c_str());
  if (patch.start_time) {
    cJSON_AddStringToObject(object, "start_time",
                            FormatRfc3339Utc(*patch.start_time).c_str());
  }
  if (patch.duration_minutes) {
    cJSON_AddNumberToObject(object, "duration", *patch.duration_minutes);
  }
  if (patch.timezone) {
    cJSON_AddStringToObject(object, "timezone", patch.timezone->c_str());
  }
  return PrintJson(object);
}

Status Garbled(const char* what, ZoomError* error) {
  // Zoom occasionally answers with a body that is not JSON: transient.
  error->no_answer = true;
  error->failure = ZoomFailure::kNoAnswer;
  error->message = std::string("unreadable answer to ") + what;
  return Status::Unavailable("zoom_no_answer", error->message);
}

// Fills a meeting from a create, get or list answer.
bool MeetingFromJson(const cJSON* object, ZoomMeeting* out) {
  if (!ZoomIdFromJson(cJSON_GetObjectItemCaseSensitive(object, "id"),
                      &out->id)) {
    return false;
  }
  out->host_id = JsonString(object, "host_id");
  out->topic = JsonString(object, "topic");
  out->agenda = JsonString(object, "agenda");
  out->timezone = JsonString(object, "timezone");
  out->join_url = JsonString(object, "join_url");
  out->start_url = JsonString(object, "start_url");
  out->password = JsonString(object, "password");
  out->status = JsonString(object, "status");
  out->duration_minutes = JsonInt(object, "duration");
  std::string start = JsonString(object, "start_time");
  out->start_time = 0;
  if (!start.empty() && !ParseRfc3339(start, &out->start_time).ok()) {
    return false;
  }
  return true;
}

// cpp-httplib's own percent-encoder (declared in httplib.h's split-build
// section): a user id or e-mail becomes one safe path segment.
// False when the user has no id (not a user).
bool UserFromJson(const cJSON* object, ZoomUser* out) {
  out->id = JsonString(object, "id");
  out->email = JsonString(object, "email");
  out->display_name = JsonString(object, "display_name");
  out->type = JsonInt(object, "type");
  out->status = JsonString(object, "status");
  return !out->id.empty();
}

std::string UserPath(const std::string& user) {
  return "/users/" + httplib::detail::encode_query_param(user);
}

}  // namespace

bool ZoomIdFromJson(const cJSON* item, std::string* out) {
  if (!cJSON_IsNumber(item)) return false;
  double value = item->valuedouble;
  if (value < 1 || value >= kMaxExactInteger || std::floor(value) != value) {
    return false;
  }
  *out = std::to_string(static_cast<int64_t>(value));
  return true;
}

void ParseZoomError(const HttpResponse& response, int64_t now,
                    ZoomError* error) {
  error->http_status = response.status;
  error->tracking_id = response.Header("x-zm-trackingid");
  CjsonPtr root(cJSON_Parse(response.body.c_str()));
  if (root) {
    error->zoom_code = JsonInt(root.get(), "code");
    error->message = JsonString(root.get(), "message");
    // Some endpoints (OAuth) answer {"reason","error"} instead.
    if (error->message.empty())
      error->message = JsonString(root.get(), "reason");
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item,
                       cJSON_GetObjectItemCaseSensitive(root.get(), "errors")) {
      std::string field = JsonString(item, "field");
      if (!field.empty()) error->error_fields.push_back(field);
    }
  }
  if (error->zoom_code == 4711 || error->zoom_code == 4700) {
    error->missing_scopes = ParseMissingScopes(error->message);
  }
  if (response.status == 429) ClassifyRateLimit(response, now, error);
}

namespace {

// The daily limit of a create's or update's host, checked at send time.
Status HeldByDailyLimit(int64_t until_micros, const std::string& host,
                        ZoomError* error) {
  error->not_sent = true;
  error->failure = ZoomFailure::kRateLimited;
  error->rate_limit = ZoomError::RateLimit::kDaily;
  error->retry_at = (until_micros + 999999) / 1000000;
  error->message = "not sent: Zoom user " + host +
                   " is held by Zoom's daily limit until " +
                   FormatRfc3339Utc(error->retry_at);
  return Status::Unavailable("zoom_rate_limited", error->message);
}

}  // namespace

Status ZoomApi::CallOnce(const Request& call, const std::string& token,
                         std::string* response_body, ZoomError* error) {
  if (options_.gate != nullptr) {
    options_.gate->WaitForSlot(call.category);
    const int64_t held = call.daily_host.empty()
                             ? 0
                             : options_.gate->HostPausedUntil(call.daily_host);
    if (held != 0) return HeldByDailyLimit(held, call.daily_host, error);
  }
  HttpRequest request;
  request.method = call.method;
  request.url = options_.api_base_url + call.path;
  request.headers.push_back({"Authorization", "Bearer " + token});
  if (!call.body.empty()) {
    request.headers.push_back({"Content-Type", "application/json"});
  }
  request.body = call.body;
  HttpResponse response;
  Status s = options_.transport->Send(request, &response);
  if (!s.ok()) {
    error->no_answer = true;
    error->failure = ZoomFailure::kNoAnswer;
    error->message = s.message();
    return Status::Unavailable("zoom_no_answer", s.message());
  }
  if (response.status >= 200 && response.status < 300) {
    *response_body = std::move(response.body);
    return Status::OK();
  }
  // A Retry-After in seconds counts from now, and retry_at holds whole
  // seconds: round now up, or a pause would end up to a second early.
  const int64_t now = (options_.clock->NowMicros() + 999999) / 1000000;
  ParseZoomError(response, now, error);
  if (response.status >= 500 || (response.status < 400)) {
    error->no_answer = response.status >= 500;
    error->failure = ZoomFailure::kNoAnswer;
    return Status::Unavailable(
        "zoom_no_answer",
        "Zoom answered HTTP " + std::to_string(response.status));
  }
  if (response.status == 429) {
    error->failure = ZoomFailure::kRateLimited;
    return Status::Unavailable("zoom_rate_limited", "Zoom rate limit reached");
  }
  error->failure = ZoomFailure::kRefused;
  return Status::InvalidArgument(
      "zoom_error", "Zoom refused " + call.method + " " + call.path +
                        ": HTTP " + std::to_string(response.status) + " code " +
                        std::to_string(error->zoom_code));
}

Status ZoomApi::Call(const Request& request, std::string* response_body,
                     ZoomError* error) {
  Status s = CallWithRetry(request, response_body, error);
  if (!s.ok() && (error->zoom_code == 4711 || error->zoom_code == 4700)) {
    error->missing_scopes = ScopesToAdd(error->missing_scopes, request.scope);
  }
  return s;
}

Status ZoomApi::CallWithRetry(const Request& request,
                              std::string* response_body, ZoomError* error) {
  std::string token;
  Status s = options_.tokens->GetToken(&token, &error->failure);
  if (!s.ok()) return s;
  s = CallOnce(request, token, response_body, error);
  if (s.ok()) return s;
  const bool expired = error->http_status == 401 && error->zoom_code == 124;
  const bool scope = (error->zoom_code == 4711 || error->zoom_code == 4700) &&
                     options_.tokens->MayPredateScopeFix(token);
  if (!expired && !scope) return s;
  // The token expired or was replaced, or was issued before a scope was
  // added: renew once and retry once.
  options_.tokens->Invalidate(token);
  s = options_.tokens->GetToken(&token, &error->failure);
  if (!s.ok()) return s;
  *error = ZoomError();
  return CallOnce(request, token, response_body, error);
}

Status ZoomApi::CreateMeeting(const std::string& host, const MeetingSpec& spec,
                              ZoomMeeting* out, ZoomError* error) {
  std::string body;
  Status s = Call({ZoomCategory::kMedium, "meeting:write:meeting:admin", "POST",
                   UserPath(host) + "/meetings", MeetingSpecJson(spec), host},
                  &body, error);
  if (!s.ok()) return s;
  CjsonPtr root(cJSON_Parse(body.c_str()));
  if (!root || !MeetingFromJson(root.get(), out)) {
    return Garbled("a meeting create", error);
  }
  return Status::OK();
}

Status ZoomApi::GetMeeting(const std::string& id, ZoomMeeting* out,
                           ZoomError* error) {
  std::string body;
  Status s = Call({ZoomCategory::kLight, "meeting:read:meeting:admin", "GET",
                   "/meetings/" + id, "", ""},
                  &body, error);
  if (!s.ok()) return s;
  CjsonPtr root(cJSON_Parse(body.c_str()));
  if (!root || !MeetingFromJson(root.get(), out)) {
    return Garbled("a meeting read", error);
  }
  return Status::OK();
}

Status ZoomApi::UpdateMeeting(const std::string& id, const MeetingPatch& patch,
                              const std::string& host, ZoomError* error) {
  if (patch.empty()) {
    return Status::Internal("empty_patch", "a PATCH that changes nothing");
  }
  std::string body;
  return Call({ZoomCategory::kLight, "meeting:update:meeting:admin", "PATCH",
               "/meetings/" + id, MeetingPatchJson(patch), host},
              &body, error);
}

Status ZoomApi::DeleteMeeting(const std::string& id, ZoomError* error) {
  std::string body;
  return Call({ZoomCategory::kLight, "meeting:delete:meeting:admin", "DELETE",
               "/meetings/" + id, "", ""},
              &body, error);
}

Status ZoomApi::ListAll(const std::string& path, const char* scope,
                        const char* items, const char* what,
                        const std::function<bool(const cJSON*)>& read,
                        ZoomError* error) {
  std::string page_token;
  for (int page = 0; page < kMaxListPages; ++page) {
    std::string target = path + "&page_size=300";
    if (!page_token.empty()) {
      target +=
          "&next_page_token=" + httplib::detail::encode_query_param(page_token);
    }
    std::string body;
    Status s = Call({ZoomCategory::kMedium, scope, "GET", target, "", ""},
                    &body, error);
    if (!s.ok()) return s;
    CjsonPtr root(cJSON_Parse(body.c_str()));
    const cJSON* list = cJSON_GetObjectItemCaseSensitive(root.get(), items);
    if (!root || !cJSON_IsArray(list)) return Garbled(what, error);
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item, list) {
      if (!read(item)) return Garbled(what, error);
    }
    page_token = JsonString(root.get(), "next_page_token");
    if (page_token.empty()) return Status::OK();
  }
  return Garbled((std::string(what) + " (too many pages)").c_str(), error);
}

Status ZoomApi::ListMeetings(const std::string& host,
                             std::vector<ZoomMeeting>* out, ZoomError* error) {
  out->clear();
  return ListAll(
      UserPath(host) + "/meetings?type=scheduled",
      "meeting:read:list_meetings:admin", "meetings", "a meeting list",
      [out](const cJSON* item) {
        ZoomMeeting meeting;
        if (!MeetingFromJson(item, &meeting)) return false;
        out->push_back(std::move(meeting));
        return true;
      },
      error);
}

Status ZoomApi::ListUsers(std::vector<ZoomUser>* out, ZoomError* error) {
  out->clear();
  return ListAll(
      "/users?status=active", "user:read:list_users:admin", "users",
      "a user list",
      [out](const cJSON* item) {
        ZoomUser user;
        if (!UserFromJson(item, &user)) return false;
        out->push_back(std::move(user));
        return true;
      },
      error);
}

Status ZoomApi::GetUser(const std::string& id_or_email, ZoomUser* out,
                        ZoomError* error) {
  std::string body;
  Status s = Call({ZoomCategory::kLight, "user:read:user:admin", "GET",
                   UserPath(id_or_email), "", ""},
                  &body, error);
  if (!s.ok()) return s;
  CjsonPtr root(cJSON_Parse(body.c_str()));
  if (!root || !UserFromJson(root.get(), out)) {
    return Garbled("a user read", error);
  }
  return Status::OK();
}

}  // namespace telemed
