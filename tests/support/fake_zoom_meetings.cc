// The meeting routes: POST /users/{userId}/meetings and GET, PATCH and
// DELETE /meetings/{meetingId}, with the answers and error codes of
// docs/zoom-notes.md and Zoom's OpenAPI description.
#include <cstdlib>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/time_format.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

constexpr int kDefaultDuration = 60;

Reply NotJsonObject() {
  return ErrorReply(400, 300, "Request Body should be a valid JSON object.");
}

Reply NoContent() {
  Reply reply;
  reply.status = 204;
  return reply;
}

// Zoom's join URLs carry the passcode encrypted, not in clear.
std::string EncryptedPassword(const FakeMeeting& meeting) {
  return Sha256Hex(meeting.password + ":" + std::to_string(meeting.id))
      .substr(0, 32);
}

void AddId(cJSON* json, int64_t id) {
  // Exact as a double below 2^53; cJSON prints whole numbers beyond int
  // range without an exponent up to 15 digits (checked by the tests).
  cJSON_AddNumberToObject(json, "id", static_cast<double>(id));
}

}  // namespace

std::string MeetingUuid(int64_t id) {
  return Sha256Hex(std::to_string(id)).substr(0, 22) + "==";
}

Reply FakeZoom::Impl::CreateMeeting(const std::string& user,
                                    const std::string& body) {
  Reply reply;
  const FakeUser* host = LookUpHost(user, &reply);
  if (host == nullptr) return reply;
  if (!AdmitDaily(host->id, Category::kMedium, &reply)) return reply;
  CjsonPtr json(cJSON_Parse(body.c_str()));
  if (!cJSON_IsObject(json.get())) return NotJsonObject();
  MeetingEdit edit;
  std::string error;
  if (!ParseMeetingEdit(json.get(), options_.timezones, &edit, &error)) {
    return ErrorReply(400, 300, error);
  }
  const int64_t now = options_.clock->NowMicros();
  FakeMeeting meeting;
  meeting.id = next_meeting_id_;
  meeting.host_id = host->id;
  meeting.topic = "Zoom Meeting";
  meeting.duration = kDefaultDuration;
  meeting.start_seconds = now / 1000000;
  meeting.start_time = FormatRfc3339Utc(meeting.start_seconds);
  meeting.settings_json = "{}";
  meeting.created_micros = now;
  if (!ApplyMeetingEdit(edit, host->policy, options_.timezones, &meeting,
                        &error)) {
    return ErrorReply(400, 300, error);
  }
  ++next_meeting_id_;
  CountDaily(host->id);
  meetings_[meeting.id] = meeting;
  return JsonReply(201, MeetingJson(meeting, false));
}

Reply FakeZoom::Impl::GetMeeting(const std::string& id) {
  Reply reply;
  const FakeMeeting* meeting = LookUpMeeting(id, &reply);
  if (meeting == nullptr) return reply;
  return JsonReply(200, MeetingJson(*meeting, true));
}

Reply FakeZoom::Impl::PatchMeeting(const std::string& id,
                                   const std::string& body) {
  Reply reply;
  FakeMeeting* meeting = LookUpMeeting(id, &reply);
  if (meeting == nullptr) return reply;
  if (meeting->status == MeetingStatus::kStarted) {
    return ErrorReply(400, 3000,
                      "Cannot update the meeting: it has already started.");
  }
  if (!AdmitDaily(meeting->host_id, Category::kLight, &reply)) return reply;
  CjsonPtr json(cJSON_Parse(body.c_str()));
  if (!cJSON_IsObject(json.get())) return NotJsonObject();
  MeetingEdit edit;
  std::string error;
  FakeMeeting next = *meeting;
  if (!ParseMeetingEdit(json.get(), options_.timezones, &edit, &error) ||
      !ApplyMeetingEdit(edit, PolicyOf(meeting->host_id), options_.timezones,
                        &next, &error)) {
    return ErrorReply(400, 300, error);
  }
  *meeting = next;
  CountDaily(meeting->host_id);
  return NoContent();
}

bool FakeZoom::Impl::IsNoOpPatch(const std::string& id,
                                 const std::string& body) {
  CjsonPtr json(cJSON_Parse(body.c_str()));
  if (!cJSON_IsObject(json.get()) || cJSON_GetArraySize(json.get()) == 0) {
    return true;
  }
  Reply ignored;
  const FakeMeeting* meeting = LookUpMeeting(id, &ignored);
  MeetingEdit edit;
  std::string error;
  if (meeting == nullptr ||
      !ParseMeetingEdit(json.get(), options_.timezones, &edit, &error)) {
    return false;
  }
  FakeMeeting next = *meeting;
  return ApplyMeetingEdit(edit, PolicyOf(meeting->host_id), options_.timezones,
                          &next, &error) &&
         SameMeeting(next, *meeting);
}

Reply FakeZoom::Impl::DeleteMeeting(const std::string& id) {
  Reply reply;
  const FakeMeeting* meeting = LookUpMeeting(id, &reply);
  if (meeting == nullptr) return reply;
  if (meeting->status == MeetingStatus::kStarted &&
      options_.refuse_delete_started) {
    return ErrorReply(400, 3002,
                      "Sorry, you cannot delete this meeting since it is in "
                      "progress.");
  }
  if (meeting->status == MeetingStatus::kEnded) {
    return ErrorReply(400, 3007,
                      "Sorry, you cannot delete this meeting since it has "
                      "ended.");
  }
  meetings_.erase(meeting->id);
  return NoContent();
}

const FakeUser* FakeZoom::Impl::LookUpHost(const std::string& user,
                                           Reply* reply) const {
  const FakeUser* host = FindUser(user);
  if (host == nullptr) {
    *reply = ErrorReply(404, 1001, "User does not exist: " + user + ".");
  } else if (!host->can_host) {
    *reply = ErrorReply(400, 3161,
                        "Meeting hosting and scheduling capabilities are "
                        "not allowed for your user account.");
    return nullptr;
  }
  return host;
}

FakeMeeting* FakeZoom::Impl::LookUpMeeting(const std::string& id,
                                           Reply* reply) {
  // The route's pattern admits digits only; more than 18 would overflow.
  auto it = id.size() <= 18
                ? meetings_.find(std::strtoll(id.c_str(), nullptr, 10))
                : meetings_.end();
  if (it != meetings_.end()) return &it->second;
  *reply =
      ErrorReply(404, 3001, "Meeting " + id + " is not found or has expired.");
  return nullptr;
}

PasscodePolicy FakeZoom::Impl::PolicyOf(const std::string& host_id) const {
  auto it = users_.find(host_id);
  return it == users_.end() ? PasscodePolicy() : it->second.policy;
}

std::string FakeZoom::Impl::JoinUrl(const FakeMeeting& meeting) const {
  std::string url = options_.web_url + "/j/" + std::to_string(meeting.id);
  if (!meeting.password.empty()) url += "?pwd=" + EncryptedPassword(meeting);
  return url;
}

CjsonPtr FakeZoom::Impl::MeetingJson(const FakeMeeting& meeting, bool fetched) {
  CjsonPtr json(cJSON_CreateObject());
  cJSON* root = json.get();
  AddId(root, meeting.id);
  if (fetched) {
    // uuid and host_id are reliable only in GET answers (docs/zoom-notes.md).
    cJSON_AddStringToObject(root, "uuid", MeetingUuid(meeting.id).c_str());
    cJSON_AddStringToObject(root, "host_id", meeting.host_id.c_str());
    cJSON_AddStringToObject(
        root, "status",
        meeting.status == MeetingStatus::kStarted ? "started" : "waiting");
    cJSON_AddStringToObject(root, "encrypted_password",
                            EncryptedPassword(meeting).c_str());
  }
  cJSON_AddStringToObject(root, "topic", meeting.topic.c_str());
  cJSON_AddNumberToObject(root, "type", 2);
  cJSON_AddStringToObject(root, "start_time", meeting.start_time.c_str());
  cJSON_AddNumberToObject(root, "duration", meeting.duration);
  if (!meeting.timezone.empty()) {
    cJSON_AddStringToObject(root, "timezone", meeting.timezone.c_str());
  }
  cJSON_AddStringToObject(root, "agenda", meeting.agenda.c_str());
  cJSON_AddStringToObject(
      root, "created_at",
      FormatRfc3339Utc(meeting.created_micros / 1000000).c_str());
  // A start URL lets its holder start the meeting as host, so Zoom issues
  // a fresh one on every read.
  const std::string start_url =
      options_.web_url + "/s/" + std::to_string(meeting.id) + "?zak=fz" +
      Sha256Hex(std::to_string(NextSerial())).substr(0, 24);
  cJSON_AddStringToObject(root, "start_url", start_url.c_str());
  cJSON_AddStringToObject(root, "join_url", JoinUrl(meeting).c_str());
  cJSON_AddStringToObject(root, "password", meeting.password.c_str());
  cJSON_AddItemToObject(root, "settings",
                        cJSON_Parse(meeting.settings_json.c_str()));
  return json;
}

}  // namespace test
}  // namespace telemed
