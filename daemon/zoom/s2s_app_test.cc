#include "zoom/s2s_app.h"

#include <CppUTest/TestHarness.h>

#include <string>

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

}  // namespace telemed
