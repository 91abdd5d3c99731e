// POST /api/v1/doctors/{id}/connect: a connect link, or why there is none;
// POST .../disconnect and DELETE of an OAuth doctor: the grant revoked and
// purged, or why not.
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
#include "secrets/secret_box.h"
#include "store/store.h"
#include "support/user_oauth_steps.h"
#include "support/zoom_bed.h"
#include "zoom/oauth_connect.h"
#include "zoom/user_token_source.h"

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
    deps.revokes = store;
    deps.oauth = test::Endpoint(bed.harness.get(), &bed.clock);
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

  httplib::Result Disconnect(const std::string& id, const std::string& body) {
    httplib::Client client("127.0.0.1", server->port());
    client.set_bearer_token_auth(key.c_str());
    return client.Post(("/api/v1/doctors/" + id + "/disconnect").c_str(), body,
                       "application/json");
  }

  // A grant for dr-1 as the callback stores one (its tokens sealed).
  void PutGrant() {
    DoctorGrant grant;
    grant.doctor_id = "dr-1";
    CHECK_TRUE(bed.harness->box()
                   .Seal(GrantPurpose("access", "dr-1"), "access-1",
                         &grant.sealed_access_token)
                   .ok());
    CHECK_TRUE(bed.harness->box()
                   .Seal(GrantPurpose("refresh", "dr-1"), "refresh-1",
                         &grant.sealed_refresh_token)
                   .ok());
    grant.access_expires_at = bed.clock.NowSeconds() + 3600;
    int64_t generation = 0;
    CHECK_TRUE(bed.store->PutGrant(grant, &generation).ok());
  }

  bool HasGrant() {
    DoctorGrant grant;
    bool found = false;
    CHECK_TRUE(bed.store->GetGrant("dr-1", &grant, &found).ok());
    return found;
  }

  // The oauth.state of a doctor body.
  std::string OauthState(const httplib::Result& res) {
    CjsonPtr root(cJSON_Parse(res->body.c_str()));
    const cJSON* oauth = cJSON_GetObjectItemCaseSensitive(root.get(), "oauth");
    const cJSON* state = cJSON_GetObjectItemCaseSensitive(oauth, "state");
    return cJSON_IsString(state) ? state->valuestring : "";
  }

  int Revokes() {
    return bed.harness->zoom().CountRequests("POST", "/oauth/revoke");
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

TEST(ApiConnect, DisconnectRevokesAndPurgesAndIsANoOpWhenNotConnected) {
  SaveApp();
  PutGrant();
  auto res = Disconnect("dr-1", "");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("not_connected", OauthState(res).c_str());
  STRCMP_CONTAINS("\"meetings_to_delete\":0", res->body.c_str());
  CHECK_FALSE(HasGrant());
  LONGS_EQUAL(1, Revokes());
  res = Disconnect("dr-1", "{\"delete_meetings\":true}");
  LONGS_EQUAL(200, res->status);
  STRCMP_EQUAL("not_connected", OauthState(res).c_str());
  LONGS_EQUAL(1, Revokes());
}

TEST(ApiConnect, DisconnectRefusesUnknownAndS2sDoctorsAndBadBodies) {
  auto res = Disconnect("nobody", "");
  LONGS_EQUAL(404, res->status);
  STRCMP_EQUAL("doctor_not_found", ErrorCode(res).c_str());
  res = Disconnect("dr-2", "");
  LONGS_EQUAL(409, res->status);
  STRCMP_EQUAL("doctor_not_oauth", ErrorCode(res).c_str());
  res = Disconnect("dr-1", "{\"delete_meetings\":\"yes\"}");
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_type", ErrorCode(res).c_str());
  res = Disconnect("dr-1", "[1]");
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_json", ErrorCode(res).c_str());
  httplib::Client client("127.0.0.1", server->port());
  client.set_bearer_token_auth(key.c_str());
  res = client.Get("/api/v1/doctors/dr-1/disconnect");
  LONGS_EQUAL(405, res->status);
}

TEST(ApiConnect, RemovingAnOauthDoctorRevokesAndPurgesItsGrant) {
  SaveApp();
  PutGrant();
  httplib::Client client("127.0.0.1", server->port());
  client.set_bearer_token_auth(key.c_str());
  auto res = client.Delete("/api/v1/doctors/dr-1");
  LONGS_EQUAL(200, res->status);
  CHECK_FALSE(HasGrant());
  LONGS_EQUAL(1, Revokes());
}

// What an integrator's bug or a LAN peer may send: refused with the API's
// error shape, and nothing is disconnected.
TEST(ApiConnect, DisconnectRefusesOddBodiesAndIdsAndDoesNothing) {
  SaveApp();
  PutGrant();
  httplib::Client client("127.0.0.1", server->port());
  client.set_bearer_token_auth(key.c_str());
  const std::string path = "/api/v1/doctors/dr-1/disconnect";
  const std::string huge =
      "{\"delete_meetings\":true,\"pad\":\"" + std::string(200000, 'x') + "\"}";
  auto res = client.Post(path.c_str(), huge, "application/json");
  LONGS_EQUAL(413, res->status);
  CHECK_FALSE(ErrorCode(res).empty());
  res = client.Post(path.c_str(), "{\"delete_meetings\":true}", "text/plain");
  LONGS_EQUAL(415, res->status);
  STRCMP_EQUAL("unsupported_media_type", ErrorCode(res).c_str());
  res = client.Post(path.c_str(), "delete_meetings=true",
                    "application/x-www-form-urlencoded");
  LONGS_EQUAL(415, res->status);
  for (const char* body :
       {"{\"delete_meetings\":\"true\"}", "{\"delete_meetings\":1}",
        "{\"delete_meetings\":[true]}"}) {
    res = Disconnect("dr-1", body);
    LONGS_EQUAL(400, res->status);
    STRCMP_EQUAL("invalid_type", ErrorCode(res).c_str());
  }
  res = Disconnect("dr-1", "{\"delete_meetings\":tru");
  LONGS_EQUAL(400, res->status);
  STRCMP_EQUAL("invalid_json", ErrorCode(res).c_str());
  for (const char* id : {"dr%2F1", "dr-1%2F..", "dr-%C3%A9", "%00"}) {
    res = client.Post(
        ("/api/v1/doctors/" + std::string(id) + "/disconnect").c_str(), "",
        "application/json");
    LONGS_EQUAL(400, res->status);
    STRCMP_EQUAL("invalid_id", ErrorCode(res).c_str());
  }
  CHECK_TRUE(HasGrant());
  LONGS_EQUAL(0, Revokes());
}

// Disconnects and connect links of one doctor at once: every request
// answers, the grant is revoked once and purged, and the links made are
// valid or withdrawn, never a grant.
TEST(ApiConnect, ConcurrentDisconnectsAndConnectsOfOneDoctor) {
  SaveApp();
  PutGrant();
  constexpr int kThreads = 8;
  int statuses[kThreads] = {};
  std::thread threads[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    threads[i] = std::thread([this, i, &statuses] {
      auto res = i % 2 == 0 ? Disconnect("dr-1", "{\"delete_meetings\":true}")
                            : Connect("dr-1");
      statuses[i] = res ? res->status : -1;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int status : statuses) LONGS_EQUAL(200, status);
  CHECK_FALSE(HasGrant());
  LONGS_EQUAL(1, Revokes());
}

}  // namespace telemed
