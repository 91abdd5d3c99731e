#include "web/key_routes.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "base/cjson.h"
#include "store/testutil.h"
#include "web/fake_admin_router.h"
#include "web/ops_test_fakes.h"

namespace telemed {
namespace web {

using telemed::test::CountingRandom;
using telemed::test::StoreFixture;
using test::JsonText;

TEST_GROUP_BASE(KeyRoutes, StoreFixture) {
  FakeAdminRouter router;
  test::FakeAudit audit;
  CountingRandom random;

  void setup() override {
    StoreFixture::setup();
    KeyRoutesDeps deps;
    deps.keys = store.get();
    deps.random = &random;
    deps.audit = &audit;
    AddKeyRoutes(deps, &router);
  }
  // The names the list shows, space-separated.
  std::string ListedNames() {
    httplib::Response res = router.Call("GET", "/admin/api/keys");
    LONGS_EQUAL(200, res.status);
    CjsonPtr root = test::ParseBody(res);
    std::string names;
    const cJSON* key = nullptr;
    cJSON_ArrayForEach(key,
                       cJSON_GetObjectItemCaseSensitive(root.get(), "keys")) {
      names += (names.empty() ? "" : " ") + JsonText(key, "id");
    }
    return names;
  }
};

TEST(KeyRoutes, CreateShowsTheSecretOnceAndTheKeyWorks) {
  httplib::Response res =
      router.Call("POST", "/admin/api/keys", R"({"name":"frontdesk"})");
  LONGS_EQUAL(201, res.status);
  CjsonPtr root = test::ParseBody(res);
  const std::string secret = JsonText(root.get(), "secret");
  CHECK(secret.rfind("tbk_", 0) == 0);
  const cJSON* key = cJSON_GetObjectItemCaseSensitive(root.get(), "key");
  STRCMP_EQUAL("frontdesk", JsonText(key, "id").c_str());
  STRCMP_EQUAL("frontdesk", JsonText(key, "name").c_str());
  STRCMP_EQUAL("2026-01-01T00:00:00Z", JsonText(key, "created_at").c_str());
  STRCMP_EQUAL("null", JsonText(key, "last_used_at").c_str());
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(secret, &name));
  STRCMP_EQUAL("frontdesk", name.c_str());
  LONGS_EQUAL(1, audit.entries.size());
  STRCMP_EQUAL("api_key_created", audit.entries[0].action.c_str());
  STRCMP_EQUAL("key frontdesk", audit.entries[0].detail.c_str());
}

TEST(KeyRoutes, ListShowsActiveKeysWithLastUse) {
  std::string first, second;
  CHECK_OK(store->CreateApiKey("billing", &random, &first));
  CHECK_OK(store->CreateApiKey("old", &random, &second));
  CHECK_OK(store->RevokeApiKey("old"));
  clock.AdvanceSeconds(90);
  std::string name;
  CHECK_OK(store->AuthenticateApiKey(first, &name));
  STRCMP_EQUAL("billing", ListedNames().c_str());
  CjsonPtr root = test::ParseBody(router.Call("GET", "/admin/api/keys"));
  const cJSON* key = cJSON_GetArrayItem(
      cJSON_GetObjectItemCaseSensitive(root.get(), "keys"), 0);
  STRCMP_EQUAL("2026-01-01T00:01:30Z", JsonText(key, "last_used_at").c_str());
}

TEST(KeyRoutes, RevokeEndsTheKeyAndAuditsIt) {
  std::string secret;
  CHECK_OK(store->CreateApiKey("frontdesk", &random, &secret));
  httplib::Response res =
      router.Call("DELETE", "/admin/api/keys/frontdesk", "", "192.0.2.44");
  LONGS_EQUAL(204, res.status);
  STRCMP_EQUAL("", res.body.c_str());
  std::string name;
  CHECK_FALSE(store->AuthenticateApiKey(secret, &name).ok());
  STRCMP_EQUAL("", ListedNames().c_str());
  LONGS_EQUAL(1, audit.entries.size());
  STRCMP_EQUAL("api_key_revoked", audit.entries[0].action.c_str());
  STRCMP_EQUAL("192.0.2.44", audit.entries[0].address.c_str());
  STRCMP_EQUAL("key frontdesk", audit.entries[0].detail.c_str());
}

TEST(KeyRoutes, RevokeOfAnUnknownKeyIsNotFound) {
  httplib::Response res = router.Call("DELETE", "/admin/api/keys/nobody");
  LONGS_EQUAL(404, res.status);
  STRCMP_EQUAL("not_found", test::ErrorCode(res).c_str());
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(KeyRoutes, CreateRefusesBadBodiesAndNames) {
  struct Case {
    const char* body;
    int status;
    const char* code;
  };
  const Case kCases[] = {
      {"", 400, "invalid_json"},
      {"{\"name\":", 400, "invalid_json"},
      {"[\"name\"]", 400, "invalid_json"},
      {R"({"name":"a","name":"b"})", 400, "invalid_json"},
      {R"({"name":"a\u0000b"})", 400, "invalid_string"},
      {R"({"name":7})", 400, "invalid_type"},
      {R"({})", 422, "missing_field"},
      {R"({"name":null})", 422, "missing_field"},
      {R"({"name":""})", 422, "invalid_name"},
      {R"({"name":"front desk"})", 422, "invalid_name"},
  };
  for (const Case& c : kCases) {
    httplib::Response res = router.Call("POST", "/admin/api/keys", c.body);
    if (res.status != c.status || test::ErrorCode(res) != c.code) {
      FAIL((std::string(c.body) + " -> " + std::to_string(res.status) + " " +
            res.body)
               .c_str());
    }
  }
  const std::string long_name = "{\"name\":\"" + std::string(65, 'k') + "\"}";
  httplib::Response res = router.Call("POST", "/admin/api/keys", long_name);
  LONGS_EQUAL(422, res.status);
  STRCMP_EQUAL("invalid_name", test::ErrorCode(res).c_str());
  STRCMP_EQUAL("", ListedNames().c_str());
  LONGS_EQUAL(0, audit.entries.size());
}

TEST(KeyRoutes, ANameInUseIsAConflict) {
  std::string secret;
  CHECK_OK(store->CreateApiKey("frontdesk", &random, &secret));
  httplib::Response res =
      router.Call("POST", "/admin/api/keys", R"({"name":"frontdesk"})");
  LONGS_EQUAL(409, res.status);
  STRCMP_EQUAL("api_key_exists", test::ErrorCode(res).c_str());
}

// Only the answer that creates a key carries a secret, and only its own.
TEST(KeyRoutes, NoAnswerCarriesAnotherKey) {
  std::string other;
  CHECK_OK(store->CreateApiKey("billing", &random, &other));
  httplib::Response answers[] = {
      router.Call("GET", "/admin/api/keys"),
      router.Call("POST", "/admin/api/keys", R"({"name":"frontdesk"})"),
      router.Call("POST", "/admin/api/keys", R"({"name":"billing"})"),
      router.Call("DELETE", "/admin/api/keys/frontdesk"),
      router.Call("GET", "/admin/api/keys"),
  };
  const std::string created =
      JsonText(test::ParseBody(answers[1]).get(), "secret");
  for (const httplib::Response& res : answers) {
    CHECK(res.body.find(other) == std::string::npos);
    CHECK(res.body.find("tbk_") == std::string::npos ||
          res.body.find(created) != std::string::npos);
  }
  for (const test::FakeAudit::Entry& entry : audit.entries) {
    CHECK(entry.detail.find("tbk_") == std::string::npos);
  }
}

}  // namespace web
}  // namespace telemed
