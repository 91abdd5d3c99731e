// FakeZoom's rate limits and listings over real HTTP: per-second budgets
// per category, the per-host daily allowance and its 00:00 UTC reset on a
// FakeClock, pagination and the agenda cut of listings.
#include <cJSON.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/cjson.h"
#include "base/fake_clock.h"
#include "support/fake_zoom.h"
#include "unit/fake_zoom_testutil.h"

namespace telemed {
namespace test {

namespace {

std::string MeetingPath(int64_t id) {
  return "/v2/meetings/" + std::to_string(id);
}

// The ids and agendas of a listing page.
struct Listed {
  std::vector<int64_t> ids;
  std::vector<std::string> agendas;
};

Listed ReadListing(const std::string& body) {
  Listed listed;
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* meetings =
      cJSON_GetObjectItemCaseSensitive(root.get(), "meetings");
  const cJSON* meeting = nullptr;
  cJSON_ArrayForEach(meeting, meetings) {
    const cJSON* id = cJSON_GetObjectItemCaseSensitive(meeting, "id");
    const cJSON* agenda = cJSON_GetObjectItemCaseSensitive(meeting, "agenda");
    listed.ids.push_back(static_cast<int64_t>(id->valuedouble));
    listed.agendas.push_back(agenda->valuestring);
  }
  return listed;
}

}  // namespace

TEST_GROUP(FakeZoomPerSecondLimits) {
  FakeClock clock;
  std::unique_ptr<ZoomTestServer> zoom;
  void Start(RetryAfterFormat format) {
    FakeZoom::Options options;
    options.light_per_second = 3;
    options.medium_per_second = 2;
    options.qps_retry_after = format;
    zoom = std::make_unique<ZoomTestServer>(&clock, options);
    zoom->Authenticate();
  }
};

TEST(FakeZoomPerSecondLimits, MediumBudgetGives429WithQpsHeaders) {
  Start(RetryAfterFormat::kSeconds);
  CHECK(zoom->Create("u1") > 0);
  CHECK(zoom->Create("u2") > 0);
  Answer over =
      zoom->Send("POST", "/v2/users/u1/meetings", R"({"password":"abc123"})");
  LONGS_EQUAL(429, over.status);
  LONGS_EQUAL(429, ZoomCode(over.body));
  STRCMP_EQUAL("1", over.Header("Retry-After").c_str());
  STRCMP_EQUAL("QPS", over.Header("X-RateLimit-Type").c_str());
  STRCMP_EQUAL("Medium", over.Header("X-RateLimit-Category").c_str());
  LONGS_EQUAL(2, zoom->zoom().Meetings().size());
}

TEST(FakeZoomPerSecondLimits, ListingsShareTheMediumBudgetNotTheLightOne) {
  Start(RetryAfterFormat::kSeconds);
  const int64_t id = zoom->Create("u1");
  LONGS_EQUAL(200, zoom->Send("GET", "/v2/users/u1/meetings").status);
  LONGS_EQUAL(429, zoom->Send("GET", "/v2/users").status);
  LONGS_EQUAL(200, zoom->Send("GET", MeetingPath(id)).status);
  LONGS_EQUAL(200, zoom->Send("GET", "/v2/users/u1").status);
  LONGS_EQUAL(
      204, zoom->Send("PATCH", MeetingPath(id), R"({"duration":40})").status);
  Answer over = zoom->Send("DELETE", MeetingPath(id));
  LONGS_EQUAL(429, over.status);
  STRCMP_EQUAL("Light", over.Header("X-RateLimit-Category").c_str());
}

TEST(FakeZoomPerSecondLimits, BudgetComesBackAfterOneSecond) {
  Start(RetryAfterFormat::kSeconds);
  zoom->Create("u1");
  clock.AdvanceMicros(500000);
  zoom->Create("u1");
  LONGS_EQUAL(-1, zoom->Create("u1"));
  clock.AdvanceMicros(500000);
  CHECK(zoom->Create("u1") > 0);
  LONGS_EQUAL(-1, zoom->Create("u1"));
}

TEST(FakeZoomPerSecondLimits, RetryAfterCanBeAnIsoDateOrMissing) {
  Start(RetryAfterFormat::kIsoDate);
  zoom->Create("u1");
  zoom->Create("u1");
  Answer iso = zoom->Send("GET", "/v2/users/u1/meetings");
  STRCMP_EQUAL("2026-01-01T00:00:01Z", iso.Header("Retry-After").c_str());
  Start(RetryAfterFormat::kNone);
  zoom->Create("u1");
  zoom->Create("u1");
  Answer bare = zoom->Send("GET", "/v2/users/u1/meetings");
  LONGS_EQUAL(429, bare.status);
  CHECK_FALSE(bare.HasHeader("Retry-After"));
  STRCMP_EQUAL("QPS", bare.Header("X-RateLimit-Type").c_str());
}

TEST_GROUP(FakeZoomDailyLimit) {
  FakeClock clock;
  std::unique_ptr<ZoomTestServer> zoom;
  void Start(bool headers) {
    FakeZoom::Options options;
    options.daily_create_update_limit = 3;
    options.daily_limit_headers = headers;
    zoom = std::make_unique<ZoomTestServer>(&clock, options);
    clock.SetMicros(1780300800LL * 1000000);  // 2026-06-01T08:00:00Z
  }
};

TEST(FakeZoomDailyLimit, CreatesAndUpdatesOfOneHostShareTheAllowance) {
  Start(true);
  const int64_t id = zoom->Create("u1");
  LONGS_EQUAL(
      204, zoom->Send("PATCH", MeetingPath(id), R"({"duration":40})").status);
  CHECK(zoom->Create("u1") > 0);
  LONGS_EQUAL(3, zoom->zoom().DailyCount("u1"));
  Answer over = zoom->Send("PATCH", MeetingPath(id), R"({"duration":50})");
  LONGS_EQUAL(429, over.status);
  LONGS_EQUAL(429, ZoomCode(over.body));
  STRCMP_EQUAL("Daily-limit", over.Header("X-RateLimit-Type").c_str());
  STRCMP_EQUAL("2026-06-02T00:00:00Z", over.Header("Retry-After").c_str());
  LONGS_EQUAL(429, zoom->Send("POST", "/v2/users/u1/meetings",
                              R"({"password":"abc123"})")
                       .status);
  CHECK(zoom->Create("u2") > 0);
  LONGS_EQUAL(204, zoom->Send("DELETE", MeetingPath(id)).status);
}

TEST(FakeZoomDailyLimit, ResetsAtMidnightUtcOfTheInjectedClock) {
  Start(true);
  for (int i = 0; i < 3; ++i) zoom->Create("u1");
  clock.SetMicros(1780358399LL * 1000000);  // 2026-06-01T23:59:59Z
  zoom->Authenticate();  // the first token has expired by now
  LONGS_EQUAL(429, zoom->Send("POST", "/v2/users/u1/meetings",
                              R"({"password":"abc123"})")
                       .status);
  clock.AdvanceSeconds(1);
  LONGS_EQUAL(0, zoom->zoom().DailyCount("u1"));
  CHECK(zoom->Create("u1") > 0);
  LONGS_EQUAL(1, zoom->zoom().DailyCount("u1"));
}

TEST(FakeZoomDailyLimit, BareVariantCarriesOnlyItsMessage) {
  Start(false);
  for (int i = 0; i < 3; ++i) zoom->Create("u1");
  Answer over =
      zoom->Send("POST", "/v2/users/u1/meetings", R"({"password":"abc123"})");
  LONGS_EQUAL(429, over.status);
  CHECK_FALSE(over.HasHeader("Retry-After"));
  CHECK_FALSE(over.HasHeader("X-RateLimit-Type"));
  CHECK(Field(over.body, "message").find("daily") != std::string::npos);
}

TEST_GROUP(FakeZoomListings) {
  FakeClock clock;
  std::unique_ptr<ZoomTestServer> zoom;
  void setup() override {
    FakeZoom::Options options;
    options.medium_per_second = 1000;
    options.light_per_second = 1000;
    options.daily_create_update_limit = 1000;
    zoom = std::make_unique<ZoomTestServer>(&clock, options);
  }
  Answer List(const std::string& query) {
    return zoom->Send("GET", "/v2/users/u1/meetings?" + query);
  }
};

TEST(FakeZoomListings, PagesCoverEveryMeetingOfTheHostOnce) {
  std::set<int64_t> created;
  for (int i = 0; i < 7; ++i) created.insert(zoom->Create("u1"));
  zoom->Create("u2");
  std::multiset<int64_t> seen;
  std::string token;
  int pages = 0;
  do {
    Answer page = List("type=scheduled&page_size=3&next_page_token=" + token);
    LONGS_EQUAL(200, page.status);
    STRCMP_EQUAL("7", Field(page.body, "total_records").c_str());
    for (int64_t id : ReadListing(page.body).ids) seen.insert(id);
    token = Field(page.body, "next_page_token");
    ++pages;
  } while (!token.empty() && pages < 10);
  LONGS_EQUAL(3, pages);
  CHECK(std::set<int64_t>(seen.begin(), seen.end()) == created);
  LONGS_EQUAL(7, seen.size());
}

TEST(FakeZoomListings, MeetingsCreatedBetweenPagesAreNotListedTwice) {
  for (int i = 0; i < 4; ++i) zoom->Create("u1");
  Answer first = List("page_size=2");
  const int64_t gone = ReadListing(first.body).ids[1];
  zoom->zoom().DeleteMeetingBehindTheBridgesBack(gone);
  const int64_t added = zoom->Create("u1");
  Answer second = List("page_size=2&next_page_token=" +
                       Field(first.body, "next_page_token"));
  std::vector<int64_t> ids = ReadListing(second.body).ids;
  LONGS_EQUAL(2, ids.size());
  CHECK(ids[0] > gone);
  LONGS_EQUAL(added - 2, ids[0]);
}

TEST(FakeZoomListings, AgendaIsCutTo250CharactersOnlyInListings) {
  std::string agenda;
  for (int i = 0; i < 300; ++i) agenda += i % 2 == 0 ? "\xC3\xA9" : "a";
  const int64_t id = zoom->Create("u1", R"(,"agenda":")" + agenda + "\"");
  std::string listed = ReadListing(List("type=scheduled").body).agendas[0];
  STRCMP_EQUAL(agenda.substr(0, 375).c_str(), listed.c_str());
  STRCMP_EQUAL(
      agenda.c_str(),
      Field(zoom->Send("GET", MeetingPath(id)).body, "agenda").c_str());
}

TEST(FakeZoomListings, PageSizeDefaultsTo30AndIsCappedAt300) {
  for (int i = 0; i < 31; ++i) zoom->Create("u1");
  Answer plain = List("");
  LONGS_EQUAL(30, ReadListing(plain.body).ids.size());
  STRCMP_EQUAL("30", Field(plain.body, "page_size").c_str());
  Answer capped = List("page_size=500");
  STRCMP_EQUAL("300", Field(capped.body, "page_size").c_str());
  LONGS_EQUAL(31, ReadListing(capped.body).ids.size());
  STRCMP_EQUAL("", Field(capped.body, "next_page_token").c_str());
  LONGS_EQUAL(300, ZoomCode(List("page_size=abc").body));
}

TEST(FakeZoomListings, UpcomingLeavesOutMeetingsThatAreOver) {
  const int64_t past = zoom->Create("u1");
  const int64_t future = zoom->Create("u1");
  zoom->zoom().ChangeMeetingOnZoom(past, "2025-12-31T10:00:00Z", 30);
  std::vector<int64_t> upcoming = ReadListing(List("type=upcoming").body).ids;
  LONGS_EQUAL(1, upcoming.size());
  LONGS_EQUAL(future, upcoming[0]);
  LONGS_EQUAL(2, ReadListing(List("type=scheduled").body).ids.size());
  LONGS_EQUAL(300, ZoomCode(List("type=everything").body));
}

TEST(FakeZoomListings, PageTokensLast15MinutesAndBelongToOneListing) {
  for (int i = 0; i < 3; ++i) zoom->Create("u1");
  const std::string token = Field(List("page_size=1").body, "next_page_token");
  Answer other = zoom->Send(
      "GET", "/v2/users/u2/meetings?page_size=1&next_page_token=" + token);
  LONGS_EQUAL(400, other.status);
  LONGS_EQUAL(300, ZoomCode(other.body));
  clock.AdvanceSeconds(15 * 60);
  LONGS_EQUAL(300, ZoomCode(List("page_size=1&next_page_token=" + token).body));
}

TEST(FakeZoomListings, ConcurrentCreatesGetDistinctIds) {
  zoom->Authenticate();
  const httplib::Headers headers = {
      {"Authorization", "Bearer " + zoom->token()}};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, &headers] {
      httplib::Client client("127.0.0.1", zoom->port());
      for (int i = 0; i < 5; ++i) {
        client.Post("/v2/users/u1/meetings", headers,
                    R"({"password":"abc123"})", "application/json");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<FakeMeeting> meetings = zoom->zoom().Meetings();
  LONGS_EQUAL(20, meetings.size());
  LONGS_EQUAL(81234567890 + 19, meetings.back().id);
  LONGS_EQUAL(20, zoom->zoom().CountRequests("POST", "/v2/users/u1/"));
}

TEST(FakeZoomListings, UnknownHostIs1001) {
  Answer answer = zoom->Send("GET", "/v2/users/ghost/meetings");
  LONGS_EQUAL(404, answer.status);
  LONGS_EQUAL(1001, ZoomCode(answer.body));
}

}  // namespace test
}  // namespace telemed
