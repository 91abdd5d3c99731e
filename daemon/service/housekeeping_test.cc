#include "service/housekeeping.h"

#include <CppUTest/TestHarness.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "base/log.h"
#include "support/fake_notifier.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_bed.h"
#include "support/zoom_bridge.h"
#include "zoom/oauth_connect.h"
#include "zoom/revoke_queue.h"
#include "zoom/user_token_source.h"

namespace telemed {

TEST_GROUP(Housekeeping) {
  CapturingLogger logger;
  std::unique_ptr<test::ZoomBed> bed;
  std::atomic<int> stop_requests{0};
  // WatchdogSec=400ms: ticks every 100 ms.
  test::FakeNotifier notifier{std::chrono::milliseconds(400)};
  std::atomic<bool> api_answers{true};

  void setup() override {
    bed = std::make_unique<test::ZoomBed>();
    bed->PutDoctor("dr-1", "doctor@clinic.example");
  }

  Housekeeping::Options MakeOptions() {
    Housekeeping::Options options;
    options.store = bed->store.get();
    options.logger = &logger;
    options.retention_days = 30;
    options.activity = [] { return uint64_t{0}; };
    options.request_stop = [this](const Status&) {
      return stop_requests.fetch_add(1) == 0;
    };
    options.zoom_watch.store = bed->store.get();
    options.zoom_watch.tokens = &bed->harness->tokens();
    options.zoom_watch.api = &bed->harness->api();
    options.zoom_watch.clock = &bed->clock;
    options.zoom_watch.logger = &logger;
    options.status_line.store = bed->store.get();
    options.status_line.notifier = &notifier;
    options.status_line.listening = "127.0.0.1:8080";
    options.watchdog.notifier = &notifier;
    options.watchdog.clock = &bed->clock;
    options.watchdog.logger = &logger;
    options.watchdog.api_answers = [this] { return api_answers.load(); };
    options.watchdog.runner_turns = [] { return uint64_t{0}; };
    options.watchdog.stopping = [] { return false; };
    options.daily_backup.clock = &bed->clock;
    options.daily_backup.dir = bed->dir.File("backups");
    return options;
  }

  bool WaitForLog(const std::string& needle) {
    return test::WaitUntil([&] { return logger.Contains(needle); },
                           std::chrono::seconds(30));
  }
};

TEST(Housekeeping, EveryTaskRunsAtStartAndAHealthyDatabaseKeepsServing) {
  Housekeeping housekeeping(MakeOptions());
  CHECK_TRUE(WaitForLog("purged 0 appointment(s) that ended more than 30"));
  CHECK_TRUE(WaitForLog("zoom check: ok (credentials, scopes, 1 doctor(s))"));
  housekeeping.Stop();
  housekeeping.Stop();
  LONGS_EQUAL(0, stop_requests.load());
}

TEST(Housekeeping, PurgesExpiredConnectLinksAndOAuthAttempts) {
  const int64_t now = bed->clock.NowSeconds();
  OAuthAttempt link;
  link.doctor_id = "dr-1";
  link.expires_at = now - 1;
  CHECK_TRUE(bed->store->AddConnectLink("h-old", link, now - 900).ok());
  link.sealed_verifier = "v";
  CHECK_TRUE(bed->store->AddOAuthAttempt("s-old", link, now - 600).ok());
  Housekeeping housekeeping(MakeOptions());
  CHECK_TRUE(
      WaitForLog("purged 2 expired connect link(s) and OAuth attempt(s)"));
  housekeeping.Stop();
  OAuthAttempt out;
  bool found = true;
  CHECK_TRUE(
      bed->store->SpendConnectLink("h-old", now - 900, &out, &found).ok());
  CHECK_FALSE(found);
}

TEST(Housekeeping, WritesTheFirstDailyBackupAtStart) {
  Housekeeping housekeeping(MakeOptions());
  CHECK_TRUE(WaitForLog("daily backup written to " + bed->dir.File("backups")));
  housekeeping.Stop();
  std::vector<BackupFile> files;
  CHECK_TRUE(ListBackups(bed->dir.File("backups"), &files).ok());
  LONGS_EQUAL(1, files.size());
}

TEST(Housekeeping, BackupsOffWritesNone) {
  Housekeeping::Options options = MakeOptions();
  options.daily_backup.keep = 0;
  {
    Housekeeping housekeeping(options);
    CHECK_TRUE(WaitForLog("purged 0 appointment(s)"));
  }
  CHECK_EQUAL(-1, access(bed->dir.File("backups").c_str(), F_OK));
}

TEST(Housekeeping, ADeletedDatabaseAsksTheDaemonToStopOnce) {
  LONGS_EQUAL(0, unlink(bed->dir.File("bridge.db").c_str()));
  Housekeeping housekeeping(MakeOptions());
  // The check runs every second: the second run asks again, and only the
  // first request is logged.
  CHECK_TRUE(test::WaitUntil([this] { return stop_requests.load() >= 2; },
                             std::chrono::seconds(30)));
  housekeeping.Stop();
  int stopping_lines = 0;
  for (const std::string& line : logger.Lines()) {
    if (line.find("; stopping") != std::string::npos) ++stopping_lines;
  }
  LONGS_EQUAL(1, stopping_lines);
}

TEST(Housekeeping, ShowsTheStatusLineAndPingsTheWatchdogWhileAlive) {
  Housekeeping housekeeping(MakeOptions());
  CHECK_TRUE(
      test::WaitUntil([this] { return notifier.Count("WATCHDOG=1") >= 2; },
                      std::chrono::seconds(30)));
  CHECK_TRUE(test::WaitUntil(
      [this] {
        return notifier.Count(
                   "STATUS=serving 127.0.0.1:8080; 0 pending, 0 failed; Zoom "
                   "OK") == 1;
      },
      std::chrono::seconds(30)));
  // An API that stops answering gets no more pings.
  api_answers = false;
  CHECK_TRUE(WaitForLog("the API did not answer its health check"));
  // Ticks run one after the other: none after the one that logged pings.
  int pings = notifier.Count("WATCHDOG=1");
  usleep(300 * 1000);
  LONGS_EQUAL(pings, notifier.Count("WATCHDOG=1"));
  housekeeping.Stop();
}

TEST(Housekeeping, WithoutAWatchdogNothingPings) {
  test::FakeNotifier no_watchdog;
  Housekeeping::Options options = MakeOptions();
  options.status_line.notifier = &no_watchdog;
  options.watchdog.notifier = &no_watchdog;
  Housekeeping housekeeping(options);
  CHECK_TRUE(
      test::WaitUntil([&no_watchdog] { return !no_watchdog.Sent().empty(); },
                      std::chrono::seconds(30)));
  housekeeping.Stop();
  LONGS_EQUAL(0, no_watchdog.Count("WATCHDOG=1"));
}

TEST(Housekeeping, RetriesQueuedRevokesAndPurgesDisconnectingGrants) {
  CHECK_TRUE(
      SaveOAuthApp(bed->store.get(), bed->harness->box(), test::FakeOAuthApp())
          .ok());
  OAuthConnectDeps deps;
  deps.records = bed->store.get();
  deps.grants = bed->store.get();
  deps.revokes = bed->store.get();
  deps.settings = bed->store.get();
  deps.box = &bed->harness->box();
  deps.oauth = test::Endpoint(bed->harness.get(), &bed->clock);
  PendingRevoke entry;
  CHECK_TRUE(QueueRevoke(RevokeDepsOf(deps), "dr-9", "old-refresh",
                         bed->clock.NowSeconds(), &entry)
                 .ok());
  // A disconnect interrupted before its purge (no deletion is queued).
  DoctorGrant grant;
  grant.doctor_id = "dr-8";
  CHECK_TRUE(deps.box
                 ->Seal(GrantPurpose("refresh", "dr-8"), "refresh-8",
                        &grant.sealed_refresh_token)
                 .ok());
  int64_t generation = 0;
  bool applied = false;
  CHECK_TRUE(bed->store->PutGrant(grant, &generation).ok());
  CHECK_TRUE(
      bed->store->SetGrantState("dr-8", 0, GrantState::kDisconnecting, &applied)
          .ok());
  Housekeeping::Options options = MakeOptions();
  options.oauth_connect = &deps;
  Housekeeping housekeeping(options);
  CHECK_TRUE(test::WaitUntil(
      [this] {
        std::vector<PendingRevoke> due;
        DoctorGrant left;
        bool found = true;
        return bed->store->ListDueRevokes(int64_t{1} << 40, 10, &due).ok() &&
               due.empty() &&
               bed->store->GetGrant("dr-8", &left, &found).ok() && !found;
      },
      std::chrono::seconds(30)));
  housekeeping.Stop();
  LONGS_EQUAL(2, bed->harness->zoom().CountRequests("POST", "/oauth/revoke"));
}

}  // namespace telemed
