// FakeZoom's injected faults and request log over real HTTP: what an
// httplib client sees for each fault, whether the work happened, and what
// the log tells a test afterwards.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/fake_clock.h"
#include "support/fake_zoom.h"
#include "unit/fake_zoom_testutil.h"

namespace telemed {
namespace test {

namespace {

constexpr char kMeetings[] = "/v2/users/u1/meetings";
constexpr char kBody[] = R"({"topic":"Visit","password":"abc123"})";

Fault MakeFault(const char* method, const char* path, FaultKind kind) {
  Fault fault;
  fault.method = method;
  fault.path_prefix = path;
  fault.kind = kind;
  return fault;
}

// Sends `request` over a bare TCP connection and returns every byte that
// came back before the server closed it.
std::string RawExchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      send(fd, request.data(), request.size(), 0) ==
          static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    ssize_t got;
    while ((got = recv(fd, buffer, sizeof buffer, 0)) > 0) {
      received.append(buffer, static_cast<size_t>(got));
    }
  }
  close(fd);
  return received;
}

}  // namespace

TEST_GROUP_BASE(FakeZoomFaults,
                FakeZoomFixture){void setup() override{FakeZoomFixture::setup();
zoom->Authenticate();
}  // namespace test
Answer CreateOnce() { return zoom->Send("POST", kMeetings, kBody); }
};  // namespace telemed

TEST(FakeZoomFaults, DropBeforeWorkLeavesNoAnswerAndNoMeeting) {
  zoom->zoom().InjectFault(
      MakeFault("POST", kMeetings, FaultKind::kDropBeforeWork));
  Answer answer = CreateOnce();
  CHECK_FALSE(answer.answered);
  CHECK(answer.error == httplib::Error::Read);
  LONGS_EQUAL(0, zoom->zoom().Meetings().size());
  std::vector<LoggedRequest> log = zoom->zoom().Requests();
  CHECK_FALSE(log.back().answered);
  LONGS_EQUAL(0, log.back().status);
}

TEST(FakeZoomFaults, DropSendsHeadersThenClosesWithoutTheBody) {
  zoom->zoom().InjectFault(
      MakeFault("GET", "/v2/users", FaultKind::kDropBeforeWork));
  const std::string raw =
      RawExchange(zoom->port(), "GET /v2/users/u1 HTTP/1.1\r\nHost: x\r\n\r\n");
  STRCMP_EQUAL("HTTP/1.1 500", raw.substr(0, 12).c_str());
  CHECK(raw.find("Content-Length: 64\r\n") != std::string::npos);
  const size_t body = raw.find("\r\n\r\n");
  CHECK(body != std::string::npos);
  LONGS_EQUAL(raw.size(), body + 4);
}

TEST(FakeZoomFaults, LostCreateLeavesTheMeetingButNoAnswer) {
  zoom->zoom().InjectFault(
      MakeFault("POST", kMeetings, FaultKind::kDropAfterWork));
  Answer answer = CreateOnce();
  CHECK_FALSE(answer.answered);
  LONGS_EQUAL(1, zoom->zoom().Meetings().size());
  LONGS_EQUAL(201, zoom->zoom().Requests().back().status);
  Answer listing =
      zoom->Send("GET", std::string(kMeetings) + "?type=scheduled");
  STRCMP_EQUAL("1", Field(listing.body, "total_records").c_str());
}

TEST(FakeZoomFaults, LostDeleteStillDeletes) {
  const int64_t id = zoom->Create("u1");
  const std::string path = "/v2/meetings/" + std::to_string(id);
  zoom->zoom().InjectFault(
      MakeFault("DELETE", "/v2/meetings/", FaultKind::kDropAfterWork));
  CHECK_FALSE(zoom->Send("DELETE", path).answered);
  LONGS_EQUAL(3001, ZoomCode(zoom->Send("DELETE", path).body));
}

TEST(FakeZoomFaults, DelayWaitsThenAnswersNormally) {
  Fault fault = MakeFault("POST", kMeetings, FaultKind::kDelay);
  fault.delay_ms = 150;
  zoom->zoom().InjectFault(fault);
  const auto start = std::chrono::steady_clock::now();
  Answer answer = CreateOnce();
  const auto waited = std::chrono::steady_clock::now() - start;
  LONGS_EQUAL(201, answer.status);
  CHECK(waited >= std::chrono::milliseconds(150));
}

TEST(FakeZoomFaults, DelayThenDropHoldsThenCutsWithoutTheWork) {
  Fault fault = MakeFault("POST", kMeetings, FaultKind::kDelayThenDrop);
  fault.delay_ms = 150;
  zoom->zoom().InjectFault(fault);
  const auto start = std::chrono::steady_clock::now();
  Answer answer = CreateOnce();
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK_FALSE(answer.answered);
  CHECK(waited >= std::chrono::milliseconds(150));
  LONGS_EQUAL(0, zoom->zoom().Meetings().size());
  std::vector<LoggedRequest> log = zoom->zoom().Requests();
  CHECK(log.back().finished);
  LONGS_EQUAL(0, log.back().status);
}

TEST(FakeZoomFaults, DelayAfterWorkCreatesAndLogsBeforeTheAnswer) {
  Fault fault = MakeFault("POST", kMeetings, FaultKind::kDelayAfterWork);
  fault.delay_ms = 300;
  zoom->zoom().InjectFault(fault);
  Answer answer;
  std::thread client([&] { answer = CreateOnce(); });
  // While the answer is held back, the meeting exists and the request is
  // logged as finished with its status.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (zoom->zoom().Meetings().empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<LoggedRequest> log = zoom->zoom().Requests();
  const bool answered_early = answer.answered;
  client.join();
  LONGS_EQUAL(1, zoom->zoom().Meetings().size());
  CHECK_FALSE(answered_early);
  CHECK(log.back().finished);
  LONGS_EQUAL(201, log.back().status);
  LONGS_EQUAL(201, answer.status);
}

TEST(FakeZoomFaults, ServerErrorsAnswerWithoutDoingTheWork) {
  Fault fault = MakeFault("POST", kMeetings, FaultKind::kServerError);
  zoom->zoom().InjectFault(fault);
  fault.status = 500;
  zoom->zoom().InjectFault(fault);
  fault.status = 502;
  zoom->zoom().InjectFault(fault);
  LONGS_EQUAL(503, CreateOnce().status);
  LONGS_EQUAL(500, CreateOnce().status);
  Answer bad_gateway = CreateOnce();
  LONGS_EQUAL(502, bad_gateway.status);
  STRCMP_EQUAL("<not json>", Field(bad_gateway.body, "code").c_str());
  LONGS_EQUAL(0, zoom->zoom().Meetings().size());
  LONGS_EQUAL(201, CreateOnce().status);
}

TEST(FakeZoomFaults, GarbageBodiesComeWithOrWithoutTheWork) {
  Fault fault = MakeFault("POST", kMeetings, FaultKind::kGarbageBody);
  fault.status = 201;
  zoom->zoom().InjectFault(fault);
  zoom->zoom().InjectFault(
      MakeFault("POST", kMeetings, FaultKind::kGarbageAfterWork));
  Answer before = CreateOnce();
  LONGS_EQUAL(201, before.status);
  STRCMP_EQUAL("<not json>", Field(before.body, "id").c_str());
  LONGS_EQUAL(0, zoom->zoom().Meetings().size());
  Answer after = CreateOnce();
  LONGS_EQUAL(201, after.status);
  STRCMP_EQUAL("<not json>", Field(after.body, "id").c_str());
  LONGS_EQUAL(1, zoom->zoom().Meetings().size());
}

TEST(FakeZoomFaults, Injected429sCarryTheirHeaders) {
  Fault qps = MakeFault("", "/v2/meetings/", FaultKind::kQps429);
  qps.retry_after = "7";
  zoom->zoom().InjectFault(qps);
  zoom->zoom().InjectFault(MakeFault("POST", kMeetings, FaultKind::kDaily429));
  Fault bare = MakeFault("POST", kMeetings, FaultKind::kDaily429);
  bare.omit_headers = true;
  zoom->zoom().InjectFault(bare);
  Answer per_second = zoom->Send("GET", "/v2/meetings/81234567890");
  LONGS_EQUAL(429, per_second.status);
  STRCMP_EQUAL("7", per_second.Header("Retry-After").c_str());
  STRCMP_EQUAL("QPS", per_second.Header("X-RateLimit-Type").c_str());
  STRCMP_EQUAL("Light", per_second.Header("X-RateLimit-Category").c_str());
  Answer daily = CreateOnce();
  STRCMP_EQUAL("Daily-limit", daily.Header("X-RateLimit-Type").c_str());
  STRCMP_EQUAL("2026-01-02T00:00:00Z", daily.Header("Retry-After").c_str());
  LONGS_EQUAL(429, ZoomCode(daily.body));
  Answer plain = CreateOnce();
  LONGS_EQUAL(429, plain.status);
  CHECK_FALSE(plain.HasHeader("Retry-After"));
  CHECK_FALSE(plain.HasHeader("X-RateLimit-Type"));
}

TEST(FakeZoomFaults, FaultsApplyInOrderAndOnlyToMatchingRequests) {
  Fault twice = MakeFault("POST", kMeetings, FaultKind::kServerError);
  twice.times = 2;
  zoom->zoom().InjectFault(twice);
  zoom->zoom().InjectFault(
      MakeFault("POST", "/v2/users/u2/", FaultKind::kDropBeforeWork));
  LONGS_EQUAL(3, zoom->zoom().PendingFaults());
  LONGS_EQUAL(200, zoom->Send("GET", kMeetings).status);
  LONGS_EQUAL(503, CreateOnce().status);
  LONGS_EQUAL(0, zoom->zoom().Meetings().size());
  LONGS_EQUAL(503, CreateOnce().status);
  LONGS_EQUAL(201, CreateOnce().status);
  LONGS_EQUAL(1, zoom->zoom().PendingFaults());
  CHECK_FALSE(zoom->Send("POST", "/v2/users/u2/meetings", kBody).answered);
  LONGS_EQUAL(0, zoom->zoom().PendingFaults());
}

TEST(FakeZoomFaults, TokenEndpointCanFailToo) {
  zoom->zoom().InjectFault(
      MakeFault("POST", "/oauth/token", FaultKind::kServerError));
  LONGS_EQUAL(503, zoom->RequestToken().status);
  LONGS_EQUAL(200, zoom->RequestToken().status);
}

TEST_GROUP_BASE(FakeZoomRequestLog, FakeZoomFixture){};

TEST(FakeZoomRequestLog, RecordsEachRequestWithTheInjectedTime) {
  zoom->Authenticate();
  clock.AdvanceSeconds(5);
  zoom->Send("GET", std::string(kMeetings) + "?type=upcoming&page_size=300");
  clock.AdvanceSeconds(2);
  zoom->Send("POST", kMeetings, kBody);
  std::vector<LoggedRequest> log = zoom->zoom().Requests();
  LONGS_EQUAL(3, log.size());
  STRCMP_EQUAL("/oauth/token", log[0].path.c_str());
  STRCMP_EQUAL("GET", log[1].method.c_str());
  STRCMP_EQUAL("type=upcoming&page_size=300", log[1].query.c_str());
  LONGS_EQUAL(200, log[1].status);
  LONGS_EQUAL(clock.NowMicros() - 2000000, log[1].time_micros);
  STRCMP_EQUAL(kBody, log[2].body.c_str());
  LONGS_EQUAL(201, log[2].status);
  LONGS_EQUAL(1, zoom->zoom().CountRequests("POST", "/v2/"));
  LONGS_EQUAL(2, zoom->zoom().CountRequests("", "/v2/users/u1"));
  std::vector<int64_t> times = zoom->zoom().RequestTimesMicros("POST", "/v2");
  LONGS_EQUAL(1, times.size());
  LONGS_EQUAL(clock.NowMicros(), times[0]);
}

TEST(FakeZoomRequestLog, LogsAHeldRequestOnArrivalAsUnfinished) {
  Fault fault = MakeFault("POST", kMeetings, FaultKind::kDelay);
  fault.delay_ms = 500;
  zoom->Authenticate();
  zoom->zoom().InjectFault(fault);
  std::thread client([&] { zoom->Send("POST", kMeetings, kBody); });
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (zoom->zoom().CountRequests("POST", kMeetings) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<LoggedRequest> held = zoom->zoom().Requests();
  const size_t meetings_while_held = zoom->zoom().Meetings().size();
  client.join();
  CHECK_FALSE(held.back().finished);
  LONGS_EQUAL(0, held.back().status);
  LONGS_EQUAL(0, meetings_while_held);
  CHECK(zoom->zoom().Requests().back().finished);
  LONGS_EQUAL(201, zoom->zoom().Requests().back().status);
}

TEST(FakeZoomRequestLog, LogsRefusedAndFaultedPatchesAsNoOps) {
  const int64_t id = zoom->Create("u1");
  const std::string path = "/v2/meetings/" + std::to_string(id);
  zoom->zoom().SetMeetingStatus(id, MeetingStatus::kStarted);
  zoom->Send("PATCH", path, "{}");
  zoom->zoom().InjectFault(
      MakeFault("PATCH", path.c_str(), FaultKind::kDropBeforeWork));
  zoom->Send("PATCH", path, R"({"topic":"Video visit"})");
  LONGS_EQUAL(2, zoom->zoom().CountNoOpPatches());
}

}  // namespace test
}  // namespace telemed
