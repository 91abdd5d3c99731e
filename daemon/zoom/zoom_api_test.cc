#include "zoom/zoom_api.h"

#include <CppUTest/TestHarness.h>

#include <deque>
#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/fake_clock.h"
#include "zoom/transport.h"

namespace telemed {

namespace {

// Answers requests from a script and records what was sent.
class ScriptedTransport final : public ZoomTransport {
 public:
  void Answer(int status, std::string body,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    script_.push_back(response);
  }
  void FailNext() { script_.push_back(HttpResponse()); }

  Status Send(const HttpRequest& request, HttpResponse* response) override {
    sent.push_back(request);
    if (script_.empty()) return Status::Unavailable("test", "script ran out");
    HttpResponse next = script_.front();
    script_.pop_front();
    if (next.status == 0)
      return Status::Unavailable("zoom_unreachable", "refused");
    *response = next;
    return Status::OK();
  }

  std::vector<HttpRequest> sent;

 private:
  std::deque<HttpResponse> script_;
};

class CountingTokens final : public TokenSource {
 public:
  Status GetToken(std::string* token, ZoomFailure* failure) override {
    *failure = refusal_kind;
    if (!refusal.ok()) return refusal;
    *token = "token-" + std::to_string(++issued);
    return Status::OK();
  }
  void Invalidate(const std::string& token) override { invalidated = token; }
  bool MayPredateScopeFix(const std::string&) override { return predates; }
  int issued = 0;
  bool predates = false;
  Status refusal;  // GetToken's answer when not OK, with its kind
  ZoomFailure refusal_kind = ZoomFailure::kNone;
  std::string invalidated;
};

// Paces nothing; holds the hosts in `held` by a daily limit.
class HoldingGate final : public RateGate {
 public:
  void WaitForSlot(ZoomCategory) override {}
  int64_t HostPausedUntil(const std::string& host) override {
    return host == held ? until_micros : 0;
  }
  std::string held;
  int64_t until_micros = 0;
};

constexpr char kCreated[] =
    R"({"id":81234567890,"topic":"Video visit","start_time":"2026-06-01T08:00:00Z",)"
    R"("duration":30,"timezone":"Europe/Berlin","agenda":"[tb:abc] x",)"
    R"("join_url":"https://zoom.example/j/81234567890?pwd=xyz",)"
    R"("start_url":"https://zoom.example/s/81234567890?zak=secret","password":"Ab3dEf7hIj"})";

}  // namespace

TEST_GROUP(ZoomApi) {
  FakeClock clock;
  ScriptedTransport transport;
  CountingTokens tokens;
  ZoomApi api{ZoomApi::Options{"https://api.zoom.test/v2", &transport, &tokens,
                               &clock}};
  ZoomError error;
};

TEST(ZoomApi, CreateSendsTheDocumentedBodyAndReadsTheInt64Id) {
  transport.Answer(201, kCreated);
  MeetingSpec spec;
  spec.topic = "Video visit";
  spec.start_time = 1780300800;  // 2026-06-01T08:00:00Z
  spec.duration_minutes = 30;
  spec.timezone = "Europe/Berlin";
  spec.agenda = "[tb:abc] x";
  spec.password = "Ab3dEf7hIj";
  ZoomMeeting meeting;
  CHECK_TRUE(
      api.CreateMeeting("dr@clinic.example", spec, &meeting, &error).ok());
  STRCMP_EQUAL("81234567890", meeting.id.c_str());
  STRCMP_EQUAL("Ab3dEf7hIj", meeting.password.c_str());
  LONGS_EQUAL(1780300800, meeting.start_time);
  const HttpRequest& sent = transport.sent.at(0);
  STRCMP_EQUAL("POST", sent.method.c_str());
  STRCMP_EQUAL("https://api.zoom.test/v2/users/dr%40clinic.example/meetings",
               sent.url.c_str());
  CHECK(sent.body.find(R"("start_time":"2026-06-01T08:00:00Z")") !=
        std::string::npos);
  CHECK(sent.body.find(R"("type":2)") != std::string::npos);
  CHECK(sent.body.find(R"("waiting_room":true)") != std::string::npos);
  CHECK(sent.body.find(R"("join_before_host":false)") != std::string::npos);
}

TEST(ZoomApi, AHostHeldByItsDailyLimitAtSendTimeGetsNoCreateOrUpdate) {
  HoldingGate gate;
  gate.held = "u1";
  gate.until_micros = int64_t{1780358400} * 1000000;  // 2026-06-02T00:00:00Z
  ZoomApi held{ZoomApi::Options{"https://api.zoom.test/v2", &transport, &tokens,
                                &clock, &gate}};
  ZoomMeeting meeting;
  Status s = held.CreateMeeting("u1", MeetingSpec(), &meeting, &error);
  STRCMP_EQUAL("zoom_rate_limited", s.reason().c_str());
  CHECK_TRUE(error.not_sent);
  CHECK(error.rate_limit == ZoomError::RateLimit::kDaily);
  LONGS_EQUAL(1780358400, error.retry_at);
  MeetingPatch patch;
  patch.duration_minutes = 45;
  error = ZoomError();
  CHECK_TRUE(error.rate_limit == ZoomError::RateLimit::kNone);
  CHECK_FALSE(held.UpdateMeeting("1", patch, "u1", &error).ok());
  CHECK_TRUE(error.not_sent);
  LONGS_EQUAL(0, transport.sent.size());
  // Reads, deletes and other hosts still go.
  transport.Answer(200, kCreated);
  transport.Answer(201, kCreated);
  CHECK_TRUE(held.GetMeeting("81234567890", &meeting, &error).ok());
  CHECK_TRUE(held.CreateMeeting("u2", MeetingSpec(), &meeting, &error).ok());
  LONGS_EQUAL(2, transport.sent.size());
}

TEST(ZoomApi, DefaultPasswordReplacesThePasscode) {
  transport.Answer(201, kCreated);
  MeetingSpec spec;
  spec.password = "never-sent";
  spec.default_password = true;
  ZoomMeeting meeting;
  CHECK_TRUE(api.CreateMeeting("u1", spec, &meeting, &error).ok());
  CHECK(transport.sent[0].body.find("never-sent") == std::string::npos);
  CHECK(transport.sent[0].body.find(R"("default_password":true)") !=
        std::string::npos);
}

TEST(ZoomApi, ExpiredTokenIsRenewedOnceAndTheCallRetriedOnce) {
  transport.Answer(401, R"({"code":124,"message":"Invalid access token."})");
  transport.Answer(204, "");
  CHECK_TRUE(api.DeleteMeeting("81234567890", &error).ok());
  STRCMP_EQUAL("token-1", tokens.invalidated.c_str());
  LONGS_EQUAL(2, tokens.issued);
  STRCMP_EQUAL("Bearer token-2", transport.sent[1].headers[0].second.c_str());
}

TEST(ZoomApi, SecondExpiredTokenIsNotRetriedAgain) {
  transport.Answer(401, R"({"code":124,"message":"Invalid access token."})");
  transport.Answer(401, R"({"code":124,"message":"Invalid access token."})");
  Status s = api.DeleteMeeting("1", &error);
  STRCMP_EQUAL("zoom_error", s.reason().c_str());
  LONGS_EQUAL(124, error.zoom_code);
  LONGS_EQUAL(2, transport.sent.size());
}

TEST(ZoomApi, AScopeErrorWithAnOldTokenIsRetriedOnceWithAFreshOne) {
  tokens.predates = true;
  transport.Answer(
      400,
      R"({"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:update:meeting:admin]"})");
  transport.Answer(
      400,
      R"({"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:update:meeting:admin]"})");
  MeetingPatch patch;
  patch.duration_minutes = 45;
  Status s = api.UpdateMeeting("1", patch, "", &error);
  STRCMP_EQUAL("zoom_error", s.reason().c_str());
  LONGS_EQUAL(2, transport.sent.size());
  STRCMP_EQUAL("token-1", tokens.invalidated.c_str());
  STRCMP_EQUAL("Bearer token-2", transport.sent[1].headers[0].second.c_str());
}

TEST(ZoomApi, AScopeErrorWithARecentTokenIsNotRetried) {
  transport.Answer(
      400,
      R"({"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:update:meeting:admin]"})");
  MeetingPatch patch;
  patch.duration_minutes = 45;
  CHECK_FALSE(api.UpdateMeeting("1", patch, "", &error).ok());
  LONGS_EQUAL(1, transport.sent.size());
  LONGS_EQUAL(1, tokens.issued);
}

TEST(ZoomApi, ZoomsAlternativeScopesBecomeTheOneS2sScope) {
  transport.Answer(
      400,
      R"({"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:write:meeting, meeting:write:meeting:admin, meeting:write:admin]"})");
  ZoomMeeting meeting;
  CHECK_FALSE(api.CreateMeeting("u1", MeetingSpec(), &meeting, &error).ok());
  LONGS_EQUAL(1, error.missing_scopes.size());
  STRCMP_EQUAL("meeting:write:meeting:admin", error.missing_scopes[0].c_str());
}

TEST(ZoomApi, AClassicScopeAloneNamesTheCallsOwnScope) {
  transport.Answer(
      400,
      R"({"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:write:admin]"})");
  CHECK_FALSE(api.DeleteMeeting("1", &error).ok());
  LONGS_EQUAL(1, error.missing_scopes.size());
  STRCMP_EQUAL("meeting:delete:meeting:admin", error.missing_scopes[0].c_str());
}

TEST(ZoomApi, MissingScopesAreListed) {
  transport.Answer(
      400,
      R"({"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:write:meeting:admin, user:read:user:admin]"})");
  ZoomMeeting meeting;
  CHECK_FALSE(api.CreateMeeting("u1", MeetingSpec(), &meeting, &error).ok());
  LONGS_EQUAL(2, error.missing_scopes.size());
  STRCMP_EQUAL("meeting:write:meeting:admin", error.missing_scopes[0].c_str());
  STRCMP_EQUAL("user:read:user:admin", error.missing_scopes[1].c_str());
  LONGS_EQUAL(1, transport.sent.size());
}

TEST(ZoomApi, PerSecondAndDaily429sAreTold) {
  transport.Answer(429, R"({"code":429,"message":"Too many requests"})",
                   {{"x-ratelimit-type", "QPS"}, {"retry-after", "2"}});
  Status s = api.DeleteMeeting("1", &error);
  STRCMP_EQUAL("zoom_rate_limited", s.reason().c_str());
  CHECK(error.rate_limit == ZoomError::RateLimit::kPerSecond);
  LONGS_EQUAL(clock.NowSeconds() + 2, error.retry_at);

  error = ZoomError();
  transport.Answer(429, R"({"code":429,"message":"daily"})",
                   {{"retry-after", "2026-01-02T00:00:00Z"}});
  api.DeleteMeeting("1", &error);
  CHECK(error.rate_limit == ZoomError::RateLimit::kDaily);
  LONGS_EQUAL(1767312000, error.retry_at);

  error = ZoomError();
  transport.Answer(429,
                   R"({"code":429,"message":"You have reached the maximum"})");
  api.DeleteMeeting("1", &error);
  CHECK(error.rate_limit == ZoomError::RateLimit::kUnspecified);
}

TEST(ZoomApi, ARetryAfterInSecondsNeverEndsEarly) {
  clock.AdvanceMicros(900000);  // x.9 s: x + 2 would be only 1.1 s away
  transport.Answer(429, R"({"code":429,"message":"Too many requests"})",
                   {{"x-ratelimit-type", "QPS"}, {"retry-after", "2"}});
  api.DeleteMeeting("1", &error);
  CHECK(error.retry_at * 1000000 >= clock.NowMicros() + 2000000);
  LONGS_EQUAL(clock.NowSeconds() + 3, error.retry_at);
}

TEST(ZoomApi, NoAnswerAndGarbageAreTransient) {
  transport.FailNext();
  Status s = api.DeleteMeeting("1", &error);
  STRCMP_EQUAL("zoom_no_answer", s.reason().c_str());
  CHECK_TRUE(error.no_answer);
  error = ZoomError();
  transport.Answer(201, "<html>oops</html>");
  ZoomMeeting meeting;
  s = api.CreateMeeting("u1", MeetingSpec(), &meeting, &error);
  STRCMP_EQUAL("zoom_no_answer", s.reason().c_str());
  error = ZoomError();
  transport.Answer(503, "busy");
  s = api.DeleteMeeting("1", &error);
  STRCMP_EQUAL("zoom_no_answer", s.reason().c_str());
  LONGS_EQUAL(503, error.http_status);
}

TEST(ZoomApi, PatchSendsOnlyChangedFieldsAndNeverAnEmptyOne) {
  MeetingPatch patch;
  CHECK_FALSE(api.UpdateMeeting("1", patch, "", &error).ok());
  LONGS_EQUAL(0, transport.sent.size());
  patch.duration_minutes = 45;
  transport.Answer(204, "");
  CHECK_TRUE(api.UpdateMeeting("1", patch, "", &error).ok());
  STRCMP_EQUAL(R"({"duration":45})", transport.sent[0].body.c_str());
}

TEST(ZoomApi, ListFollowsEveryPage) {
  transport.Answer(
      200,
      R"({"next_page_token":"p2","meetings":[{"id":11111111111,"agenda":"a"}]})");
  transport.Answer(
      200,
      R"({"next_page_token":"","meetings":[{"id":22222222222,"agenda":"b"}]})");
  std::vector<ZoomMeeting> meetings;
  CHECK_TRUE(api.ListMeetings("u1", &meetings, &error).ok());
  LONGS_EQUAL(2, meetings.size());
  STRCMP_EQUAL("22222222222", meetings[1].id.c_str());
  CHECK(transport.sent[1].url.find("next_page_token=p2") != std::string::npos);
}

TEST(ZoomApi, ListUsersFollowsEveryPageOfActiveUsers) {
  transport.Answer(
      200,
      R"({"next_page_token":"p2","users":[{"id":"u1","email":"a@x.example","display_name":"A"}]})");
  transport.Answer(200, R"({"next_page_token":"","users":[{"id":"u2"}]})");
  std::vector<ZoomUser> users;
  CHECK_TRUE(api.ListUsers(&users, &error).ok());
  LONGS_EQUAL(2, users.size());
  STRCMP_EQUAL("a@x.example", users[0].email.c_str());
  STRCMP_EQUAL("A", users[0].display_name.c_str());
  STRCMP_EQUAL("u2", users[1].id.c_str());
  CHECK(transport.sent[0].url.find("/users?status=active") !=
        std::string::npos);
  CHECK(transport.sent[1].url.find("next_page_token=p2") != std::string::npos);
}

TEST(ZoomApi, ListUsersRefusesAUserWithoutId) {
  transport.Answer(200, R"({"next_page_token":"","users":[{"email":"x"}]})");
  std::vector<ZoomUser> users;
  Status s = api.ListUsers(&users, &error);
  STRCMP_EQUAL("zoom_no_answer", s.reason().c_str());
}

TEST(ZoomApi, IdsMustBeWholeAndExact) {
  std::string id;
  cJSON* fraction = cJSON_CreateNumber(1.5);
  cJSON* huge = cJSON_CreateNumber(1e17);
  cJSON* text = cJSON_CreateString("123");
  CHECK_FALSE(ZoomIdFromJson(fraction, &id));
  CHECK_FALSE(ZoomIdFromJson(huge, &id));
  CHECK_FALSE(ZoomIdFromJson(text, &id));
  cJSON_Delete(fraction);
  cJSON_Delete(huge);
  cJSON_Delete(text);
}

TEST(ZoomApi, EveryFailureCarriesItsKind) {
  transport.FailNext();
  transport.Answer(503, "");
  transport.Answer(429, R"({"code":429,"message":"slow down"})");
  transport.Answer(404, R"({"code":3001,"message":"no such meeting"})");
  const ZoomFailure expected[] = {
      ZoomFailure::kNoAnswer, ZoomFailure::kNoAnswer, ZoomFailure::kRateLimited,
      ZoomFailure::kRefused};
  for (ZoomFailure kind : expected) {
    error = ZoomError();
    CHECK_FALSE(api.DeleteMeeting("1", &error).ok());
    CHECK(error.failure == kind);
  }
  // A token failure reaches the caller with the token source's kind.
  tokens.refusal = Status::Validation("zoom_not_configured", "no app");
  tokens.refusal_kind = ZoomFailure::kNotConfigured;
  error = ZoomError();
  STRCMP_EQUAL("zoom_not_configured",
               api.DeleteMeeting("1", &error).reason().c_str());
  CHECK(error.failure == ZoomFailure::kNotConfigured);
}

}  // namespace telemed
