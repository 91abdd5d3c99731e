// The user routes and the paginated listings: GET /users/{id-or-email},
// GET /users and GET /users/{userId}/meetings.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/time_format.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

constexpr int kMaxPageSize = 300;
constexpr int64_t kCursorLifetimeMicros = 15 * 60 * 1000000LL;
// Listings cut agendas (docs/zoom-notes.md); the bridge's marker must fit.
constexpr size_t kListedAgenda = 250;

// Meeting ids padded so that text order is numeric order.
std::string KeyOf(int64_t id) {
  char key[24];
  std::snprintf(key, sizeof key, "%020lld", static_cast<long long>(id));
  return key;
}

// The page_size parameter, left alone when absent; false when it is not a
// positive number.
bool ReadPageSize(const httplib::Request& request, int* page_size) {
  if (!request.has_param("page_size")) return true;
  const std::string text = request.get_param_value("page_size");
  char* end = nullptr;
  const long size = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || size < 1) return false;
  // Zoom serves at most 300 a page rather than refusing a larger ask.
  *page_size = static_cast<int>(std::min<long>(size, kMaxPageSize));
  return true;
}

CjsonPtr UserJson(const FakeUser& user, const std::string& account_id) {
  CjsonPtr json(cJSON_CreateObject());
  cJSON* root = json.get();
  cJSON_AddStringToObject(root, "id", user.id.c_str());
  cJSON_AddStringToObject(root, "email", user.email.c_str());
  cJSON_AddStringToObject(root, "first_name", "Fake");
  cJSON_AddStringToObject(root, "last_name", user.id.c_str());
  cJSON_AddStringToObject(root, "display_name", ("Fake " + user.id).c_str());
  cJSON_AddNumberToObject(root, "type", 2);  // licensed
  cJSON_AddStringToObject(root, "status", "active");
  cJSON_AddStringToObject(root, "account_id", account_id.c_str());
  cJSON_AddStringToObject(root, "timezone", "UTC");
  return json;
}

// Which meetings a `type` of the listing shows; false for an unknown type.
bool Shows(const std::string& type, const FakeMeeting& meeting,
           int64_t now_seconds, bool* shown) {
  const bool over = meeting.status == MeetingStatus::kEnded ||
                    meeting.start_seconds + meeting.duration * 60 < now_seconds;
  if (type == "scheduled") {
    *shown = true;
  } else if (type == "upcoming" || type == "upcoming_meetings") {
    *shown = !over;
  } else if (type == "live") {
    *shown = meeting.status == MeetingStatus::kStarted;
  } else if (type == "previous_meetings") {
    *shown = over;
  } else {
    return false;
  }
  return true;
}

CjsonPtr ListedMeetingJson(const FakeMeeting& meeting,
                           const std::string& join_url) {
  CjsonPtr json(cJSON_CreateObject());
  cJSON* root = json.get();
  cJSON_AddStringToObject(root, "uuid", MeetingUuid(meeting.id).c_str());
  cJSON_AddNumberToObject(root, "id", static_cast<double>(meeting.id));
  cJSON_AddStringToObject(root, "host_id", meeting.host_id.c_str());
  cJSON_AddStringToObject(root, "topic", meeting.topic.c_str());
  cJSON_AddNumberToObject(root, "type", 2);
  cJSON_AddStringToObject(root, "start_time", meeting.start_time.c_str());
  cJSON_AddNumberToObject(root, "duration", meeting.duration);
  cJSON_AddStringToObject(root, "timezone", meeting.timezone.c_str());
  cJSON_AddStringToObject(root, "agenda",
                          CutUtf8(meeting.agenda, kListedAgenda).c_str());
  cJSON_AddStringToObject(
      root, "created_at",
      FormatRfc3339Utc(meeting.created_micros / 1000000).c_str());
  cJSON_AddStringToObject(root, "join_url", join_url.c_str());
  return json;
}

// The listing's envelope; `items` are added by the caller under `name`.
CjsonPtr PageJson(const Page& page, size_t total, const char* name,
                  cJSON** items) {
  CjsonPtr json(cJSON_CreateObject());
  cJSON_AddNumberToObject(json.get(), "page_size", page.page_size);
  cJSON_AddNumberToObject(json.get(), "total_records",
                          static_cast<double>(total));
  cJSON_AddStringToObject(json.get(), "next_page_token",
                          page.next_token.c_str());
  *items = cJSON_AddArrayToObject(json.get(), name);
  return json;
}

}  // namespace

Reply FakeZoom::Impl::GetUser(const std::string& id_or_email) {
  const FakeUser* user = FindUser(id_or_email);
  if (user == nullptr) {
    return ErrorReply(404, 1001, "User does not exist: " + id_or_email + ".");
  }
  return JsonReply(200, UserJson(*user, options_.account_id));
}

Reply FakeZoom::Impl::ListUsers(const httplib::Request& request) {
  // Every fake user is active, so other status filters list nobody.
  const std::string status = request.has_param("status")
                                 ? request.get_param_value("status")
                                 : "active";
  std::vector<std::string> keys;
  if (status == "active") {
    for (const auto& user : users_) keys.push_back(user.first);
  }
  Page page;
  Reply reply;
  if (!Paginate("users/" + status, request, keys, &page, &reply)) {
    return reply;
  }
  cJSON* items = nullptr;
  CjsonPtr json = PageJson(page, keys.size(), "users", &items);
  for (size_t i = page.begin; i < page.end; ++i) {
    cJSON_AddItemToArray(
        items, UserJson(users_.at(keys[i]), options_.account_id).release());
  }
  return JsonReply(200, std::move(json));
}

Reply FakeZoom::Impl::ListMeetings(const std::string& user,
                                   const httplib::Request& request) {
  Reply reply;
  const FakeUser* host = LookUpHost(user, &reply);
  if (host == nullptr) return reply;
  const std::string type =
      request.has_param("type") ? request.get_param_value("type") : "scheduled";
  const int64_t now = options_.clock->NowSeconds();
  std::vector<std::string> keys;
  for (const auto& entry : meetings_) {
    bool shown = false;
    if (!Shows(type, entry.second, now, &shown)) {
      return ErrorReply(400, 300, "Invalid field: type.");
    }
    if (shown && entry.second.host_id == host->id) {
      keys.push_back(KeyOf(entry.first));
    }
  }
  Page page;
  if (!Paginate("meetings/" + host->id + "/" + type, request, keys, &page,
                &reply)) {
    return reply;
  }
  cJSON* items = nullptr;
  CjsonPtr json = PageJson(page, keys.size(), "meetings", &items);
  for (size_t i = page.begin; i < page.end; ++i) {
    const FakeMeeting& meeting = meetings_.at(std::atoll(keys[i].c_str()));
    cJSON_AddItemToArray(
        items, ListedMeetingJson(meeting, JoinUrl(meeting)).release());
  }
  return JsonReply(200, std::move(json));
}

bool FakeZoom::Impl::Paginate(const std::string& listing,
                              const httplib::Request& request,
                              const std::vector<std::string>& keys, Page* page,
                              Reply* reply) {
  if (!ReadPageSize(request, &page->page_size)) {
    *reply = ErrorReply(400, 300, "Invalid field: page_size.");
    return false;
  }
  const int64_t now = options_.clock->NowMicros();
  const std::string token = request.get_param_value("next_page_token");
  if (!token.empty()) {
    auto it = cursors_.find(token);
    if (it == cursors_.end() || it->second.listing != listing ||
        now >= it->second.expires_micros) {
      *reply = ErrorReply(400, 300, "Invalid next_page_token.");
      return false;
    }
    // Resuming after the last key sent keeps each item on one page even
    // when items come or go between pages.
    page->begin =
        std::upper_bound(keys.begin(), keys.end(), it->second.last_key) -
        keys.begin();
  }
  page->end = std::min(keys.size(), page->begin + page->page_size);
  if (page->end < keys.size()) {
    page->next_token =
        "fzp" + Sha256Hex(std::to_string(NextSerial())).substr(0, 29);
    cursors_[page->next_token] =
        PageCursor{listing, keys[page->end - 1], now + kCursorLifetimeMicros};
  }
  return true;
}

}  // namespace test
}  // namespace telemed
