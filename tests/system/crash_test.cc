// kill -9 while PUTs are being acknowledged: client threads write as fast as
// they can, the daemon is killed after a random number of acknowledgements,
// restarted on the same data dir, and every acknowledged write must be there
// (a write is acknowledged to the client only after it is committed).
// Several rounds, each killing at another moment.
#include <CppUTest/TestHarness.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/api_client.h"
#include "support/daemon_process.h"
#include "support/db_check.h"
#include "support/temp_dir.h"

namespace telemed {
namespace {

using test::AppointmentFields;
using test::StoredAppointment;

constexpr int kClients = 4;
constexpr int kRounds = 4;
constexpr int kHotIdsPerClient = 3;
constexpr char kDoctor[] = "dr-crash";

// What the test knows of one appointment id. Only one client writes an id,
// so at most one version is in flight: sent, its answer lost to the kill.
struct Written {
  AppointmentFields acked;
  int64_t acked_revision = 0;  // 0: never acknowledged
  bool in_flight = false;
  AppointmentFields sent;
};

// Counts acknowledgements across clients so the test can kill the daemon
// after a chosen number of them.
class AckCounter final {
 public:
  void Ack() {
    std::lock_guard<std::mutex> lock(mu_);
    ++acks_;
    changed_.notify_all();
  }
  void ClientDone() {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    changed_.notify_all();
  }
  // Waits (up to 60 s) for `target` acks or for every client to stop.
  void WaitFor(int target) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(60),
                      [&] { return acks_ >= target || done_ == kClients; });
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int acks_ = 0;
  int done_ = 0;
};

// One client: alternately creates an appointment and changes one of its
// hot ones, each PUT with content no earlier PUT had.
class CrashClient final {
 public:
  CrashClient(int index, uint64_t seed) : index_(index), random_(seed) {}

  // Writes until a request fails. A failure before `killed` is recorded.
  void Run(int port, const std::string& key, const std::atomic<bool>& killed,
           AckCounter* acks);
  // Checks what a restarted daemon holds against what was acknowledged and
  // adopts it; the problems found, one per line.
  std::string Verify(test::ApiClient* api);
  const std::map<std::string, Written>& written() const { return written_; }
  const std::string& failure() const { return failure_; }

 private:
  std::string NextId();
  AppointmentFields NextVersion();
  bool Put(test::ApiClient* api, const std::string& id,
           const std::atomic<bool>& killed);
  std::string VerifyOne(const std::string& id, const httplib::Result& got,
                        Written* written);

  const int index_;
  std::mt19937_64 random_;
  int versions_ = 0;
  std::map<std::string, Written> written_;
  std::string failure_;
};

std::string CrashClient::NextId() {
  std::string prefix = "c" + std::to_string(index_);
  if (versions_ % 2 == 0) return prefix + "-n" + std::to_string(versions_);
  return prefix + "-hot" + std::to_string(random_() % kHotIdsPerClient);
}

AppointmentFields CrashClient::NextVersion() {
  AppointmentFields fields;
  fields.doctor_id = kDoctor;
  fields.duration_minutes = 1 + versions_ % 1440;
  fields.topic = "client " + std::to_string(index_) + " version " +
                 std::to_string(versions_);
  ++versions_;
  return fields;
}

void CrashClient::Run(int port, const std::string& key,
                      const std::atomic<bool>& killed, AckCounter* acks) {
  test::ApiClient api(port, key);
  while (failure_.empty()) {
    if (!Put(&api, NextId(), killed)) break;
    acks->Ack();
  }
  acks->ClientDone();
}

// True when the PUT was acknowledged with the content sent.
bool CrashClient::Put(test::ApiClient* api, const std::string& id,
                      const std::atomic<bool>& killed) {
  Written& written = written_[id];
  written.sent = NextVersion();
  written.in_flight = true;
  httplib::Result result = api->PutAppointment(id, written.sent);
  if (!result) {
    if (!killed) failure_ = id + ": " + httplib::to_string(result.error());
    return false;
  }
  StoredAppointment stored;
  if ((result->status != 200 && result->status != 201) ||
      !test::ParseAppointment(result->body, &stored) ||
      stored.fields != written.sent ||
      stored.revision <= written.acked_revision) {
    failure_ = id + ": " + std::to_string(result->status) + " " + result->body;
    return false;
  }
  written.acked = written.sent;
  written.acked_revision = stored.revision;
  written.in_flight = false;
  return true;
}

std::string CrashClient::Verify(test::ApiClient* api) {
  std::string problems;
  for (auto it = written_.begin(); it != written_.end();) {
    problems += VerifyOne(it->first, api->Get("/appointments/" + it->first),
                          &it->second);
    // An unacknowledged create that did not survive was never there.
    it = it->second.acked_revision == 0 ? written_.erase(it) : std::next(it);
  }
  return problems;
}

std::string CrashClient::VerifyOne(const std::string& id,
                                   const httplib::Result& got,
                                   Written* written) {
  bool acked = written->acked_revision > 0;
  if (got && got->status == 404 && !acked) return "";
  StoredAppointment stored;
  if (!got || got->status != 200 ||
      !test::ParseAppointment(got->body, &stored)) {
    return id + ": acknowledged write lost: " +
           (got ? got->body : httplib::to_string(got.error())) + "\n";
  }
  bool is_acked = acked && stored.fields == written->acked;
  bool is_sent = written->in_flight && stored.fields == written->sent;
  if ((!is_acked && !is_sent) || stored.revision < written->acked_revision ||
      (!is_acked && stored.revision == written->acked_revision)) {
    return id + ": stored " + got->body + " is neither the acknowledged (" +
           std::to_string(written->acked_revision) +
           ") nor the in-flight version\n";
  }
  *written = Written{stored.fields, stored.revision, false, {}};
  return "";
}

}  // namespace

TEST_GROUP(CrashRecovery) {
  test::TempDir temp;
  std::unique_ptr<test::DaemonProcess> daemon;
  std::string key;
  std::vector<std::unique_ptr<CrashClient>> clients;

  void setup() override {
    StartDaemon();
    Status s = test::SetUpClinic(temp.File("data"), kDoctor, &key);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }

  void StartDaemon() {
    test::DaemonProcess::Options options;
    options.data_dir = temp.File("data");
    Status s = test::DaemonProcess::Start(options, &daemon);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }

  // Runs the clients until the daemon is killed after `kill_after` acks.
  void WriteAndKill(int kill_after) {
    std::atomic<bool> killed{false};
    AckCounter acks;
    std::vector<std::thread> threads;
    for (auto& client : clients) {
      threads.emplace_back([&, c = client.get()] {
        c->Run(daemon->port(), key, killed, &acks);
      });
    }
    acks.WaitFor(kill_after);
    killed = true;
    daemon->Kill();
    for (std::thread& thread : threads) thread.join();
    for (auto& client : clients) {
      STRCMP_EQUAL("", client->failure().c_str());
    }
  }

  // After a restart: every acknowledged write is there, the feed from the
  // start shows each stored appointment once, and SQLite finds the file
  // sound.
  void VerifyRecovered() {
    test::ApiClient api(daemon->port(), key);
    std::map<std::string, StoredAppointment> expected;
    for (auto& client : clients) {
      STRCMP_EQUAL("", client->Verify(&api).c_str());
      for (const auto& entry : client->written()) {
        expected[entry.first] = {entry.first, entry.second.acked,
                                 entry.second.acked_revision};
      }
    }
    // The sync engine may still be updating appointments: a walk of the
    // feed shows each once only when nothing changes meanwhile.
    CHECK_TRUE(test::WaitForQuietFeed(&api));
    STRCMP_EQUAL("", test::CompareFeedFromStart(&api, expected).c_str());
    int64_t count = -1;
    Status s =
        test::CheckDatabase(daemon->data_dir() + "/telemed-bridge.db", &count);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
    LONGS_EQUAL(expected.size(), count);
  }
};

TEST(CrashRecovery, EveryAcknowledgedPutSurvivesKillNine) {
  uint64_t seed = test::TestSeed("CrashRecovery");
  std::mt19937_64 random(seed);
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<CrashClient>(i, random()));
  }
  for (int round = 0; round < kRounds; ++round) {
    int kill_after = 10 + static_cast<int>(random() % 300);
    WriteAndKill(kill_after);
    StartDaemon();
    VerifyRecovered();
  }
  LONGS_EQUAL(0, daemon->Terminate());
}

}  // namespace telemed
