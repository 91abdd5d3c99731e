#include <string>
#include <vector>

#include "store/store.h"
#include "store/testutil.h"

namespace telemed {

using test::StoreFixture;

TEST_GROUP_BASE(StoreAdminAccounts, StoreFixture){
    AdminSession Session(const std::string& id, int64_t at){
        return AdminSession{id, "csrf-" + id, at, at, "192.0.2.7"};
}  // namespace telemed
bool HasSession(const std::string& id) {
  AdminSession session;
  bool found = false;
  CHECK_OK(store->GetSession(id, &session, &found));
  return found;
}
std::string AdminHash() {
  std::string hash;
  bool found = false;
  CHECK_OK(store->GetAdminPasswordHash(&hash, &found));
  return found ? hash : "(none)";
}
}
;

TEST(StoreAdminAccounts, SetupCodeMakesTheAdminOnceAndIsUsedUp) {
  STRCMP_EQUAL("(none)", AdminHash().c_str());
  STRCMP_EQUAL("setup_code_invalid",
               store->CreateAdmin("c0de", "h1").reason().c_str());
  CHECK_OK(store->PutSetupCode("c0de", clock.NowSeconds() + 60));
  STRCMP_EQUAL("setup_code_invalid",
               store->CreateAdmin("other", "h1").reason().c_str());
  CHECK_OK(store->CreateAdmin("c0de", "h1"));
  STRCMP_EQUAL("h1", AdminHash().c_str());
  Status again = store->CreateAdmin("c0de", "h2");
  STRCMP_EQUAL("already_set_up", again.reason().c_str());
  CHECK(again.code() == Status::Code::kConflict);
  STRCMP_EQUAL(
      "already_set_up",
      store->PutSetupCode("new", clock.NowSeconds() + 60).reason().c_str());
  STRCMP_EQUAL("h1", AdminHash().c_str());
}

TEST(StoreAdminAccounts, ExpiredOrReplacedSetupCodeIsRefused) {
  CHECK_OK(store->PutSetupCode("first", clock.NowSeconds() + 60));
  CHECK_OK(store->PutSetupCode("second", clock.NowSeconds() + 60));
  STRCMP_EQUAL("setup_code_invalid",
               store->CreateAdmin("first", "h").reason().c_str());
  clock.AdvanceSeconds(60);
  Status s = store->CreateAdmin("second", "h");
  STRCMP_EQUAL("setup_code_invalid", s.reason().c_str());
  STRCMP_EQUAL("setup_code", s.field().c_str());
  STRCMP_EQUAL("(none)", AdminHash().c_str());
}

TEST(StoreAdminAccounts, SessionsAreKeptTouchedAndEnded) {
  const int64_t t0 = clock.NowSeconds();
  CHECK_OK(store->AddSession(Session("a", t0)));
  CHECK_OK(store->AddSession(Session("b", t0)));
  CHECK_OK(store->AddSession(Session("c", t0)));
  CHECK_OK(store->TouchSession("a", t0 + 50));
  AdminSession got;
  bool found = false;
  CHECK_OK(store->GetSession("a", &got, &found));
  CHECK_TRUE(found);
  STRCMP_EQUAL("csrf-a", got.csrf_token.c_str());
  LONGS_EQUAL(t0, got.created_at);
  LONGS_EQUAL(t0 + 50, got.last_seen_at);
  STRCMP_EQUAL("192.0.2.7", got.address.c_str());

  CHECK_OK(store->EndSession("c"));
  CHECK_FALSE(HasSession("c"));
  CHECK_OK(store->EndOtherSessions("a"));
  CHECK_TRUE(HasSession("a"));
  CHECK_FALSE(HasSession("b"));
  CHECK_OK(store->EndOtherSessions(""));
  CHECK_FALSE(HasSession("a"));
}

TEST(StoreAdminAccounts, PasswordChangeEndsEverySessionAndTheSetupCode) {
  CHECK_OK(store->PutSetupCode("code", clock.NowSeconds() + 60));
  CHECK_OK(store->SetAdminPassword("reset"));
  STRCMP_EQUAL("reset", AdminHash().c_str());
  STRCMP_EQUAL("already_set_up",
               store->CreateAdmin("code", "h").reason().c_str());
  CHECK_OK(store->AddSession(Session("a", clock.NowSeconds())));
  CHECK_OK(store->SetAdminPassword("again"));
  CHECK_FALSE(HasSession("a"));
  STRCMP_EQUAL("again", AdminHash().c_str());
}

TEST(StoreAdminAccounts, PurgeDropsOldOrIdleSessions) {
  const int64_t t0 = clock.NowSeconds();
  CHECK_OK(store->AddSession(Session("old", t0 - 100)));
  CHECK_OK(store->TouchSession("old", t0));
  CHECK_OK(store->AddSession(Session("idle", t0)));
  CHECK_OK(store->AddSession(Session("live", t0)));
  CHECK_OK(store->TouchSession("live", t0 + 10));
  CHECK_OK(store->PurgeSessions(t0 - 50, t0 + 5));
  CHECK_FALSE(HasSession("old"));
  CHECK_FALSE(HasSession("idle"));
  CHECK_TRUE(HasSession("live"));
}

TEST(StoreAdminAccounts, AuditListsNewestFirstInPages) {
  for (int i = 0; i < 5; ++i) {
    CHECK_OK(store->AddAuditEntry(
        AuditEntry{0, 0, "sign_in", "192.0.2.1", "n" + std::to_string(i)}));
    clock.AdvanceSeconds(10);
  }
  std::vector<AuditEntry> page;
  CHECK_OK(store->ListAuditEntries(0, 2, &page));
  LONGS_EQUAL(2, page.size());
  STRCMP_EQUAL("n4", page[0].detail.c_str());
  STRCMP_EQUAL("n3", page[1].detail.c_str());
  LONGS_EQUAL(clock.NowSeconds() - 10, page[0].at);
  CHECK_OK(store->ListAuditEntries(page[1].id, 10, &page));
  LONGS_EQUAL(3, page.size());
  STRCMP_EQUAL("n2", page[0].detail.c_str());
  STRCMP_EQUAL("192.0.2.1", page[2].address.c_str());
  STRCMP_EQUAL("invalid_limit",
               store->ListAuditEntries(0, 0, &page).reason().c_str());
}

TEST(StoreAdminAccounts, PurgeDropsEntriesOlderThanTheDaysKept) {
  for (int day = 0; day < 3; ++day) {
    CHECK_OK(store->AddAuditEntry(AuditEntry{0, 0, "sign_in", "192.0.2.1",
                                             "day " + std::to_string(day)}));
    clock.AdvanceSeconds(86400);
  }
  // Now: day 3. Kept for 2 days: day 1 (exactly 2 days old) and day 2.
  int purged = 0;
  CHECK_OK(store->PurgeAuditEntries(2, &purged));
  LONGS_EQUAL(1, purged);
  std::vector<AuditEntry> page;
  CHECK_OK(store->ListAuditEntries(0, 10, &page));
  LONGS_EQUAL(2, page.size());
  STRCMP_EQUAL("day 1", page[1].detail.c_str());
  CHECK_OK(store->PurgeAuditEntries(kAuditKeepDays, &purged));
  LONGS_EQUAL(0, purged);
}

TEST(StoreAdminAccounts, AdminSurvivesReopening) {
  CHECK_OK(store->SetAdminPassword("kept"));
  store = OpenStore();
  STRCMP_EQUAL("kept", AdminHash().c_str());
}

}  // namespace telemed
