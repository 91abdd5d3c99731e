// Per-doctor OAuth grants: optimistic token updates by generation, states,
// and a purge that leaves no token byte in the database or its WAL.
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

DoctorGrant MakeGrant(const std::string& doctor_id, const std::string& tag) {
  DoctorGrant grant;
  grant.doctor_id = doctor_id;
  grant.sealed_access_token = "ACCESS-" + tag + std::string(300, 'a');
  grant.sealed_refresh_token = "REFRESH-" + tag + std::string(300, 'r');
  grant.access_expires_at = 1767261600;
  grant.zoom_user_id = "zu-" + doctor_id;
  grant.zoom_email = doctor_id + "@clinic.example";
  grant.connected_at = 1767258000;
  return grant;
}

}  // namespace

TEST_GROUP_BASE(DoctorGrants, StoreFixture){
    DoctorGrant Get(const std::string& doctor_id){DoctorGrant grant;
bool found = false;
CHECK_OK(store->GetGrant(doctor_id, &grant, &found));
CHECK(found);
return grant;
}  // namespace telemed
}
;

TEST(DoctorGrants, PutStoresAConnectedGrantWithANewGeneration) {
  DoctorGrant grant = MakeGrant("d1", "one");
  grant.state = GrantState::kReconnectNeeded;  // ignored
  int64_t first = 0, second = 0;
  CHECK_OK(store->PutGrant(grant, &first));
  CHECK(first > 0);
  DoctorGrant stored = Get("d1");
  CHECK(stored.state == GrantState::kConnected);
  CHECK(stored.sealed_access_token == grant.sealed_access_token);
  CHECK(stored.sealed_refresh_token == grant.sealed_refresh_token);
  LONGS_EQUAL(grant.access_expires_at, stored.access_expires_at);
  STRCMP_EQUAL("zu-d1", stored.zoom_user_id.c_str());
  STRCMP_EQUAL("d1@clinic.example", stored.zoom_email.c_str());
  LONGS_EQUAL(grant.connected_at, stored.connected_at);
  LONGS_EQUAL(first, stored.generation);
  CHECK_OK(store->PutGrant(MakeGrant("d1", "two"), &second));
  CHECK(second > first);
  DoctorGrant missing;
  bool found = true;
  CHECK_OK(store->GetGrant("d2", &missing, &found));
  CHECK_FALSE(found);
}

TEST(DoctorGrants, TokenUpdateAppliesOnlyToTheGenerationItRead) {
  int64_t generation = 0, next = 0;
  CHECK_OK(store->PutGrant(MakeGrant("d1", "one"), &generation));
  bool applied = false;
  CHECK_OK(store->UpdateGrantTokens("d1", generation, "A2", "R2", 99, &applied,
                                    &next));
  CHECK(applied);
  CHECK(next > generation);
  DoctorGrant stored = Get("d1");
  STRCMP_EQUAL("A2", stored.sealed_access_token.c_str());
  STRCMP_EQUAL("R2", stored.sealed_refresh_token.c_str());
  LONGS_EQUAL(99, stored.access_expires_at);
  STRCMP_EQUAL("zu-d1", stored.zoom_user_id.c_str());
  // A second refresh that read the old generation loses.
  int64_t unused = 0;
  CHECK_OK(store->UpdateGrantTokens("d1", generation, "A3", "R3", 100, &applied,
                                    &unused));
  CHECK_FALSE(applied);
  STRCMP_EQUAL("R2", Get("d1").sealed_refresh_token.c_str());
  // So does one for a grant that needs a reconnect.
  CHECK_OK(
      store->SetGrantState("d1", next, GrantState::kReconnectNeeded, &applied));
  CHECK(applied);
  const int64_t refused = Get("d1").generation;
  CHECK_OK(store->UpdateGrantTokens("d1", refused, "A4", "R4", 100, &applied,
                                    &unused));
  CHECK_FALSE(applied);
  CHECK(Get("d1").state == GrantState::kReconnectNeeded);
}

TEST(DoctorGrants, GenerationsNeverRepeatAcrossAPurge) {
  int64_t before = 0, after = 0;
  CHECK_OK(store->PutGrant(MakeGrant("d1", "one"), &before));
  CHECK_OK(store->PurgeGrant("d1"));
  CHECK_OK(store->PutGrant(MakeGrant("d1", "two"), &after));
  CHECK(after > before);
  bool applied = true;
  int64_t unused = 0;
  CHECK_OK(
      store->UpdateGrantTokens("d1", before, "A", "R", 1, &applied, &unused));
  CHECK_FALSE(applied);
}

TEST(DoctorGrants, StateChangesHonourTheExpectedGeneration) {
  int64_t generation = 0;
  CHECK_OK(store->PutGrant(MakeGrant("d1", "one"), &generation));
  bool applied = true;
  CHECK_OK(store->SetGrantState("d1", generation + 100,
                                GrantState::kDisconnecting, &applied));
  CHECK_FALSE(applied);
  CHECK_OK(store->SetGrantState("d1", 0, GrantState::kDisconnecting, &applied));
  CHECK(applied);
  CHECK(Get("d1").state == GrantState::kDisconnecting);
  CHECK_OK(
      store->SetGrantState("nobody", 0, GrantState::kDisconnecting, &applied));
  CHECK_FALSE(applied);
  STRCMP_EQUAL("disconnecting", GrantStateName(GrantState::kDisconnecting));
  STRCMP_EQUAL("reconnect_needed",
               GrantStateName(GrantState::kReconnectNeeded));
}

TEST(DoctorGrants, ListsEveryGrantByDoctor) {
  int64_t generation = 0;
  CHECK_OK(store->PutGrant(MakeGrant("d2", "two"), &generation));
  CHECK_OK(store->PutGrant(MakeGrant("d1", "one"), &generation));
  std::vector<DoctorGrant> grants;
  CHECK_OK(store->ListGrants(&grants));
  LONGS_EQUAL(2, grants.size());
  STRCMP_EQUAL("d1", grants[0].doctor_id.c_str());
  STRCMP_EQUAL("d2", grants[1].doctor_id.c_str());
}

TEST(DoctorGrants, PurgeLeavesNoTokenBytesInTheFileOrTheWal) {
  int64_t generation = 0, next = 0;
  CHECK_OK(store->PutGrant(MakeGrant("d1", "first"), &generation));
  bool applied = false;
  const std::string access2 = "ACCESS-second" + std::string(300, 'b');
  const std::string refresh2 = "REFRESH-second" + std::string(300, 's');
  CHECK_OK(store->UpdateGrantTokens("d1", generation, access2, refresh2, 5,
                                    &applied, &next));
  CHECK(applied);
  // Another doctor's grant stays.
  CHECK_OK(store->PutGrant(MakeGrant("d2", "kept"), &generation));
  // The tokens are in the files before the purge (the check can see them).
  std::string both = FileBytes();
  CHECK(both.find("REFRESH-second") != std::string::npos);

  CHECK_OK(store->PurgeGrant("d1"));
  both = FileBytes();
  for (const char* token :
       {"ACCESS-first", "REFRESH-first", "ACCESS-second", "REFRESH-second"}) {
    if (both.find(token) != std::string::npos) {
      FAIL((std::string(token) + " is still in the database files").c_str());
    }
  }
  CHECK(both.find("REFRESH-kept") != std::string::npos);
  DoctorGrant gone;
  bool found = true;
  CHECK_OK(store->GetGrant("d1", &gone, &found));
  CHECK_FALSE(found);
  CHECK_OK(store->PurgeGrant("d1"));  // nothing left to purge is fine
}

}  // namespace telemed
