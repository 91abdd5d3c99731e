// Connect links and OAuth attempts: single-use, expiring, purged as new ones
// are added.
#include <string>

#include "store/store.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

constexpr int64_t kNow = 1767258000;

OAuthAttempt Attempt(const std::string& doctor_id, int64_t expires_at,
                     const std::string& verifier = "") {
  OAuthAttempt attempt;
  attempt.doctor_id = doctor_id;
  attempt.sealed_verifier = verifier;
  attempt.expires_at = expires_at;
  return attempt;
}

}  // namespace

TEST_GROUP_BASE(OAuthAttempts, StoreFixture){
    bool LinkFound(const std::string& key, int64_t now){OAuthAttempt out;
bool found = false;
CHECK_OK(store->FindConnectLink(key, now, &out, &found));
return found;
}  // namespace telemed
bool AttemptTaken(const std::string& key, int64_t now) {
  OAuthAttempt out;
  bool found = false;
  CHECK_OK(store->TakeOAuthAttempt(key, now, &out, &found));
  return found;
}
}
;

TEST(OAuthAttempts, ALinkIsFoundUntilItIsSpentOnce) {
  CHECK_OK(store->AddConnectLink("h1", Attempt("d1", kNow + 900), kNow));
  OAuthAttempt link;
  bool found = false;
  CHECK_OK(store->FindConnectLink("h1", kNow, &link, &found));
  CHECK(found);
  CHECK_OK(store->FindConnectLink("h1", kNow, &link, &found));
  CHECK(found);  // looking does not spend it
  CHECK_OK(store->SpendConnectLink("h1", kNow + 899, &link, &found));
  CHECK(found);
  STRCMP_EQUAL("d1", link.doctor_id.c_str());
  LONGS_EQUAL(kNow + 900, link.expires_at);
  CHECK_OK(store->SpendConnectLink("h1", kNow + 899, &link, &found));
  CHECK_FALSE(found);
  CHECK_OK(store->FindConnectLink("h1", kNow, &link, &found));
  CHECK_FALSE(found);
}

TEST(OAuthAttempts, AnExpiredLinkIsNotFoundAndSpendingDeletesIt) {
  CHECK_OK(store->AddConnectLink("h1", Attempt("d1", kNow + 900), kNow));
  OAuthAttempt link;
  bool found = true;
  CHECK_OK(store->FindConnectLink("h1", kNow + 900, &link, &found));
  CHECK_FALSE(found);
  CHECK_OK(store->SpendConnectLink("h1", kNow + 900, &link, &found));
  CHECK_FALSE(found);
  CHECK_OK(store->SpendConnectLink("h1", kNow, &link, &found));
  CHECK_FALSE(found);  // the expired spend deleted it
}

TEST(OAuthAttempts, UnknownLinkOrStateIsNotFound) {
  OAuthAttempt out;
  bool found = true;
  CHECK_OK(store->FindConnectLink("nope", kNow, &out, &found));
  CHECK_FALSE(found);
  found = true;
  CHECK_OK(store->TakeOAuthAttempt("nope", kNow, &out, &found));
  CHECK_FALSE(found);
}

TEST(OAuthAttempts, AnAttemptKeepsItsVerifierAndIsTakenOnce) {
  const std::string sealed("sealed\0verifier", 15);
  CHECK_OK(
      store->AddOAuthAttempt("s1", Attempt("d2", kNow + 600, sealed), kNow));
  OAuthAttempt attempt;
  bool found = false;
  CHECK_OK(store->TakeOAuthAttempt("s1", kNow + 1, &attempt, &found));
  CHECK(found);
  STRCMP_EQUAL("d2", attempt.doctor_id.c_str());
  CHECK(attempt.sealed_verifier == sealed);
  CHECK_OK(store->TakeOAuthAttempt("s1", kNow + 1, &attempt, &found));
  CHECK_FALSE(found);
}

TEST(OAuthAttempts, AnExpiredAttemptIsRefused) {
  CHECK_OK(store->AddOAuthAttempt("s1", Attempt("d2", kNow + 600, "v"), kNow));
  OAuthAttempt attempt;
  bool found = true;
  CHECK_OK(store->TakeOAuthAttempt("s1", kNow + 600, &attempt, &found));
  CHECK_FALSE(found);
}

TEST(OAuthAttempts, AddingDropsExpiredRows) {
  CHECK_OK(store->AddConnectLink("old", Attempt("d1", kNow + 10), kNow));
  CHECK_OK(store->AddOAuthAttempt("olds", Attempt("d1", kNow + 10, "v"), kNow));
  CHECK_OK(store->AddConnectLink("new", Attempt("d1", kNow + 900), kNow + 20));
  CHECK_OK(store->AddOAuthAttempt("news", Attempt("d1", kNow + 900, "v"),
                                  kNow + 20));
  // Looked at as of kNow they would be valid: gone means purged.
  CHECK_FALSE(LinkFound("old", kNow));
  CHECK_FALSE(AttemptTaken("olds", kNow));
  CHECK(LinkFound("new", kNow + 20));
}

TEST(OAuthAttempts, HousekeepingPurgesWhatExpiredByNow) {
  clock.SetMicros(kNow * 1000000);
  CHECK_OK(store->AddConnectLink("old", Attempt("d1", kNow + 10), kNow));
  CHECK_OK(store->AddOAuthAttempt("olds", Attempt("d1", kNow + 10, "v"), kNow));
  CHECK_OK(store->AddConnectLink("new", Attempt("d1", kNow + 900), kNow));
  CHECK_OK(
      store->AddOAuthAttempt("news", Attempt("d1", kNow + 900, "v"), kNow));
  int purged = -1;
  CHECK_OK(store->PurgeExpiredOAuthSteps(&purged));
  LONGS_EQUAL(0, purged);
  clock.SetMicros((kNow + 10) * 1000000);
  CHECK_OK(store->PurgeExpiredOAuthSteps(&purged));
  LONGS_EQUAL(2, purged);
  // Looked at as of kNow they would be valid: gone means purged.
  CHECK_FALSE(LinkFound("old", kNow));
  CHECK_FALSE(AttemptTaken("olds", kNow));
  CHECK(LinkFound("new", kNow));
  CHECK(AttemptTaken("news", kNow));
}

TEST(OAuthAttempts, ADoctorsStepsAreDroppedTogetherOthersKept) {
  CHECK_OK(store->AddConnectLink("l1", Attempt("d1", kNow + 900), kNow));
  CHECK_OK(store->AddOAuthAttempt("s1", Attempt("d1", kNow + 600, "v"), kNow));
  CHECK_OK(store->AddConnectLink("l2", Attempt("d2", kNow + 900), kNow));
  CHECK_OK(store->AddOAuthAttempt("s2", Attempt("d2", kNow + 600, "v"), kNow));
  int dropped = -1;
  CHECK_OK(store->DropDoctorOAuthSteps("d1", &dropped));
  LONGS_EQUAL(2, dropped);
  CHECK_FALSE(LinkFound("l1", kNow));
  CHECK_FALSE(AttemptTaken("s1", kNow));
  CHECK(LinkFound("l2", kNow));
  CHECK(AttemptTaken("s2", kNow));
  CHECK_OK(store->DropDoctorOAuthSteps("d1", &dropped));
  LONGS_EQUAL(0, dropped);
}

}  // namespace telemed
