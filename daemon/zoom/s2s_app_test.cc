#include "zoom/s2s_app.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "support/doctor_client_steps.h"
#include "support/zoom_bed.h"

namespace telemed {

TEST_GROUP(S2sApp){};

TEST(S2sApp, IdsArePrintableTokens) {
  CHECK_TRUE(IsValidS2sId("AbC-123_x"));
  CHECK_FALSE(IsValidS2sId(""));
  CHECK_FALSE(IsValidS2sId("two words"));
  CHECK_FALSE(IsValidS2sId("tab\there"));
  CHECK_FALSE(IsValidS2sId("caf\xc3\xa9"));
  CHECK_TRUE(IsValidS2sId(std::string(256, 'a')));
  CHECK_FALSE(IsValidS2sId(std::string(257, 'a')));
}

TEST(S2sApp, ASecretIsTrimmedAndItsFaultsNamed) {
  std::string secret = " \tabc123\r\n";
  CHECK(NormalizeS2sSecret(&secret) == nullptr);
  STRCMP_EQUAL("abc123", secret.c_str());
  secret = "  \n";
  STRCMP_EQUAL("is empty", NormalizeS2sSecret(&secret));
  secret = "abc 123";
  STRCMP_CONTAINS("inside it", NormalizeS2sSecret(&secret));
  secret = std::string("ab\0c", 4);
  STRCMP_EQUAL("holds a NUL byte", NormalizeS2sSecret(&secret));
  secret = std::string(kMaxS2sSecretBytes + 1, 's');
  STRCMP_EQUAL("is too long", NormalizeS2sSecret(&secret));
}

TEST(S2sApp, StoringAndForgettingTellTheDaemon) {
  test::ZoomBed bed;
  std::string before, stored, forgotten;
  CHECK_TRUE(ReadZoomConfigVersion(bed.store.get(), &before).ok());
  STRCMP_EQUAL("", before.c_str());
  CHECK_TRUE(StoreS2sApp(bed.store.get(), bed.harness->box(),
                         S2sCredentials{"acc", "cli", "secret"},
                         ZoomEndpoints(), nullptr)
                 .ok());
  CHECK_TRUE(ReadZoomConfigVersion(bed.store.get(), &stored).ok());
  STRCMP_EQUAL("1", stored.c_str());
  CHECK_TRUE(ForgetS2sApp(bed.store.get()).ok());
  CHECK_TRUE(ReadZoomConfigVersion(bed.store.get(), &forgotten).ok());
  STRCMP_EQUAL("2", forgotten.c_str());
  S2sCredentials ids;
  bool configured = true;
  CHECK_TRUE(LoadS2sAppIds(bed.store.get(), &ids, &configured).ok());
  CHECK_FALSE(configured);
}

TEST(S2sApp, StoringAnAppForgetsTheVerdictAboutThePreviousOne) {
  test::ZoomBed bed;
  ZoomCheckResult old_verdict;
  old_verdict.checked_at = 1;
  CHECK_TRUE(SaveZoomCheck(bed.store.get(), old_verdict).ok());
  CHECK_TRUE(StoreS2sApp(bed.store.get(), bed.harness->box(),
                         S2sCredentials{"acc", "cli", "secret"},
                         ZoomEndpoints(), nullptr)
                 .ok());
  ZoomCheckResult loaded;
  bool found = true;
  CHECK_TRUE(LoadZoomCheck(bed.store.get(), &loaded, &found).ok());
  CHECK_FALSE(found);
}

// Whether the database is still tied to a key: binding another fails.
bool TiedToAKey(Store* store) {
  return !store->BindKeyFingerprint("another-fingerprint", "other.key").ok();
}

TEST(S2sApp, ForgettingTheS2sAppKeepsTheKeyWhileTheOAuthAppIsSealedUnderIt) {
  test::ZoomBed bed;
  CHECK_TRUE(bed.store->BindKeyFingerprint("fp", "secret.key").ok());
  CHECK_TRUE(
      SaveOAuthApp(bed.store.get(), bed.harness->box(), test::FakeOAuthApp())
          .ok());
  bool released = true;
  CHECK_TRUE(ForgetS2sApp(bed.store.get(), &released).ok());
  CHECK_FALSE(released);
  CHECK_TRUE(TiedToAKey(bed.store.get()));
  ForgottenOAuthApp forgotten;
  CHECK_TRUE(ForgetOAuthApp(bed.store.get(), false, &forgotten).ok());
  CHECK_TRUE(forgotten.key_released);
  CHECK_FALSE(TiedToAKey(bed.store.get()));
  OAuthApp app;
  bool configured = true;
  CHECK_TRUE(LoadOAuthAppIds(bed.store.get(), &app, &configured).ok());
  CHECK_FALSE(configured);
}

TEST(S2sApp, ForgettingTheOAuthAppIsRefusedWhileDoctorsAreConnected) {
  test::ZoomBed bed;
  std::unique_ptr<ZoomClient> client = test::OpenDoctorsClient(&bed);
  bed.harness->zoom().AddUser("u2", "two@clinic.example");
  bed.PutDoctor("dr-2", "two@clinic.example", AuthMode::kOauth);
  test::ConnectDoctor(&bed, client.get(), "dr-2", "u2", "two@clinic.example");
  ForgottenOAuthApp forgotten;
  Status s = ForgetOAuthApp(bed.store.get(), false, &forgotten);
  CHECK(s.code() == Status::Code::kConflict);
  STRCMP_EQUAL("oauth_doctors_connected", s.reason().c_str());
  STRCMP_CONTAINS("dr-2", s.message().c_str());
  OAuthApp app;
  bool configured = false;
  CHECK_TRUE(LoadOAuthAppIds(bed.store.get(), &app, &configured).ok());
  CHECK_TRUE(configured);  // nothing was removed
  // Forced: the grant goes too; the S2S app keeps the key.
  CHECK_TRUE(ForgetOAuthApp(bed.store.get(), true, &forgotten).ok());
  LONGS_EQUAL(1, forgotten.disconnected.size());
  CHECK_FALSE(forgotten.key_released);
  std::vector<DoctorGrant> grants;
  CHECK_TRUE(bed.store->ListGrants(&grants).ok());
  LONGS_EQUAL(0, grants.size());
  CHECK_TRUE(LoadOAuthAppIds(bed.store.get(), &app, &configured).ok());
  CHECK_FALSE(configured);
}

// A revoke still owed to Zoom is sealed under the key too; it goes with the
// OAuth app, whose client it needs.
TEST(S2sApp, ARevokeOwedToZoomKeepsTheKeyUntilTheOAuthAppGoes) {
  test::ZoomBed bed;
  CHECK_TRUE(bed.store->BindKeyFingerprint("fp", "secret.key").ok());
  CHECK_TRUE(
      SaveOAuthApp(bed.store.get(), bed.harness->box(), test::FakeOAuthApp())
          .ok());
  PendingRevoke revoke;
  revoke.doctor_id = "dr-2";
  revoke.sealed_token = "sealed-refresh-token";
  revoke.next_attempt_at = bed.clock.NowSeconds() + 86400;  // not yet due
  int64_t id = 0;
  CHECK_TRUE(bed.store->QueueRevoke(revoke, &id).ok());
  bool released = true;
  CHECK_TRUE(ForgetS2sApp(bed.store.get(), &released).ok());
  CHECK_FALSE(released);
  ForgottenOAuthApp forgotten;
  CHECK_TRUE(ForgetOAuthApp(bed.store.get(), false, &forgotten).ok());
  LONGS_EQUAL(1, forgotten.revokes_dropped);
  CHECK_TRUE(forgotten.key_released);
  CHECK_FALSE(TiedToAKey(bed.store.get()));
  std::vector<PendingRevoke> left;
  CHECK_TRUE(bed.store->ListDueRevokes(INT64_MAX, 10, &left).ok());
  LONGS_EQUAL(0, left.size());
}

}  // namespace telemed
