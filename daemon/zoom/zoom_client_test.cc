#include "zoom/zoom_client.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "base/fake_clock.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace telemed {

namespace {

// Answers every token request with one token and every API call with 204,
// keeping what was sent.
class RecordingTransport final : public ZoomTransport {
 public:
  Status Send(const HttpRequest& request, HttpResponse* response) override {
    sent.push_back(request);
    const bool token = request.url.find("/oauth/token") != std::string::npos;
    response->status = token ? 200 : 204;
    response->body =
        token ? R"({"access_token":"t1","expires_in":3600,"scope":"a b"})" : "";
    return Status::OK();
  }
  std::vector<HttpRequest> sent;
};

}  // namespace

TEST_GROUP(ZoomClient) {
  test::TempDir dir;
  FakeClock clock;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<Store> store;
  std::unique_ptr<SecretKey> key;
  std::unique_ptr<SecretBox> box;
  RecordingTransport transport;

  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random).ok());
    Store::Options options;
    options.path = dir.File("bridge.db");
    options.clock = &clock;
    CHECK_TRUE(Store::Open(options, &store).ok());
    uint8_t key_bytes[SecretKey::kSize] = {9, 8, 7};
    key = SecretKey::FromBytes(key_bytes);
    box = std::make_unique<SecretBox>(key.get(), random.get());
    CHECK_TRUE(SaveS2sCredentials(store.get(), *box,
                                  S2sCredentials{"acct", "client", "secret"})
                   .ok());
  }

  ZoomClient::Options Options() {
    ZoomClient::Options options;
    options.oauth_url = "https://oauth.test";
    options.api_url = "https://api.test/v2";
    options.transport = &transport;
    options.store = store.get();
    options.box = box.get();
    options.clock = &clock;
    options.random = random.get();
    return options;
  }
};

TEST(ZoomClient, TheApiGetsItsTokenAndSlotOverTheGivenTransport) {
  std::unique_ptr<ZoomClient> client;
  CHECK_TRUE(ZoomClient::Open(Options(), &client).ok());
  POINTERS_EQUAL(&transport, client->transport());
  ZoomError error;
  CHECK_TRUE(client->api()->DeleteMeeting("81", &error).ok());
  LONGS_EQUAL(2, transport.sent.size());
  STRCMP_EQUAL("https://oauth.test/oauth/token", transport.sent[0].url.c_str());
  STRCMP_EQUAL("https://api.test/v2/meetings/81",
               transport.sent[1].url.c_str());
  STRCMP_EQUAL("Bearer t1", transport.sent[1].headers[0].second.c_str());
  // The call took the limiter's first Light slot: the next one is later.
  CHECK(client->limiter()->ReserveSlot(ZoomCategory::kLight) >
        clock.NowMicros());
  // The source that served the call is the one the CLI's checks read.
  S2sToken current;
  CHECK_TRUE(client->s2s()->Current(&current).ok());
  STRCMP_EQUAL("t1", current.access_token.c_str());
}

TEST(ZoomClient, ARefusedKeyReachesNeitherTheAppNorZoom) {
  ZoomClient::Options options = Options();
  options.refused = Status::Conflict("secret_key_mismatch", "another key");
  std::unique_ptr<ZoomClient> client;
  CHECK_TRUE(ZoomClient::Open(options, &client).ok());
  ZoomError error;
  CHECK_FALSE(client->api()->DeleteMeeting("81", &error).ok());
  CHECK(error.failure == ZoomFailure::kKeyMismatch);
  CHECK_FALSE(client->api()->CheckUsable(&error).ok());
  LONGS_EQUAL(0, transport.sent.size());
}

TEST(ZoomClient, WithoutATransportItOpensItsOwnHttps) {
  ZoomClient::Options options = Options();
  options.transport = nullptr;
  std::unique_ptr<ZoomClient> client;
  CHECK_TRUE(ZoomClient::Open(options, &client).ok());
  CHECK(client->transport() != nullptr);
  CHECK(client->transport() != &transport);
}

TEST(ZoomClient, ApiForCallsWithTheDoctorsOwnToken) {
  ZoomClient::Options options = Options();
  std::unique_ptr<ZoomClient> without;
  CHECK_TRUE(ZoomClient::Open(options, &without).ok());
  POINTERS_EQUAL(nullptr, without->user_tokens());
  options.grants = store.get();
  std::unique_ptr<ZoomClient> client;
  CHECK_TRUE(ZoomClient::Open(options, &client).ok());
  UserTokens tokens{"doctor-access", "doctor-refresh",
                    clock.NowSeconds() + 3600};
  ZoomUser user;
  user.id = "zu1";
  int64_t generation = 0;
  CHECK_TRUE(client->user_tokens()
                 ->StoreNewGrant("d1", tokens, user, &generation)
                 .ok());
  ZoomApi* api = client->ApiFor("d1");
  POINTERS_EQUAL(api, client->ApiFor("d1"));
  CHECK(api != client->api());
  ZoomError error;
  CHECK_TRUE(api->DeleteMeeting("81", &error).ok());
  LONGS_EQUAL(1, transport.sent.size());  // no token request
  STRCMP_EQUAL("Bearer doctor-access",
               transport.sent[0].headers[0].second.c_str());
  CHECK_FALSE(client->ApiFor("d2")->CheckUsable(&error).ok());
  CHECK(error.failure == ZoomFailure::kNotConnected);
}

// Each OAuth doctor is a Zoom account of its own: its calls take slots of
// its own limiter, and its pacing, pauses and daily hold touch no other
// account's.
TEST(ZoomClient, EachDoctorsAccountIsPacedByItsOwnLimiter) {
  ZoomClient::Options options = Options();
  options.grants = store.get();
  std::unique_ptr<ZoomClient> client;
  CHECK_TRUE(ZoomClient::Open(options, &client).ok());
  UserTokens tokens{"doctor-access", "doctor-refresh",
                    clock.NowSeconds() + 3600};
  int64_t generation = 0;
  CHECK_TRUE(client->user_tokens()
                 ->StoreNewGrant("a", tokens, ZoomUser(), &generation)
                 .ok());
  RateLimiter* a = client->LimiterFor("a");
  RateLimiter* b = client->LimiterFor("b");
  POINTERS_EQUAL(a, client->LimiterFor("a"));
  CHECK(a != b && a != client->limiter() && b != client->limiter());
  const int64_t now = clock.NowMicros();
  // A's call took A's first slot, and A's budget is used up for a while.
  ZoomError error;
  CHECK_TRUE(client->ApiFor("a")->DeleteMeeting("81", &error).ok());
  for (int i = 0; i < 100; ++i) a->ReserveSlot(ZoomCategory::kMedium);
  a->PauseCategory(ZoomCategory::kLight, now + 60000000);
  a->PauseHost("me", now + 60000000);
  CHECK(a->ReserveSlot(ZoomCategory::kMedium) > now);
  // B and the clinic's app may send now.
  LONGS_EQUAL(now, b->ReserveSlot(ZoomCategory::kMedium));
  LONGS_EQUAL(now, b->ReserveSlot(ZoomCategory::kLight));
  LONGS_EQUAL(0, b->HostPausedUntil("me"));
  LONGS_EQUAL(now, client->limiter()->ReserveSlot(ZoomCategory::kLight));
  LONGS_EQUAL(0, client->limiter()->HostPausedUntil("me"));
  // A's create is held at the last moment: not sent.
  ZoomMeeting meeting;
  const size_t sent = transport.sent.size();
  CHECK_FALSE(client->ApiFor("a")
                  ->CreateMeeting("me", MeetingSpec(), &meeting, &error)
                  .ok());
  CHECK_TRUE(error.not_sent);
  LONGS_EQUAL(sent, transport.sent.size());
}

}  // namespace telemed
