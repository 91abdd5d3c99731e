// Hundreds of parallel PUTs on keep-alive connections, with GETs and a
// long-polling feed follower beside them, while the CLI (another process)
// writes to the same database: no 5xx, no transport error, no "database is
// locked", no lost write, and a feed that shows every appointment once.
//
// Every PUT carries content no other PUT had, so each acknowledged PUT of an
// id must have moved its revision: the acknowledged revisions of an id are
// distinct, and the stored clinic fields are those of the PUT answered with
// the highest. (The sync engine's own status changes move revision too, so
// the numbers need not be contiguous.)
#include <CppUTest/TestHarness.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/api_client.h"
#include "support/daemon_process.h"
#include "support/db_check.h"

namespace telemed {
namespace {

using test::AppointmentFields;
using test::StoredAppointment;

// 32 + 4 + 1 keep-alive connections: well inside the daemon's 64 workers.
constexpr int kWriters = 32;
constexpr int kPutsPerWriter = 25;
constexpr int kReaders = 4;
constexpr int kSharedIds = 8;
constexpr int kFeedWaitSeconds = 1;
constexpr char kDoctor[] = "dr-busy";

// What no answer may be: missing, a 5xx, or SQLite's lock message.
std::string ProblemWith(const httplib::Result& result,
                        const std::string& what) {
  if (!result) return what + ": " + httplib::to_string(result.error()) + "\n";
  if (result->status >= 500 ||
      result->body.find("database is locked") != std::string::npos) {
    return what + ": " + std::to_string(result->status) + " " + result->body +
           "\n";
  }
  return "";
}

// One writer thread's acknowledged PUTs, in the order it sent them.
struct WriterLog {
  std::vector<StoredAppointment> acks;
  std::string problems;
};

// Mixes creations of its own ids, changes of its own ids and changes of the
// ids all writers share.
std::string PickId(int writer, int put, std::mt19937_64* random) {
  std::string own = "w" + std::to_string(writer) + "-";
  switch ((*random)() % 3) {
    case 0:
      return own + "new" + std::to_string(put);
    case 1:
      return own + "own" + std::to_string((*random)() % 2);
    default:
      return "shared-" + std::to_string((*random)() % kSharedIds);
  }
}

void RunWriter(int writer, uint64_t seed, int port, const std::string& key,
               WriterLog* log) {
  std::mt19937_64 random(seed);
  test::ApiClient api(port, key);
  for (int put = 0; put < kPutsPerWriter; ++put) {
    std::string id = PickId(writer, put, &random);
    AppointmentFields fields{
        kDoctor, "2030-01-07T09:00:00Z",
        1 + (writer * kPutsPerWriter + put) % 1440,
        "writer " + std::to_string(writer) + " put " + std::to_string(put)};
    httplib::Result result = api.PutAppointment(id, fields);
    std::string problem = ProblemWith(result, "PUT " + id);
    StoredAppointment stored;
    if (problem.empty() && ((result->status != 200 && result->status != 201) ||
                            !test::ParseAppointment(result->body, &stored) ||
                            stored.fields != fields)) {
      problem = "PUT " + id + ": " + result->body + "\n";
    }
    log->problems += problem;
    if (problem.empty()) log->acks.push_back(stored);
  }
}

// Reads while the writers write, until `done`.
void RunReader(int port, const std::string& key, const std::atomic<bool>& done,
               std::string* problems) {
  test::ApiClient api(port, key);
  for (int n = 0; !done; ++n) {
    std::string path =
        n % 2 == 0 ? "/doctors"
                   : "/appointments/shared-" + std::to_string(n % kSharedIds);
    *problems += ProblemWith(api.Get(path), "GET " + path);
  }
}

// The newest revision of each id a feed follower saw.
struct FeedLog {
  std::map<std::string, int64_t> latest;
  std::string problems;
};

// Follows the feed with long-polls as clinic software would, until `done`
// and then to its end.

void FollowFeed(int port, const std::string& key, const std::atomic<bool>& done,
                FeedLog* log) {
  test::ApiClient api(port, key);
  std::string cursor = "0";
  bool last = false;
  while (log->problems.empty() && !last) {
    last = done;
    std::vector<StoredAppointment> items;
    std::string error;
    int wait = last ? 0 : kFeedWaitSeconds;
    if (!api.ReadFeed(&cursor, wait, &items, &error)) log->problems = error;
    for (const StoredAppointment& item : items) {
      int64_t& latest = log->latest[item.id];
      if (item.revision <= latest) log->problems += item.id + ": went back\n";
      latest = item.revision;
    }
  }
}

// The CLI writing the same database in a loop, until `done` (at least
// twice).
void RunCliWriter(const std::string& data_dir, const std::atomic<bool>& done,
                  std::string* problems, int* runs) {
  for (*runs = 0; *runs < 2 || !done; ++*runs) {
    std::string n = std::to_string(*runs);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"apikey", "create", "cli-" + n},
          std::vector<std::string>{"doctor", "put", "dc-" + n, "--name",
                                   "Dr " + n, "--zoom-user", "d@c.example"}}) {
      std::vector<std::string> full = args;
      full.insert(full.end(), {"--data-dir", data_dir});
      test::CliResult result = test::RunCli(full);
      if (result.exit_code != 0) *problems += args[0] + ": " + result.err;
    }
  }
}

}  // namespace

TEST_GROUP(ConcurrentWrites) {
  std::unique_ptr<test::DaemonProcess> daemon;
  std::string key;
  WriterLog writers[kWriters];
  std::string reader_problems[kReaders];
  FeedLog feed;
  std::string cli_problems;
  int cli_runs = 0;

  void setup() override {
    Status s = test::DaemonProcess::Start({}, &daemon);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
    s = test::SetUpClinic(daemon->data_dir(), kDoctor, &key);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }

  void RunAll(uint64_t seed) {
    std::atomic<bool> done{false};
    std::vector<std::thread> others;
    others.emplace_back(RunCliWriter, daemon->data_dir(), std::cref(done),
                        &cli_problems, &cli_runs);
    others.emplace_back(FollowFeed, daemon->port(), key, std::cref(done),
                        &feed);
    for (int i = 0; i < kReaders; ++i) {
      others.emplace_back(RunReader, daemon->port(), key, std::cref(done),
                          &reader_problems[i]);
    }
    std::vector<std::thread> puts;
    for (int i = 0; i < kWriters; ++i) {
      puts.emplace_back(RunWriter, i, seed + i, daemon->port(), key,
                        &writers[i]);
    }
    for (std::thread& thread : puts) thread.join();
    done = true;
    for (std::thread& thread : others) thread.join();
  }

  // Each id's acknowledged revisions, all writers together.
  std::map<std::string, std::vector<int64_t>> RevisionsById() {
    std::map<std::string, std::vector<int64_t>> revisions;
    for (const WriterLog& log : writers) {
      std::map<std::string, int64_t> previous;
      for (const StoredAppointment& ack : log.acks) {
        CHECK_TEXT(ack.revision > previous[ack.id], ack.id.c_str());
        previous[ack.id] = ack.revision;
        revisions[ack.id].push_back(ack.revision);
      }
    }
    return revisions;
  }

  // The acknowledged PUT that must be stored: the one answered with the
  // newest revision, after checking no two PUTs got the same revision.
  std::map<std::string, StoredAppointment> ExpectedFinalStates() {
    std::map<std::string, StoredAppointment> expected;
    for (auto& entry : RevisionsById()) {
      std::sort(entry.second.begin(), entry.second.end());
      CHECK_TEXT(std::adjacent_find(entry.second.begin(), entry.second.end()) ==
                     entry.second.end(),
                 entry.first.c_str());
    }
    for (const WriterLog& log : writers) {
      for (const StoredAppointment& ack : log.acks) {
        if (ack.revision > expected[ack.id].revision) expected[ack.id] = ack;
      }
    }
    return expected;
  }

  void CheckStored(const std::map<std::string, StoredAppointment>& expected) {
    test::ApiClient api(daemon->port(), key);
    for (const auto& entry : expected) {
      httplib::Result got = api.Get("/appointments/" + entry.first);
      StoredAppointment stored;
      CHECK_TEXT(got && test::ParseAppointment(got->body, &stored),
                 entry.first.c_str());
      CHECK_TEXT(stored.fields == entry.second.fields, got->body.c_str());
      CHECK_TEXT(stored.revision >= entry.second.revision, entry.first.c_str());
      CHECK_TEXT(feed.latest[entry.first] >= entry.second.revision,
                 ("the follower missed " + entry.first).c_str());
    }
    LONGS_EQUAL(expected.size(), feed.latest.size());
    // The sync engine may still be updating appointments: a walk of the
    // feed shows each once only when nothing changes meanwhile.
    CHECK_TRUE(test::WaitForQuietFeed(&api));
    STRCMP_EQUAL("", test::CompareFeedFromStart(&api, expected).c_str());
  }
};

TEST(ConcurrentWrites, NoLostWriteNoLockErrorWhileTheCliWritesToo) {
  RunAll(test::TestSeed("ConcurrentWrites"));
  for (const WriterLog& log : writers) {
    STRCMP_EQUAL("", log.problems.c_str());
    LONGS_EQUAL(kPutsPerWriter, log.acks.size());
  }
  for (const std::string& problems : reader_problems) {
    STRCMP_EQUAL("", problems.c_str());
  }
  STRCMP_EQUAL("", feed.problems.c_str());
  STRCMP_EQUAL("", cli_problems.c_str());
  std::map<std::string, StoredAppointment> expected = ExpectedFinalStates();
  CheckStored(expected);
  int64_t count = -1;
  Status s =
      test::CheckDatabase(daemon->data_dir() + "/telemed-bridge.db", &count);
  CHECK_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(expected.size(), count);
  UT_PRINT(("CLI runs beside the PUTs: " + std::to_string(cli_runs)).c_str());
  LONGS_EQUAL(0, daemon->Terminate());
}

}  // namespace telemed
