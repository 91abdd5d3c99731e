// The daemon under clients that wait, dawdle or crowd in, as a LAN peer
// without a key can: idle connections, heads sent a byte at a time,
// parked long-polls, a thousand connections at once, and a key revoked by
// the CLI while its connections wait. Short requests must still be
// answered and the process must survive. Every wait is a generous timeout,
// never a timed assert (speed is bench/'s business).
#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/api_client.h"
#include "support/daemon_process.h"
#include "support/process_stats.h"
#include "support/raw_connection.h"

namespace telemed {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::BearerHeader;
using test::RawConnection;
using test::RawResponse;

constexpr char kDoctor[] = "dr-hostile";
constexpr int kIdle = 200;
constexpr int kSlowHeads = 200;
constexpr int kParked = 100;  // below the daemon's cap of 128

std::vector<std::unique_ptr<RawConnection>> Open(int port, int count) {
  std::vector<std::unique_ptr<RawConnection>> conns;
  for (int i = 0; i < count; ++i) {
    conns.push_back(std::make_unique<RawConnection>(port));
  }
  return conns;
}

}  // namespace

TEST_GROUP(HostileClients) {
  std::unique_ptr<test::DaemonProcess> daemon;
  std::string key;

  void setup() override {
    // This process needs a descriptor per connection too.
    test::RaiseOpenFileLimit();
    Status s = test::DaemonProcess::Start({}, &daemon);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
    s = test::SetUpClinic(daemon->data_dir(), kDoctor, &key);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }

  std::string Authorized(const std::string& request_line) {
    return request_line + "\r\nHost: t\r\n" + BearerHeader(key) + "\r\n";
  }
};

TEST(HostileClients, WaitingClientsLeaveShortRequestsTheirWorkers) {
  auto idle = Open(daemon->port(), kIdle);
  auto slow = Open(daemon->port(), kSlowHeads);
  for (auto& conn : slow) conn->Send("GET /api/v1/health HTTP/1.1\r\nX-S: ");
  std::atomic<bool> done{false};
  std::thread dribbler([&] {
    // One byte per connection every half second: never a whole head.
    while (!done) {
      for (auto& conn : slow) conn->Send("a");
      std::this_thread::sleep_for(milliseconds(500));
    }
  });
  auto parked = Open(daemon->port(), kParked);
  for (auto& conn : parked) {
    CHECK_TRUE(conn->Send(
        Authorized("GET /api/v1/appointments?wait=60&since=head HTTP/1.1")));
  }
  std::this_thread::sleep_for(milliseconds(500));

  test::ApiClient api(daemon->port(), key);
  auto health =
      httplib::Client("127.0.0.1", daemon->port()).Get("/api/v1/health");
  CHECK_TRUE(health);
  LONGS_EQUAL(200, health->status);
  auto doctors = api.Get("/doctors");
  CHECK_TRUE(doctors);
  LONGS_EQUAL(200, doctors->status);
  test::AppointmentFields fields;
  fields.doctor_id = kDoctor;
  fields.topic = "Among hostile clients";
  auto put = api.PutAppointment("crowded", fields);
  CHECK_TRUE(put);
  LONGS_EQUAL(201, put->status);
  // Every parked long-poll returns the PUT, long before its 60 s.
  for (auto& conn : parked) {
    RawResponse res;
    CHECK_TRUE(conn->ReadResponse(&res, seconds(30)));
    LONGS_EQUAL(200, res.status);
    CHECK_TRUE(res.body.find("\"crowded\"") != std::string::npos);
  }
  std::fprintf(stderr,
               "\ndaemon VmRSS with %d idle, %d slow, %d parked: "
               "%ld KiB (sanitizer build)\n",
               kIdle, kSlowHeads, kParked, test::VmRssKib(daemon->pid()));
  done = true;
  dribbler.join();
}

TEST(HostileClients, AThousandConnectionsAtOnceAreEachAnswered) {
  auto conns = Open(daemon->port(), 1000);
  const std::string health = "GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n";
  for (auto& conn : conns) conn->Send(health);
  int ok = 0;
  int busy = 0;
  for (auto& conn : conns) {
    RawResponse res;
    CHECK_TEXT(conn->ReadResponse(&res, seconds(60)), "no answer");
    if (res.status == 200) {
      ++ok;
    } else {
      LONGS_EQUAL(503, res.status);
      STRCMP_EQUAL("1", res.Header("Retry-After").c_str());
      ++busy;
    }
  }
  std::fprintf(stderr, "\n1000 connections: %d answered, %d told to retry\n",
               ok, busy);
  conns.clear();
  auto after =
      httplib::Client("127.0.0.1", daemon->port()).Get("/api/v1/health");
  CHECK_TRUE(after);
  LONGS_EQUAL(200, after->status);
}

TEST(HostileClients, AKeyRevokedByTheCliEndsItsWaitingConnections) {
  RawConnection parked(daemon->port());
  CHECK_TRUE(parked.Send(
      Authorized("GET /api/v1/appointments?wait=60&since=head HTTP/1.1")));
  RawConnection idle(daemon->port());
  CHECK_TRUE(idle.Send(Authorized("GET /api/v1/doctors HTTP/1.1")));
  RawResponse res;
  CHECK_TRUE(idle.ReadResponse(&res));
  LONGS_EQUAL(200, res.status);
  test::CliResult revoke = test::RunCli(
      {"apikey", "revoke", "clinic", "--data-dir", daemon->data_dir()});
  LONGS_EQUAL(0, revoke.exit_code);
  CHECK_TRUE(parked.ReadResponse(&res, seconds(30)));
  LONGS_EQUAL(401, res.status);
  CHECK_TRUE(idle.AwaitClosed());
}

TEST(HostileClients, SigtermEndsTheDaemonWhileClientsWait) {
  auto idle = Open(daemon->port(), 20);
  RawConnection slow(daemon->port());
  slow.Send("GET /api/v1/health HTTP/1.1\r\n");
  RawConnection parked(daemon->port());
  CHECK_TRUE(parked.Send(
      Authorized("GET /api/v1/appointments?wait=60&since=head HTTP/1.1")));
  std::this_thread::sleep_for(milliseconds(300));
  LONGS_EQUAL(0, daemon->Terminate());
  RawResponse res;
  CHECK_TRUE(parked.ReadResponse(&res));
  LONGS_EQUAL(200, res.status);
}

}  // namespace telemed
