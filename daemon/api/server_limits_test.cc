// The API against clients no well-behaved HTTP library would be: oversized
// or endless heads, bodies of every framing, pipelining, too many
// long-polls or connections, a key revoked while its connections wait, and
// a stop while all of that goes on. Raw sockets on 127.0.0.1.
#include <CppUTest/TestHarness.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/server.h"
#include "base/fake_clock.h"
#include "base/log.h"
#include "base/random.h"
#include "store/store.h"
#include "support/raw_connection.h"
#include "support/temp_dir.h"

namespace telemed {

namespace {

using std::chrono::seconds;
using test::BearerHeader;
using test::RawConnection;
using test::RawResponse;

constexpr char kHealth[] = "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n";

std::string ErrorCodeIn(const RawResponse& res) {
  size_t at = res.body.find("\"code\":\"");
  if (at == std::string::npos) return "<no code>";
  at += 8;
  return res.body.substr(at, res.body.find('"', at) - at);
}

}  // namespace

TEST_GROUP(ApiServerLimits) {
  test::TempDir dir;
  FakeClock clock;
  CapturingLogger logger;
  std::unique_ptr<Store> store;
  std::unique_ptr<ApiServer> server;
  std::unique_ptr<RandomSource> random;
  std::future<void> runner;
  std::string key;

  void setup() override {
    Store::Options store_options;
    store_options.path = dir.File("bridge.db");
    store_options.clock = &clock;
    CHECK_TRUE(Store::Open(store_options, &store).ok());
    CHECK_TRUE(RealRandom::Open(&random).ok());
    CHECK_TRUE(store->CreateApiKey("pos", random.get(), &key).ok());
    ApiServer::Options options;
    options.port = 0;
    options.store = store.get();
    options.logger = &logger;
    options.clock = &clock;
    options.worker_threads = 8;
    options.max_long_polls = 2;
    options.max_connections = 16;
    CHECK_TRUE(ApiServer::Open(options, &server).ok());
    runner = std::async(std::launch::async, [this] { server->Run(); });
  }

  void teardown() override {
    server->Stop();
    // Run() must return promptly whatever the clients still do.
    CHECK_TEXT(runner.wait_for(seconds(30)) == std::future_status::ready,
               "Run() did not return after Stop()");
  }

  // Sends `request` on a new connection and reads the answer.
  RawResponse Ask(const std::string& request) {
    RawConnection conn(server->port());
    CHECK_TRUE(conn.Send(request));
    RawResponse res;
    CHECK_TEXT(conn.ReadResponse(&res), "no answer");
    return res;
  }

  std::string Authorized(const std::string& request_line) {
    return request_line + "\r\nHost: t\r\n" + BearerHeader(key);
  }

  std::string LongPoll(int wait_seconds) {
    return Authorized("GET /api/v1/appointments?since=head&wait=" +
                      std::to_string(wait_seconds) + " HTTP/1.1") +
           "\r\n";
  }
};

TEST(ApiServerLimits, LongHeaderLinesManyHeadersAndBigHeadsGet431) {
  RawResponse res =
      Ask("GET /api/v1/health HTTP/1.1\r\nX-Long: " + std::string(10000, 'a') +
          "\r\n\r\n");
  LONGS_EQUAL(431, res.status);
  STRCMP_EQUAL("headers_too_large", ErrorCodeIn(res).c_str());
  std::string many = "GET /api/v1/health HTTP/1.1\r\n";
  for (int i = 0; i < 200; ++i) many += "X-A: 1\r\n";
  LONGS_EQUAL(431, Ask(many + "\r\n").status);
  std::string big = "GET /api/v1/health HTTP/1.1\r\n";
  for (int i = 0; i < 10; ++i) big += "X-B: " + std::string(4000, 'b') + "\r\n";
  LONGS_EQUAL(431, Ask(big + "\r\n").status);
  LONGS_EQUAL(
      414, Ask("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n").status);
}

TEST(ApiServerLimits, AHeadThatNeverEndsGets408) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send("GET /api/v1/health HTTP/1.1\r\nX-Slow: "));
  RawResponse res;
  // A byte every half second would keep httplib's per-recv timeout away.
  for (int i = 0; i < 60 && !conn.Readable(std::chrono::milliseconds(500));
       ++i) {
    conn.Send("a");
  }
  CHECK_TRUE(conn.ReadResponse(&res));
  LONGS_EQUAL(408, res.status);
  STRCMP_EQUAL("close", res.Header("Connection").c_str());
}

TEST(ApiServerLimits, ChunkedBodiesAreBoundedToo) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send(Authorized("PUT /api/v1/doctors/dr-1 HTTP/1.1") +
                       "Content-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "1000\r\n" + std::string(4096, ' ') + "\r\n";
  // 20 x 4 KiB, while the server may already have refused.
  for (int i = 0; i < 20 && conn.Send(chunk); ++i) {
  }
  RawResponse res;
  CHECK_TRUE(conn.ReadResponse(&res));
  LONGS_EQUAL(413, res.status);
  STRCMP_EQUAL("body_too_large", ErrorCodeIn(res).c_str());
}

TEST(ApiServerLimits, LargeDeclaredBodiesAreRefusedUnread) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send(Authorized("PUT /api/v1/doctors/dr-1 HTTP/1.1") +
                       "Content-Type: application/json\r\n"
                       "Expect: 100-continue\r\n"
                       "Content-Length: 300000000\r\n\r\n"));
  RawResponse res;
  CHECK_TRUE(conn.ReadResponse(&res));  // no "100 Continue" first
  LONGS_EQUAL(413, res.status);
  STRCMP_EQUAL("body_too_large", ErrorCodeIn(res).c_str());
  // Half-closed: the client may still send, then sees the end.
  conn.Send(std::string(100000, 'x'));
  CHECK_TRUE(conn.AwaitClosed());
}

TEST(ApiServerLimits, CompressedBodiesGet415) {
  RawResponse res = Ask(Authorized("PUT /api/v1/doctors/dr-1 HTTP/1.1") +
                        "Content-Type: application/json\r\n"
                        "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\n"
                        "abcd");
  LONGS_EQUAL(415, res.status);
}

TEST(ApiServerLimits, APostWithoutFramingHasNoBody) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send(
      Authorized("POST /api/v1/appointments/none/retry HTTP/1.1") + "\r\n"));
  RawResponse res;
  // httplib alone waited for the body until its read timeout, then said 400.
  CHECK_TRUE(conn.ReadResponse(&res, seconds(5)));
  LONGS_EQUAL(404, res.status);
}

TEST(ApiServerLimits, TheKeyIsCheckedBeforeTheBodyIsRead) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send(
      "PUT /api/v1/doctors/dr-1 HTTP/1.1\r\nHost: t\r\n"
      "Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n"));
  RawResponse res;
  CHECK_TRUE(conn.ReadResponse(&res));  // not one body byte sent
  LONGS_EQUAL(401, res.status);
  STRCMP_EQUAL("close", res.Header("Connection").c_str());

  // Not even for a method no route allows.
  RawConnection patching(server->port());
  CHECK_TRUE(
      patching.Send("PATCH /api/v1/doctors/dr-1 HTTP/1.1\r\nHost: t\r\n"
                    "Content-Length: 60000\r\n\r\n"));
  CHECK_TRUE(patching.ReadResponse(&res));
  LONGS_EQUAL(401, res.status);

  RawConnection expecting(server->port());
  CHECK_TRUE(expecting.Send(
      "PUT /api/v1/doctors/dr-1 HTTP/1.1\r\nHost: t\r\n"
      "Authorization: Bearer tbk_wrong\r\nExpect: 100-continue\r\n"
      "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"));
  CHECK_TRUE(expecting.ReadResponse(&res));
  LONGS_EQUAL(401, res.status);  // and no 100 before it
  STRCMP_EQUAL("invalid_api_key", ErrorCodeIn(res).c_str());
}

TEST(ApiServerLimits, ExpectContinueWithAValidKeyGets100) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send(Authorized("PUT /api/v1/doctors/dr-9 HTTP/1.1") +
                       "Expect: 100-continue\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: 2\r\n\r\n"));
  CHECK_TRUE(conn.Readable(seconds(30)));
  CHECK_TRUE(conn.pending().empty() ||
             conn.pending().rfind("HTTP/1.1 100", 0) == 0);
  CHECK_TRUE(conn.Send("{}"));
  RawResponse res;
  CHECK_TRUE(conn.ReadResponse(&res));
  if (res.status == 100) CHECK_TRUE(conn.ReadResponse(&res));
  LONGS_EQUAL(422, res.status);  // read and judged: name is missing
}

TEST(ApiServerLimits, RangeIsIgnored) {
  RawResponse whole = Ask(kHealth);
  RawResponse res =
      Ask("GET /api/v1/health HTTP/1.1\r\nHost: t\r\n"
          "Range: bytes=0-0,0-0,0-0,0-0\r\n\r\n");
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL(whole.body.c_str(), res.body.c_str());
  LONGS_EQUAL(200, Ask("GET /api/v1/health HTTP/1.1\r\nHost: t\r\n"
                       "Range: nonsense\r\n\r\n")
                       .status);
}

TEST(ApiServerLimits, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection conn(server->port());
  CHECK_TRUE(conn.Send(std::string(kHealth) +
                       Authorized("GET /api/v1/nowhere HTTP/1.1") + "\r\n" +
                       Authorized("GET /api/v1/doctors HTTP/1.1") + "\r\n"));
  RawResponse res;
  CHECK_TRUE(conn.ReadResponse(&res));
  LONGS_EQUAL(200, res.status);
  CHECK_TRUE(res.body.find("version") != std::string::npos);
  CHECK_TRUE(conn.ReadResponse(&res));
  LONGS_EQUAL(404, res.status);
  CHECK_TRUE(conn.ReadResponse(&res));
  LONGS_EQUAL(200, res.status);
  CHECK_TRUE(res.body.find("items") != std::string::npos);
}

TEST(ApiServerLimits, ClientsThatDoNotReadTheirAnswersHoldNoWorker) {
  // More of them than the server has workers (10), each pipelining requests
  // whose answers (a 404 naming a 7,000-byte path) fill every socket buffer
  // long before the 1,000 a connection may send, and never reading.
  const std::string request =
      "GET /" + std::string(7000, 'x') + " HTTP/1.1\r\nHost: t\r\n\r\n";
  std::string requests;
  for (int i = 0; i < 990; ++i) requests += request;
  std::vector<std::unique_ptr<RawConnection>> hogs;
  std::vector<size_t> sent(12, 0);
  for (size_t i = 0; i < sent.size(); ++i) {
    hogs.push_back(std::make_unique<RawConnection>(server->port()));
  }
  // Feed them until the server takes no more (it waits for them to read).
  for (int quiet = 0, round = 0; quiet < 10 && round < 3000; ++round) {
    size_t moved = 0;
    for (size_t i = 0; i < hogs.size(); ++i) {
      size_t n = hogs[i]->SendNow(requests.data() + sent[i],
                                  requests.size() - sent[i]);
      sent[i] += n;
      moved += n;
    }
    quiet = moved == 0 ? quiet + 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  RawResponse res = Ask(kHealth);
  LONGS_EQUAL(200, res.status);
  // Answered while every hog was still open: no worker had to wait out its
  // write timeout (and close its hog) first.
  for (auto& hog : hogs) CHECK_FALSE(hog->DiscardAndSeeClosed());
}

TEST(ApiServerLimits, LongPollsBeyondTheCapGet503) {
  std::unique_ptr<RawConnection> parked[2];
  auto park = [&](int i) {
    parked[i] = std::make_unique<RawConnection>(server->port());
    CHECK_TRUE(parked[i]->Send(LongPoll(60)));
  };
  park(0);
  park(1);
  // Once both are parked, a third is refused. Until then a probe may park
  // for a second and come back empty, or take a place first (then the one
  // refused parks again).
  RawResponse res;
  for (int i = 0; i < 30 && res.status != 503; ++i) {
    for (int j = 0; j < 2; ++j) {
      if (parked[j]->Readable(std::chrono::milliseconds(0))) park(j);
    }
    res = Ask(LongPoll(1));
  }
  LONGS_EQUAL(503, res.status);
  STRCMP_EQUAL("1", res.Header("Retry-After").c_str());
  // Other requests still find a worker.
  LONGS_EQUAL(200,
              Ask(Authorized("GET /api/v1/doctors HTTP/1.1") + "\r\n").status);
}

TEST(ApiServerLimits, ConnectionsBeyondTheCapGet503) {
  std::vector<std::unique_ptr<RawConnection>> idle;
  RawResponse res;
  for (int i = 0; i < 40 && res.status != 503; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server->port()));
    if (idle.back()->Readable(std::chrono::milliseconds(20))) {
      CHECK_TRUE(idle.back()->ReadResponse(&res));
    }
  }
  LONGS_EQUAL(503, res.status);
  STRCMP_EQUAL("1", res.Header("Retry-After").c_str());
  idle.clear();
  // Their places are given back when they go.
  for (int i = 0; i < 30 && res.status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    res = Ask(kHealth);
  }
  LONGS_EQUAL(200, res.status);
}

TEST(ApiServerLimits, ARevokedKeyEndsItsLongPollsAndIdleConnections) {
  RawConnection poll(server->port());
  CHECK_TRUE(poll.Send(LongPoll(60)));
  RawConnection idle(server->port());
  CHECK_TRUE(idle.Send(Authorized("GET /api/v1/doctors HTTP/1.1") + "\r\n"));
  RawResponse res;
  CHECK_TRUE(idle.ReadResponse(&res));
  LONGS_EQUAL(200, res.status);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_TRUE(store->RevokeApiKey("pos").ok());
  // Not the 60 s the long-poll asked for.
  CHECK_TRUE(poll.ReadResponse(&res, seconds(30)));
  LONGS_EQUAL(401, res.status);
  CHECK_TRUE(idle.AwaitClosed());
}

TEST(ApiServerLimits, StopIsPromptWhateverClientsDo) {
  RawConnection poll(server->port());
  CHECK_TRUE(poll.Send(LongPoll(60)));
  RawConnection slow_head(server->port());
  CHECK_TRUE(slow_head.Send("GET /api/v1/health HTTP/1.1\r\n"));
  RawConnection slow_body(server->port());
  CHECK_TRUE(slow_body.Send(Authorized("PUT /api/v1/doctors/dr-1 HTTP/1.1") +
                            "Content-Type: application/json\r\n"
                            "Content-Length: 1000\r\n\r\n{"));
  RawConnection idle(server->port());
  CHECK_TRUE(idle.Send(kHealth));
  RawResponse res;
  CHECK_TRUE(idle.ReadResponse(&res));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // teardown() stops the server and requires Run() to return.
  server->Stop();
  CHECK_TRUE(poll.ReadResponse(&res));
  LONGS_EQUAL(200, res.status);  // answered at once, empty
  CHECK_TRUE(idle.AwaitClosed());
  CHECK_TRUE(slow_head.AwaitClosed());
}

}  // namespace telemed
