// POST /api/v1/doctors/{id}/connect: a connect link, or why there is none.
#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "api/server.h"
#include "base/cjson.h"
#include "base/fake_clock.h"
#include "base/log.h"
#include "base/random.h"
#include "store/store.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_bed.h"
#include "zoom/oauth_connect.h"

namespace telemed {

TEST_GROUP(ApiConnect) {
  test::ZoomBed bed;
  CapturingLogger logger;
  OAuthConnectDeps deps;
  std::unique_ptr<ApiServer> server;
  std::thread runner;
  std::string key;

  void setup() override {
    Store* store = bed.store.get();
    CHECK_TRUE(store->CreateApiKey("pos", bed.random.get(), &key).ok());
    deps.records = store;
    deps.grants = store;
    deps.settings = store;
    deps.box = &bed.harness->box();
    deps.random = bed.random.get();
    deps.public_url = "https://bridge.local:8443";
    ApiServer::Options options;
    options.port = 0;
    options.store = store;
    options.logger = &logger;
    options.clock = &bed.clock;
    options.oauth_connect = &deps;
    options.worker_threads = 4;
    CHECK_TRUE(ApiServer::Open(options, &server).ok());
    runner = std::thread([this] { server->Run(); });
    bed.PutDoctor("dr-1", "doctor@clinic.example", AuthMode::kOauth);
    bed.PutDoctor("dr-2", "s2s@clinic.example", AuthMode::kS2s);
  }

  void teardown() override {
    server->Stop();
    runner.join();
  }

  void SaveApp() {
    CHECK_TRUE(
        SaveOAuthApp(bed.store.get(), bed.harness->box(), test::FakeOAuthApp())
            .ok());
  }

  httplib::Result Connect(const std::string& id) {
    httplib::Client client("127.0.0.1", server->port());
    client.set_bearer_token_auth(key.c_str());
    return client.Post(("/api/v1/doctors/" + id + "/connect").c_str());
  }

  std::string ErrorCode(const httplib::Result& res) {
    CjsonPtr root(cJSON_Parse(res->body.c_str()));
    const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
    const cJSON* code = cJSON_GetObjectItemCaseSensitive(error, "code");
    return cJSON_IsString(code) ? code->valuestring : "";
  }
};

TEST(ApiConnect, AnswersASingleUseLinkAndItsExpiry) {
  SaveApp();
  auto res = Connect("dr-1");
  LONGS_EQUAL(200, res->status);
  CjsonPtr root(cJSON_Parse(res->body.c_str()));
  const cJSON* url =
      cJSON_GetObjectItemCaseSensitive(root.get(), "connect_url");
  CHECK_TRUE(cJSON_IsString(url));
  const std::string prefix = "https://bridge.local:8443/oauth/connect/";
  CHECK(std::string(url->valuestring).rfind(prefix, 0) == 0);
  const cJSON* expires =
      cJSON_GetObjectItemCaseSensitive(root.get(), "expires_at");
  CHECK_TRUE(cJSON_IsString(expires));
  std::string doctor_id;
  const std::string id = std::string(url->valuestring).substr(prefix.size());
  CHECK_TRUE(
      FindConnectLink(deps, id, bed.clock.NowSeconds(), &doctor_id).ok());
  STRCMP_EQUAL("dr-1", doctor_id.c_str());
}

TEST(ApiConnect, RefusesS2sDoctorsUnknownDoctorsAndAMissingApp) {
  auto res = Connect("dr-1");
  LONGS_EQUAL(409, res->status);
  STRCMP_EQUAL("oauth_app_not_configured", ErrorCode(res).c_str());
  SaveApp();
  res = Connect("dr-2");
  LONGS_EQUAL(409, res->status);
  STRCMP_EQUAL("doctor_not_oauth", ErrorCode(res).c_str());
  res = Connect("nobody");
  LONGS_EQUAL(404, res->status);
  STRCMP_EQUAL("doctor_not_found", ErrorCode(res).c_str());
}

TEST(ApiConnect, OnlyPostIsAllowed) {
  httplib::Client client("127.0.0.1", server->port());
  client.set_bearer_token_auth(key.c_str());
  auto res = client.Get("/api/v1/doctors/dr-1/connect");
  LONGS_EQUAL(405, res->status);
  STRCMP_EQUAL("POST", res->get_header_value("Allow").c_str());
}

}  // namespace telemed
