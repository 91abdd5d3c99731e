#include "secrets/secret_key.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "base/random.h"
#include "support/temp_dir.h"

namespace telemed {

TEST_GROUP(SecretKey) {
  test::TempDir dir;
  std::unique_ptr<RandomSource> random;
  void setup() override { CHECK_TRUE(RealRandom::Open(&random).ok()); }

  void WriteFile(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
  }
};

TEST(SecretKey, ExplicitPathsWinInOrder) {
  KeyLocation location =
      ResolveKeyPath("/k/flag", "/k/env", "/creds", "/etc/k", "/d");
  STRCMP_EQUAL("/k/flag", location.path.c_str());
  CHECK_FALSE(location.create_if_missing);
  STRCMP_EQUAL(
      "/k/env",
      ResolveKeyPath("", "/k/env", "/creds", "/etc/k", "/d").path.c_str());
  STRCMP_EQUAL(
      "/creds/telemed-bridge.key",
      ResolveKeyPath("", nullptr, "/creds", "/etc/k", "/d").path.c_str());
  location = ResolveKeyPath("", "", nullptr, "", "/d");
  STRCMP_EQUAL("/d/secret.key", location.path.c_str());
  CHECK_TRUE(location.create_if_missing);
}

// A packaged build names a key file outside the data dir: it is used when
// nothing more explicit is given, and it is never created on the fly.
TEST(SecretKey, TheBuildsDefaultKeyFileIsNeverCreated) {
  KeyLocation location = ResolveKeyPath("", nullptr, nullptr, "/etc/k", "/d");
  STRCMP_EQUAL("/etc/k", location.path.c_str());
  CHECK_FALSE(location.create_if_missing);
}

TEST(SecretKey, CreateWritesA0600KeyThatLoads) {
  std::string path = dir.File("etc/secret.key");
  CHECK_TRUE(SecretKey::Create(path, random.get()).ok());
  struct stat info;
  CHECK_EQUAL(0, stat(path.c_str(), &info));
  LONGS_EQUAL(0600, info.st_mode & 0777);
  LONGS_EQUAL(32, info.st_size);
  CHECK_EQUAL(0, stat(dir.File("etc").c_str(), &info));
  LONGS_EQUAL(0700, info.st_mode & 0777);
  std::unique_ptr<SecretKey> key;
  CHECK_TRUE(SecretKey::Load({path, false}, random.get(), &key).ok());
}

TEST(SecretKey, CreateNeverReplacesAFile) {
  std::string path = dir.File("secret.key");
  WriteFile(path, "not a key, but someone's file");
  Status s = SecretKey::Create(path, random.get());
  CHECK_TRUE(s.code() == Status::Code::kAlreadyExists);
  CHECK(s.message().find(path) != std::string::npos);
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  STRCMP_EQUAL("not a key, but someone's file", content.c_str());
}

TEST(SecretKey, CreateNamesAMissingGrandparent) {
  std::string path = dir.File("no/such/secret.key");
  Status s = SecretKey::Create(path, random.get());
  CHECK_FALSE(s.ok());
  CHECK(s.message().find(dir.File("no/such")) != std::string::npos);
}

TEST(SecretKey, DefaultKeyIsCreatedOnceWithMode0600) {
  KeyLocation location{dir.File("secret.key"), true};
  std::unique_ptr<SecretKey> first, second;
  CHECK_TRUE(SecretKey::Load(location, random.get(), &first).ok());
  CHECK_TRUE(SecretKey::Load(location, random.get(), &second).ok());
  STRCMP_EQUAL(first->fingerprint().c_str(), second->fingerprint().c_str());
  LONGS_EQUAL(32, first->fingerprint().size());
  struct stat info;
  CHECK_EQUAL(0, stat(location.path.c_str(), &info));
  LONGS_EQUAL(0600, info.st_mode & 0777);
  LONGS_EQUAL(32, info.st_size);
}

TEST(SecretKey, MissingExplicitKeyIsAnErrorNotACreation) {
  KeyLocation location{dir.File("absent.key"), false};
  std::unique_ptr<SecretKey> key;
  Status s = SecretKey::Load(location, random.get(), &key);
  STRCMP_EQUAL("secret_key_unreadable", s.reason().c_str());
  CHECK(s.message().find(location.path) != std::string::npos);
  CHECK(key == nullptr);
}

TEST(SecretKey, WrongSizeIsRefused) {
  WriteFile(dir.File("short.key"), "too short");
  std::unique_ptr<SecretKey> key;
  Status s = SecretKey::Load({dir.File("short.key"), true}, random.get(), &key);
  STRCMP_EQUAL("secret_key_invalid", s.reason().c_str());
}

TEST(SecretKey, DifferentKeysHaveDifferentFingerprintsAndSubkeys) {
  uint8_t a[32] = {1}, b[32] = {2};
  auto key_a = SecretKey::FromBytes(a);
  auto key_b = SecretKey::FromBytes(b);
  CHECK(key_a->fingerprint() != key_b->fingerprint());
  uint8_t sub_a[32], sub_b[32], sub_a2[32];
  key_a->DeriveSubkey("marker", sub_a);
  key_b->DeriveSubkey("marker", sub_b);
  key_a->DeriveSubkey("other", sub_a2);
  CHECK(memcmp(sub_a, sub_b, 32) != 0);
  CHECK(memcmp(sub_a, sub_a2, 32) != 0);
}

}  // namespace telemed
