#include "support/bridge_oauth.h"

#include <cJSON.h>
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/cjson.h"
#include "base/random.h"
#include "config/data_dir.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "store/store.h"
#include "support/zoom_bridge.h"
#include "zoom/https_transport.h"
#include "zoom/oauth_connect.h"
#include "zoom/user_token_source.h"

namespace telemed {
namespace test {

namespace {

// The connect steps' origin. Nothing is served there: the test plays the
// browser and brings Zoom's redirect back to the steps itself.
constexpr char kPublicUrl[] = "https://bridge.clinic.lan:8443";

void Require(const Status& status, const char* what) {
  if (status.ok()) return;
  fprintf(stderr, "BridgeOAuth: %s: %s\n", what, status.ToString().c_str());
  abort();
}

// The value after `flag` in `flags` (ZoomBridge::CliFlags).
std::string FlagValue(const std::vector<std::string>& flags,
                      const std::string& flag) {
  for (size_t i = 0; i + 1 < flags.size(); ++i) {
    if (flags[i] == flag) return flags[i + 1];
  }
  fprintf(stderr, "BridgeOAuth: the bridge has no %s\n", flag.c_str());
  abort();
}

// The browser at Zoom's authorize page: the callback's query.
Status FollowAuthorize(ZoomTransport* transport, const std::string& url,
                       OAuthCallback* out) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  HttpResponse response;
  Status s = transport->Send(request, &response);
  if (!s.ok()) return s;
  const std::string location = response.Header("location");
  const std::string prefix = std::string(kPublicUrl) + "/oauth/callback?";
  if (response.status != 302 || location.rfind(prefix, 0) != 0) {
    return Status::Internal("authorize_failed",
                            "Zoom's authorize page answered " +
                                std::to_string(response.status) + " " +
                                location);
  }
  httplib::Params query;
  httplib::detail::parse_query_text(location.substr(prefix.size()), query);
  auto value = [&](const char* name) {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };
  *out = OAuthCallback{value("state"), value("code"), value("error")};
  return Status::OK();
}

}  // namespace

BridgeOAuth::BridgeOAuth(ZoomBridge* bridge) : bridge_(bridge) {
  const std::vector<std::string> flags = bridge->CliFlags();
  oauth_url_ = FlagValue(flags, "--zoom-oauth-url");
  api_url_ = FlagValue(flags, "--zoom-api-url");
  Require(RealRandom::Open(&random_), "random source");
  Store::Options store_options;
  store_options.path = DatabasePath(FlagValue(flags, "--data-dir"));
  store_options.clock = &clock_;
  Require(Store::Open(store_options, &store_), "opening the database");
  Require(SecretKey::Load(KeyLocation{bridge->key_file(), false}, random_.get(),
                          &key_),
          "loading the key");
  box_ = std::make_unique<SecretBox>(key_.get(), random_.get());
  HttpsTransport::Options transport_options;
  transport_options.ca_file = FlagValue(flags, "--ca-file");
  transport_options.random = random_.get();
  Require(HttpsTransport::Open(transport_options, &transport_), "transport");
  FakeZoom::Options defaults;
  Require(SaveOAuthApp(store_.get(), *box_,
                       OAuthApp{defaults.oauth_client_id,
                                defaults.oauth_client_secret, ""}),
          "saving the OAuth app");
}

BridgeOAuth::~BridgeOAuth() = default;

int BridgeOAuth::PutDoctor(const std::string& doctor_id,
                           const std::string& zoom_user) {
  return bridge_
      ->Put("/doctors/" + doctor_id,
            "{\"name\":\"Dr " + doctor_id +
                "\",\"auth\":\"oauth\",\"zoom_user\":\"" + zoom_user +
                "@clinic.example\"}")
      .status;
}

std::unique_ptr<UserTokenSource> BridgeOAuth::NewTokenSource() {
  UserTokenSource::Options options;
  options.oauth_base_url = oauth_url_;
  options.transport = transport_.get();
  options.grants = store_.get();
  options.settings = store_.get();
  options.box = box_.get();
  options.clock = &clock_;
  options.random = random_.get();
  return std::make_unique<UserTokenSource>(options);
}

bool BridgeOAuth::RefreshLeaseFree(const std::string& doctor_id) {
  // The name UserTokenSource gives the lease.
  const std::string name = "zoom.oauth.refresh." + doctor_id;
  const int64_t now = clock_.NowSeconds();
  bool taken = false;
  Require(store_->TryTakeLease(name, "test-probe", now, now + 5, &taken),
          "probing the refresh lease");
  if (taken) Require(store_->ReleaseLease(name, "test-probe"), "releasing");
  return taken;
}

Status BridgeOAuth::Connect(const std::string& doctor_id,
                            const std::string& zoom_user) {
  std::unique_ptr<UserTokenSource> tokens = NewTokenSource();
  OAuthConnectDeps deps;
  deps.records = store_.get();
  deps.grants = store_.get();
  deps.settings = store_.get();
  deps.box = box_.get();
  deps.random = random_.get();
  deps.public_url = kPublicUrl;
  deps.oauth = OAuthEndpoint{oauth_url_, transport_.get(), &clock_};
  deps.api_base_url = api_url_;
  deps.user_tokens = tokens.get();
  deps.revokes = store_.get();

  ConnectLink link;
  Status s = CreateConnectLink(deps, doctor_id, clock_.NowSeconds(), &link);
  std::string authorize_url;
  if (s.ok()) {
    const std::string link_id = link.url.substr(link.url.rfind('/') + 1);
    s = BeginAuthorization(deps, link_id, clock_.NowSeconds(), &authorize_url);
  }
  OAuthCallback callback;
  bridge_->zoom().SetAuthorizingUser(zoom_user);
  if (s.ok()) s = FollowAuthorize(transport_.get(), authorize_url, &callback);
  std::string connected;
  ZoomUser who;
  if (s.ok()) {
    s = FinishAuthorization(deps, callback, clock_.NowSeconds(), &connected,
                            &who);
  }
  return s;
}

std::string BridgeOAuth::StoredRefreshToken(const std::string& doctor_id) {
  DoctorGrant grant;
  bool found = false;
  Require(store_->GetGrant(doctor_id, &grant, &found), "reading the grant");
  if (!found) return "";
  std::string token;
  Require(box_->Open(GrantPurpose("refresh", doctor_id),
                     grant.sealed_refresh_token, &token),
          "opening the refresh token");
  return token;
}

std::string BridgeOAuth::OAuthState(const std::string& doctor_id) {
  ApiAnswer answer = bridge_->Get("/doctors/" + doctor_id);
  CjsonPtr root(cJSON_Parse(answer.body.c_str()));
  const cJSON* oauth = cJSON_GetObjectItemCaseSensitive(root.get(), "oauth");
  const cJSON* state = cJSON_GetObjectItemCaseSensitive(oauth, "state");
  return cJSON_IsString(state) ? state->valuestring : "";
}

}  // namespace test
}  // namespace telemed
