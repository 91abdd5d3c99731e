#include "secrets/secret_box.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/random.h"
#include "secrets/secret_key.h"

namespace telemed {

TEST_GROUP(SecretBox) {
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<SecretKey> key;
  std::unique_ptr<SecretBox> box;
  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random).ok());
    uint8_t bytes[32] = {7, 7, 7};
    key = SecretKey::FromBytes(bytes);
    box = std::make_unique<SecretBox>(key.get(), random.get());
  }
};

TEST(SecretBox, SealedSecretOpensToTheSameText) {
  std::string sealed, opened;
  CHECK_TRUE(box->Seal("zoom.client_secret", "s3cr3t-value", &sealed).ok());
  CHECK(sealed.find("s3cr3t-value") == std::string::npos);
  LONGS_EQUAL(1 + 12 + 12 + 16, sealed.size());
  CHECK_TRUE(box->Open("zoom.client_secret", sealed, &opened).ok());
  STRCMP_EQUAL("s3cr3t-value", opened.c_str());
}

TEST(SecretBox, EmptySecretRoundTrips) {
  std::string sealed, opened = "stale";
  CHECK_TRUE(box->Seal("p", "", &sealed).ok());
  CHECK_TRUE(box->Open("p", sealed, &opened).ok());
  STRCMP_EQUAL("", opened.c_str());
}

TEST(SecretBox, EachSealUsesAFreshNonce) {
  std::string a, b;
  CHECK_TRUE(box->Seal("p", "same", &a).ok());
  CHECK_TRUE(box->Seal("p", "same", &b).ok());
  CHECK(a != b);
}

TEST(SecretBox, WrongKeyGivesAClearErrorNotGarbage) {
  std::string sealed, opened;
  CHECK_TRUE(box->Seal("p", "secret", &sealed).ok());
  uint8_t other_bytes[32] = {8};
  auto other_key = SecretKey::FromBytes(other_bytes);
  SecretBox other(other_key.get(), random.get());
  Status s = other.Open("p", sealed, &opened);
  STRCMP_EQUAL("secret_undecryptable", s.reason().c_str());
  STRCMP_EQUAL("", opened.c_str());
}

TEST(SecretBox, TamperingOrAnotherPurposeFails) {
  std::string sealed, opened;
  CHECK_TRUE(box->Seal("zoom.client_secret", "secret", &sealed).ok());
  CHECK_FALSE(box->Open("zoom.access_token", sealed, &opened).ok());
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string damaged = sealed;
    damaged[i] ^= 0x01;
    CHECK_FALSE(box->Open("zoom.client_secret", damaged, &opened).ok());
  }
  CHECK_FALSE(
      box->Open("zoom.client_secret", sealed.substr(0, 10), &opened).ok());
}

TEST(SecretBox, WipeStringClears) {
  std::string text = "token";
  WipeString(&text);
  CHECK_TRUE(text.empty());
}

}  // namespace telemed
