// FakeZoom over real HTTP on 127.0.0.1: the token endpoint, bearer and
// scope checks, users, and meeting create/get/patch/delete as
// docs/zoom-notes.md describes them.
#include "support/fake_zoom.h"

#include <httplib.h>

#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "unit/fake_zoom_testutil.h"

namespace telemed {
namespace test {

namespace {

constexpr char kMeetings[] = "/v2/users/u1/meetings";

std::string MeetingPath(int64_t id) {
  return "/v2/meetings/" + std::to_string(id);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_GROUP_BASE(FakeZoomOauth, FakeZoomFixture){};

TEST(FakeZoomOauth, IssuesBearerTokenForFormCredentials) {
  Answer answer = zoom->RequestToken();
  LONGS_EQUAL(200, answer.status);
  STRCMP_EQUAL("bearer", Field(answer.body, "token_type").c_str());
  STRCMP_EQUAL("3599", Field(answer.body, "expires_in").c_str());
  STRCMP_EQUAL("https://api.zoom.us", Field(answer.body, "api_url").c_str());
  const std::string scope = Field(answer.body, "scope");
  CHECK(Contains(scope, "meeting:write:meeting:admin "));
  CHECK(Contains(scope, " user:read:list_users:admin"));
  CHECK(!Field(answer.body, "access_token").empty());
}

TEST(FakeZoomOauth, RefusesWrongSecretAsInvalidClient) {
  Answer answer = zoom->RequestToken("fake-client-id", "wrong");
  LONGS_EQUAL(400, answer.status);
  STRCMP_EQUAL("invalid_client", Field(answer.body, "error").c_str());
  STRCMP_EQUAL("Invalid client_id or client_secret",
               Field(answer.body, "reason").c_str());
}

TEST(FakeZoomOauth, RefusesUnknownAccount) {
  Answer answer =
      zoom->RequestToken("fake-client-id", GeneratedS2sClientSecret(), "other");
  LONGS_EQUAL(400, answer.status);
  STRCMP_EQUAL("invalid_request", Field(answer.body, "error").c_str());
  STRCMP_EQUAL("Account does not exist", Field(answer.body, "reason").c_str());
}

TEST(FakeZoomOauth, RefusesJsonBody) {
  httplib::Headers headers = {httplib::make_basic_authentication_header(
      "fake-client-id", GeneratedS2sClientSecret())};
  Answer answer = ToAnswer(zoom->client().Post(
      "/oauth/token", headers,
      R"({"grant_type":"account_credentials","account_id":"fake-account-id"})",
      "application/json"));
  LONGS_EQUAL(400, answer.status);
  STRCMP_EQUAL("unsupported_grant_type", Field(answer.body, "error").c_str());
}

TEST(FakeZoomOauth, MissingOrUnknownTokenIs401Code124) {
  Answer none = ToAnswer(zoom->client().Get("/v2/users/u1"));
  LONGS_EQUAL(401, none.status);
  LONGS_EQUAL(124, ZoomCode(none.body));
  zoom->SetToken("not-a-token");
  Answer unknown = zoom->Send("GET", "/v2/users/u1");
  LONGS_EQUAL(401, unknown.status);
  LONGS_EQUAL(124, ZoomCode(unknown.body));
}

TEST(FakeZoomOauth, TokenExpiresAfterItsLifetimeOnTheInjectedClock) {
  zoom->Authenticate();
  clock.AdvanceSeconds(3598);
  LONGS_EQUAL(200, zoom->Send("GET", "/v2/users/u1").status);
  clock.AdvanceSeconds(1);
  Answer expired = zoom->Send("GET", "/v2/users/u1");
  LONGS_EQUAL(401, expired.status);
  LONGS_EQUAL(124, ZoomCode(expired.body));
  zoom->Authenticate();
  LONGS_EQUAL(200, zoom->Send("GET", "/v2/users/u1").status);
}

TEST(FakeZoomOauth, ExpireAllTokensKillsIssuedTokens) {
  zoom->Authenticate();
  zoom->zoom().ExpireAllTokens();
  Answer answer = zoom->Send("GET", "/v2/users/u1");
  LONGS_EQUAL(401, answer.status);
  LONGS_EQUAL(124, ZoomCode(answer.body));
}

TEST(FakeZoomOauth, TokenLackingTheRouteScopeGets4711NamingIt) {
  zoom->zoom().SetGrantedScopes({"meeting:read:meeting:admin"});
  zoom->Authenticate();
  Answer answer = zoom->Send("POST", kMeetings, R"({"password":"a1"})");
  LONGS_EQUAL(400, answer.status);
  LONGS_EQUAL(4711, ZoomCode(answer.body));
  STRCMP_EQUAL(
      "Invalid access token, does not contain "
      "scopes:[meeting:write:meeting, meeting:write:meeting:admin, "
      "meeting:write:admin]",
      Field(answer.body, "message").c_str());
  STRCMP_EQUAL("meeting:read:meeting:admin",
               Field(zoom->RequestToken().body, "scope").c_str());
}

TEST(FakeZoomOauth, IssuedTokensKeepTheirScopes) {
  zoom->Authenticate();
  zoom->zoom().SetGrantedScopes({});
  CHECK(zoom->Create("u1") > 0);
}

TEST(FakeZoomOauth, ClassicScopesGrantTheirGranularRoutes) {
  zoom->zoom().SetGrantedScopes({"meeting:write:admin"});
  zoom->Authenticate();
  const int64_t id = zoom->Create("u1");
  CHECK(id > 0);
  LONGS_EQUAL(204, zoom->Send("DELETE", MeetingPath(id)).status);
  LONGS_EQUAL(4711, ZoomCode(zoom->Send("GET", "/v2/users/u1").body));
}

TEST(FakeZoomOauth, RotatedCredentialsRefuseTheOldSecret) {
  zoom->Authenticate();
  zoom->zoom().RotateCredentials("new-id", "new-secret");
  STRCMP_EQUAL("invalid_client",
               Field(zoom->RequestToken().body, "error").c_str());
  LONGS_EQUAL(200, zoom->RequestToken("new-id", "new-secret").status);
  LONGS_EQUAL(200, zoom->Send("GET", "/v2/users/u1").status);
}

TEST_GROUP_BASE(FakeZoomUsers, FakeZoomFixture){};

TEST(FakeZoomUsers, FindsUserByIdOrEmail) {
  Answer by_id = zoom->Send("GET", "/v2/users/u1");
  LONGS_EQUAL(200, by_id.status);
  STRCMP_EQUAL("doc1@clinic.test", Field(by_id.body, "email").c_str());
  STRCMP_EQUAL("fake-account-id", Field(by_id.body, "account_id").c_str());
  Answer by_email = zoom->Send("GET", "/v2/users/DOC2@clinic.test");
  LONGS_EQUAL(200, by_email.status);
  STRCMP_EQUAL("u2", Field(by_email.body, "id").c_str());
}

TEST(FakeZoomUsers, UnknownUserIs404Code1001) {
  Answer answer = zoom->Send("GET", "/v2/users/nobody@clinic.test");
  LONGS_EQUAL(404, answer.status);
  LONGS_EQUAL(1001, ZoomCode(answer.body));
}

TEST(FakeZoomUsers, ListsActiveUsersInPages) {
  zoom->zoom().AddUser("u3", "doc3@clinic.test");
  Answer first = zoom->Send("GET", "/v2/users?status=active&page_size=2");
  LONGS_EQUAL(200, first.status);
  STRCMP_EQUAL("3", Field(first.body, "total_records").c_str());
  CHECK(Contains(Field(first.body, "users"), "\"u2\""));
  const std::string token = Field(first.body, "next_page_token");
  Answer second = zoom->Send(
      "GET", "/v2/users?status=active&page_size=2&next_page_token=" + token);
  CHECK(Contains(Field(second.body, "users"), "\"u3\""));
  STRCMP_EQUAL("", Field(second.body, "next_page_token").c_str());
}

TEST(FakeZoomUsers, UnknownApiPathGetsJson404) {
  Answer answer = zoom->Send("GET", "/v2/webinars/1");
  LONGS_EQUAL(404, answer.status);
  CHECK(ZoomCode(answer.body) > 0);
}

TEST_GROUP_BASE(FakeZoomMeetings, FakeZoomFixture){
    Answer CreateWith(const std::string& body, const char* user = "u1"){
        return zoom->Send("POST",
                          std::string("/v2/users/") + user + "/meetings", body);
}  // namespace test
};  // namespace telemed

TEST(FakeZoomMeetings, CreateAnswers201WithAnInt64IdPrintedWhole) {
  Answer answer = CreateWith(
      R"({"topic":"Video visit","type":2,"start_time":"2026-06-01T10:00:00Z",)"
      R"("duration":30,"timezone":"Europe/Berlin","agenda":"[m:ab] Visit",)"
      R"("password":"Ab3xYz9","settings":{"waiting_room":true}})");
  LONGS_EQUAL(201, answer.status);
  CHECK(Contains(answer.body, "\"id\":81234567890,"));
  STRCMP_EQUAL("Video visit", Field(answer.body, "topic").c_str());
  STRCMP_EQUAL("2026-06-01T10:00:00Z",
               Field(answer.body, "start_time").c_str());
  STRCMP_EQUAL("30", Field(answer.body, "duration").c_str());
  STRCMP_EQUAL("Europe/Berlin", Field(answer.body, "timezone").c_str());
  STRCMP_EQUAL("[m:ab] Visit", Field(answer.body, "agenda").c_str());
  STRCMP_EQUAL("Ab3xYz9", Field(answer.body, "password").c_str());
  CHECK(Contains(Field(answer.body, "join_url"), "/j/81234567890?pwd="));
  CHECK(Contains(Field(answer.body, "start_url"), "/s/81234567890?zak="));
  CHECK(Contains(Field(answer.body, "settings"), "\"waiting_room\":true"));
  STRCMP_EQUAL("<absent>", Field(answer.body, "host_id").c_str());
}

TEST(FakeZoomMeetings, CreateRecordsTheMeetingUnderTheUsersId) {
  Answer answer = CreateWith(
      R"({"topic":"T","password":"abc123","start_time":"2026-06-01T10:00:00Z"})",
      "doc2@clinic.test");
  LONGS_EQUAL(201, answer.status);
  FakeMeeting meeting;
  CHECK_TRUE(zoom->zoom().FindMeeting(MeetingId(answer.body), &meeting));
  STRCMP_EQUAL("u2", meeting.host_id.c_str());
  STRCMP_EQUAL("abc123", meeting.password.c_str());
  LONGS_EQUAL(1, zoom->zoom().Meetings().size());
}

TEST(FakeZoomMeetings, StartTimeWithoutZIsLocalTimeInTheTimezone) {
  Answer answer =
      CreateWith(R"({"password":"abc123","start_time":"2026-06-01T10:00:00",)"
                 R"("timezone":"Europe/Berlin"})");
  STRCMP_EQUAL("2026-06-01T09:00:00Z",
               Field(answer.body, "start_time").c_str());
}

TEST(FakeZoomMeetings, RefusesPasswordsZoomCannotTakeWithCode300) {
  Answer too_long = CreateWith(R"({"password":"abcdefghijk"})");
  LONGS_EQUAL(400, too_long.status);
  LONGS_EQUAL(300, ZoomCode(too_long.body));
  Answer bad_char = CreateWith(R"({"password":"abc!12"})");
  LONGS_EQUAL(300, ZoomCode(bad_char.body));
  LONGS_EQUAL(201, CreateWith(R"({"password":"a@-_*Z9"})").status);
}

TEST(FakeZoomMeetings, PasscodePolicyRefusesThenDefaultPasswordComplies) {
  PasscodePolicy policy;
  policy.min_length = 8;
  policy.require_letter = true;
  policy.require_digit = true;
  CHECK_TRUE(zoom->zoom().SetPasscodePolicy("u1", policy));
  Answer refused = CreateWith(R"({"password":"12345678"})");
  LONGS_EQUAL(400, refused.status);
  LONGS_EQUAL(300, ZoomCode(refused.body));
  Answer generated = CreateWith(R"({"default_password":true})");
  LONGS_EQUAL(201, generated.status);
  const std::string password = Field(generated.body, "password");
  CHECK(password.size() >= 8 && password.size() <= 10);
  CHECK(password.find_first_of("0123456789") != std::string::npos);
  CHECK(password.find_first_not_of("0123456789") != std::string::npos);
}

TEST(FakeZoomMeetings, UnknownTimezoneIsCode300) {
  Answer answer =
      CreateWith(R"({"password":"abc123","timezone":"Mars/Olympus"})");
  LONGS_EQUAL(400, answer.status);
  LONGS_EQUAL(300, ZoomCode(answer.body));
}

TEST(FakeZoomMeetings, RefusesAMeetingWithoutAnySecurityOption) {
  Answer answer = CreateWith(R"({"topic":"open door"})");
  LONGS_EQUAL(400, answer.status);
  LONGS_EQUAL(300, ZoomCode(answer.body));
  LONGS_EQUAL(0, zoom->zoom().Meetings().size());
}

TEST(FakeZoomMeetings, WaitingRoomTurnsJoinBeforeHostOff) {
  Answer answer = CreateWith(
      R"({"settings":{"waiting_room":true,"join_before_host":true}})");
  CHECK(Contains(Field(answer.body, "settings"), "\"join_before_host\":false"));
}

TEST(FakeZoomMeetings, UserWhoMayNotHostGets3161AndUnknownUser1001) {
  zoom->zoom().AddUser("u9", "nurse@clinic.test", false);
  Answer cannot = CreateWith(R"({"password":"abc123"})", "u9");
  LONGS_EQUAL(400, cannot.status);
  LONGS_EQUAL(3161, ZoomCode(cannot.body));
  Answer unknown = CreateWith(R"({"password":"abc123"})", "ghost");
  LONGS_EQUAL(404, unknown.status);
  LONGS_EQUAL(1001, ZoomCode(unknown.body));
}

TEST(FakeZoomMeetings, NonObjectBodyIsCode300) {
  Answer answer = CreateWith("[1,2]");
  LONGS_EQUAL(400, answer.status);
  LONGS_EQUAL(300, ZoomCode(answer.body));
}

TEST(FakeZoomMeetings, GetReportsStatusAndAFreshStartUrl) {
  const int64_t id = zoom->Create("u1");
  Answer first = zoom->Send("GET", MeetingPath(id));
  LONGS_EQUAL(200, first.status);
  STRCMP_EQUAL("waiting", Field(first.body, "status").c_str());
  STRCMP_EQUAL("u1", Field(first.body, "host_id").c_str());
  CHECK(!Field(first.body, "uuid").empty());
  Answer second = zoom->Send("GET", MeetingPath(id));
  CHECK(Field(first.body, "start_url") != Field(second.body, "start_url"));
  CHECK_TRUE(zoom->zoom().SetMeetingStatus(id, MeetingStatus::kStarted));
  STRCMP_EQUAL(
      "started",
      Field(zoom->Send("GET", MeetingPath(id)).body, "status").c_str());
}

TEST(FakeZoomMeetings, GetOfUnknownMeetingIs404Code3001) {
  Answer answer = zoom->Send("GET", MeetingPath(99999999999));
  LONGS_EQUAL(404, answer.status);
  LONGS_EQUAL(3001, ZoomCode(answer.body));
}

TEST(FakeZoomMeetings, PatchChangesOnlyTheGivenFieldsAndAnswers204Empty) {
  const int64_t id = zoom->Create("u1");
  Answer answer = zoom->Send("PATCH", MeetingPath(id),
                             R"({"start_time":"2026-06-02T08:30:00Z"})");
  LONGS_EQUAL(204, answer.status);
  STRCMP_EQUAL("", answer.body.c_str());
  FakeMeeting meeting;
  CHECK_TRUE(zoom->zoom().FindMeeting(id, &meeting));
  STRCMP_EQUAL("2026-06-02T08:30:00Z", meeting.start_time.c_str());
  STRCMP_EQUAL("Video visit", meeting.topic.c_str());
  LONGS_EQUAL(30, meeting.duration);
  STRCMP_EQUAL("Ab3xYz9", meeting.password.c_str());
}

TEST(FakeZoomMeetings, PatchOfStartedMeetingIs3000AndOfUnknown3001) {
  const int64_t id = zoom->Create("u1");
  zoom->zoom().SetMeetingStatus(id, MeetingStatus::kStarted);
  Answer started = zoom->Send("PATCH", MeetingPath(id), R"({"duration":45})");
  LONGS_EQUAL(400, started.status);
  LONGS_EQUAL(3000, ZoomCode(started.body));
  Answer unknown =
      zoom->Send("PATCH", MeetingPath(id + 1), R"({"duration":5})");
  LONGS_EQUAL(404, unknown.status);
  LONGS_EQUAL(3001, ZoomCode(unknown.body));
}

TEST(FakeZoomMeetings, CountsPatchesThatChangeNothing) {
  const int64_t id = zoom->Create("u1");
  zoom->Send("PATCH", MeetingPath(id), "{}");
  zoom->Send("PATCH", MeetingPath(id), "");
  zoom->Send("PATCH", MeetingPath(id),
             R"({"duration":30,"topic":"Video visit"})");
  LONGS_EQUAL(3, zoom->zoom().CountNoOpPatches());
  zoom->Send("PATCH", MeetingPath(id), R"({"duration":31})");
  zoom->Send("PATCH", MeetingPath(id),
             R"({"settings":{"waiting_room":false},)"
             R"("password":"x1"})");
  LONGS_EQUAL(3, zoom->zoom().CountNoOpPatches());
}

TEST(FakeZoomMeetings, DeleteAnswers204ThenTheMeetingIsGone3001) {
  const int64_t id = zoom->Create("u1");
  Answer deleted = zoom->Send("DELETE", MeetingPath(id));
  LONGS_EQUAL(204, deleted.status);
  STRCMP_EQUAL("", deleted.body.c_str());
  Answer again = zoom->Send("DELETE", MeetingPath(id));
  LONGS_EQUAL(404, again.status);
  LONGS_EQUAL(3001, ZoomCode(again.body));
}

TEST(FakeZoomMeetings, DeleteRefusesStartedWith3002AndEndedWith3007) {
  const int64_t started = zoom->Create("u1");
  const int64_t ended = zoom->Create("u1");
  zoom->zoom().SetMeetingStatus(started, MeetingStatus::kStarted);
  zoom->zoom().SetMeetingStatus(ended, MeetingStatus::kEnded);
  LONGS_EQUAL(3002, ZoomCode(zoom->Send("DELETE", MeetingPath(started)).body));
  LONGS_EQUAL(3007, ZoomCode(zoom->Send("DELETE", MeetingPath(ended)).body));
  LONGS_EQUAL(2, zoom->zoom().Meetings().size());
}

TEST(FakeZoomMeetings, DeleteOfStartedMeetingCanBeAllowed) {
  FakeZoom::Options options;
  options.refuse_delete_started = false;
  zoom = std::make_unique<ZoomTestServer>(&clock, options);
  const int64_t id = zoom->Create("u1");
  zoom->zoom().SetMeetingStatus(id, MeetingStatus::kStarted);
  LONGS_EQUAL(204, zoom->Send("DELETE", MeetingPath(id)).status);
}

TEST(FakeZoomMeetings, ChangesBehindTheBridgesBackShowInGet) {
  const int64_t moved = zoom->Create("u1");
  const int64_t gone = zoom->Create("u1");
  CHECK_TRUE(
      zoom->zoom().ChangeMeetingOnZoom(moved, "2026-07-01T12:00:00Z", 90));
  CHECK_TRUE(zoom->zoom().DeleteMeetingBehindTheBridgesBack(gone));
  Answer answer = zoom->Send("GET", MeetingPath(moved));
  STRCMP_EQUAL("2026-07-01T12:00:00Z",
               Field(answer.body, "start_time").c_str());
  STRCMP_EQUAL("90", Field(answer.body, "duration").c_str());
  LONGS_EQUAL(3001, ZoomCode(zoom->Send("GET", MeetingPath(gone)).body));
  CHECK_FALSE(zoom->zoom().DeleteMeetingBehindTheBridgesBack(gone));
}

}  // namespace test
}  // namespace telemed
