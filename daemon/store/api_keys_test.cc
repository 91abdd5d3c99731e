#include <string>
#include <vector>

#include "base/encoding.h"
#include "store/sqlite.h"
#include "store/store.h"
#include "store/testutil.h"

namespace telemed {

using test::StoreFixture;

TEST_GROUP_BASE(StoreApiKeys, StoreFixture) {
  std::string CreateKey(const std::string& name) {
    std::string key;
    CHECK_OK(store->CreateApiKey(name, &random, &key));
    return key;
  }
  // The last use as the file has it, seen through a second Store.
  int64_t StoredLastUse(const std::string& name) {
    std::unique_ptr<Store> other = OpenStore();
    std::vector<ApiKeyInfo> keys;
    CHECK_OK(other->ListApiKeys(&keys));
    for (const auto& key : keys) {
      if (key.name == name && key.revoked_at == 0) return key.last_used_at;
    }
    FAIL(("no active key " + name).c_str());
    return -1;
  }

  test::CountingRandom random;
};

TEST(StoreApiKeys, CreatedKeyAuthenticatesUntilRevoked) {
  std::string key = CreateKey("pos");
  STRCMP_EQUAL("tbk_", key.substr(0, 4).c_str());
  LONGS_EQUAL(4 + 43, key.size());  // 32 bytes in unpadded base64url
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  STRCMP_EQUAL("pos", name.c_str());

  Status s = store->AuthenticateApiKey(key + "x", &name);
  CHECK(s.code() == Status::Code::kUnauthenticated);
  STRCMP_EQUAL("invalid_api_key", s.reason().c_str());

  clock.AdvanceSeconds(5);
  CHECK_OK(store->RevokeApiKey("pos"));
  s = store->AuthenticateApiKey(key, &name);
  STRCMP_EQUAL("invalid_api_key", s.reason().c_str());
  std::vector<ApiKeyInfo> keys;
  CHECK_OK(store->ListApiKeys(&keys));
  LONGS_EQUAL(1, keys.size());
  LONGS_EQUAL(clock.NowSeconds() - 5, keys[0].created_at);
  LONGS_EQUAL(clock.NowSeconds(), keys[0].revoked_at);
  STRCMP_EQUAL("api_key_not_found",
               store->RevokeApiKey("pos").reason().c_str());
}

TEST(StoreApiKeys, StoresOnlyTheKeysHash) {
  std::string key = CreateKey("pos");
  SqliteDb db;
  CHECK_OK(SqliteDb::Open(path, 1000, &db));
  SqliteStmt stmt;
  CHECK_OK(
      SqliteStmt::Prepare(db.get(), "SELECT key_sha256 FROM api_keys", &stmt));
  bool has_row = false;
  CHECK_OK(stmt.Step(&has_row));
  STRCMP_EQUAL(Sha256Hex(key).c_str(), stmt.ColumnText(0).c_str());
}

TEST(StoreApiKeys, ActiveNameIsUniqueButFreeAfterRevoke) {
  std::string first = CreateKey("pos");
  std::string key;
  Status s = store->CreateApiKey("pos", &random, &key);
  CHECK(s.code() == Status::Code::kAlreadyExists);
  STRCMP_EQUAL("api_key_exists", s.reason().c_str());
  CHECK_TRUE(key.empty());
  CHECK_OK(store->RevokeApiKey("pos"));
  std::string second = CreateKey("pos");
  CHECK(second != first);
  std::vector<ApiKeyInfo> keys;
  CHECK_OK(store->ListApiKeys(&keys));
  LONGS_EQUAL(2, keys.size());
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(second, &name));
}

TEST(StoreApiKeys, RefusesBadNames) {
  std::string key;
  for (const std::string& name :
       {std::string(), std::string(65, 'a'), std::string("a b"),
        std::string("k\xc3\xa4y"), std::string("a/b")}) {
    Status s = store->CreateApiKey(name, &random, &key);
    STRCMP_EQUAL("invalid_name", s.reason().c_str());
    STRCMP_EQUAL("name", s.field().c_str());
  }
  CreateKey(std::string(64, 'a'));
  CreateKey("Front-desk_2.pos");
}

TEST(StoreApiKeys, LastUseReachesFileAtMostOncePerMinute) {
  std::string key = CreateKey("pos");
  const int64_t start = clock.NowSeconds();
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  LONGS_EQUAL(0, StoredLastUse("pos"));
  clock.AdvanceSeconds(59);
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  LONGS_EQUAL(0, StoredLastUse("pos"));
  // This process already knows of the use.
  std::vector<ApiKeyInfo> keys;
  CHECK_OK(store->ListApiKeys(&keys));
  LONGS_EQUAL(start + 59, keys[0].last_used_at);

  clock.AdvanceSeconds(1);
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  LONGS_EQUAL(start + 60, StoredLastUse("pos"));
  clock.AdvanceSeconds(10);
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  LONGS_EQUAL(start + 60, StoredLastUse("pos"));
  CHECK_OK(store->FlushApiKeyUse());
  LONGS_EQUAL(start + 70, StoredLastUse("pos"));
}

TEST(StoreApiKeys, ClosingWritesLastUse) {
  std::string key = CreateKey("pos");
  clock.AdvanceSeconds(3);
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  store.reset();
  LONGS_EQUAL(clock.NowSeconds(), StoredLastUse("pos"));
}

TEST(StoreApiKeys, RevocationByAnotherInstanceHoldsAtOnce) {
  std::string key = CreateKey("pos");
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(key, &name));
  std::unique_ptr<Store> cli = OpenStore();
  CHECK_OK(cli->RevokeApiKey("pos"));
  Status s = store->AuthenticateApiKey(key, &name);
  STRCMP_EQUAL("invalid_api_key", s.reason().c_str());
}

}  // namespace telemed
