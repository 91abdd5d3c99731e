#include "zoom/user_oauth.h"

#include <httplib.h>
#include <mbedtls/sha256.h>

#include <cmath>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/encoding.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "store/settings_store.h"
#include "zoom/transport.h"

namespace telemed {

namespace {

// Settings rows (docs/schema.md).
constexpr char kClientId[] = "zoom.oauth.client_id";
constexpr char kClientSecret[] = "zoom.oauth.client_secret";
constexpr char kRedirectUrl[] = "zoom.oauth.redirect_url";
constexpr size_t kVerifierBytes = 32;

Status Fail(ZoomFailure kind, Status status, ZoomFailure* failure) {
  *failure = status.ok() ? ZoomFailure::kNone : kind;
  return status;
}

std::string Encode(const std::string& value) {
  return httplib::detail::encode_query_param(value);
}

// Sends `form` to {oauth}/oauth/`what` with the app's Basic credentials
// (cpp-httplib builds the header with its own base64); the header is
// wiped afterwards. The transport's errors pass through.
Status PostForm(const OAuthEndpoint& endpoint, const OAuthApp& app,
                const char* what, std::string form, HttpResponse* response) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint.oauth_base_url + "/oauth/" + what;
  request.headers.push_back(httplib::make_basic_authentication_header(
      app.client_id, app.client_secret));
  request.headers.push_back(
      {"Content-Type", "application/x-www-form-urlencoded"});
  request.body = std::move(form);
  Status s = endpoint.transport->Send(request, response);
  WipeString(&request.headers[0].second);
  WipeString(&request.body);
  return s;
}

// Zoom's OAuth errors are {"reason","error"}: the "error" word.
std::string OauthErrorWord(const HttpResponse& response) {
  CjsonPtr root(cJSON_Parse(response.body.c_str()));
  const cJSON* word = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  return cJSON_IsString(word) ? word->valuestring : "";
}

// An answer that says the endpoint could not be used at all: no answer,
// overload, or something that is not Zoom's token endpoint.
bool Unusable(const HttpResponse& response) {
  return response.status >= 500 || response.status == 429 ||
         response.status == 404 || response.status == 405 ||
         (response.status != 400 && response.status != 401);
}

Status EndpointUnusable(const std::string& detail, ZoomFailure* failure) {
  return Fail(ZoomFailure::kTokenUnavailable,
              Status::Unavailable("zoom_unavailable",
                                  "Zoom's OAuth endpoint could not be used (" +
                                      detail + "); try again later"),
              failure);
}

Status ParseTokens(const std::string& body, int64_t now, UserTokens* out) {
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* access =
      cJSON_GetObjectItemCaseSensitive(root.get(), "access_token");
  const cJSON* refresh =
      cJSON_GetObjectItemCaseSensitive(root.get(), "refresh_token");
  const cJSON* expires =
      cJSON_GetObjectItemCaseSensitive(root.get(), "expires_in");
  if (!cJSON_IsString(access) || !cJSON_IsString(refresh) ||
      !cJSON_IsNumber(expires) || expires->valuedouble < 60 ||
      expires->valuedouble > 86400 * 30) {
    return Status::Unavailable("zoom_unavailable",
                               "Zoom's token answer is not readable");
  }
  out->access_token = access->valuestring;
  out->refresh_token = refresh->valuestring;
  out->expires_at =
      now + static_cast<int64_t>(std::floor(expires->valuedouble));
  return Status::OK();
}

// One token request; `refused` words a 400/401 answer other than an
// invalid_client.
Status RequestTokens(const OAuthEndpoint& endpoint, const OAuthApp& app,
                     std::string form, UserTokens* out, ZoomFailure* failure,
                     ZoomFailure refused_kind, const Status& refused) {
  HttpResponse response;
  Status s = PostForm(endpoint, app, "token", std::move(form), &response);
  if (!s.ok()) {
    return Fail(s.code() == Status::Code::kUnavailable
                    ? ZoomFailure::kTokenUnavailable
                    : ZoomFailure::kNone,
                s, failure);
  }
  if (response.status == 200) {
    s = ParseTokens(response.body, endpoint.clock->NowSeconds(), out);
    WipeString(&response.body);
    return Fail(ZoomFailure::kTokenUnavailable, s, failure);
  }
  if (Unusable(response)) {
    return EndpointUnusable("HTTP " + std::to_string(response.status), failure);
  }
  if (OauthErrorWord(response) == "invalid_client") {
    return Fail(ZoomFailure::kCredentialsRefused,
                Status::Unauthenticated(
                    "zoom_credentials_invalid",
                    "Zoom refused the OAuth app's client ID or secret: copy "
                    "both again from the app's App Credentials page and run "
                    "'telemed-bridge zoom oauth-app'"),
                failure);
  }
  return Fail(refused_kind, refused, failure);
}

// Answers a caller's bearer token and nothing else.
class FixedToken final : public TokenSource {
 public:
  explicit FixedToken(const std::string& token) : token_(token) {}
  using TokenSource::GetToken;
  Status GetToken(std::string* token, ZoomFailure* failure) override {
    *token = token_;
    *failure = ZoomFailure::kNone;
    return Status::OK();
  }
  void Invalidate(const std::string&) override {}

 private:
  const std::string& token_;
};

}  // namespace

Status SaveOAuthApp(SettingsStore* store, const SecretBox& box,
                    const OAuthApp& app) {
  std::string sealed;
  Status s = box.Seal(kClientSecret, app.client_secret, &sealed);
  if (s.ok()) s = store->PutSetting(kClientId, app.client_id);
  if (s.ok()) s = store->PutSetting(kClientSecret, sealed);
  if (s.ok() && app.redirect_url.empty())
    s = store->DeleteSettings(kRedirectUrl);
  if (s.ok() && !app.redirect_url.empty()) {
    s = store->PutSetting(kRedirectUrl, app.redirect_url);
  }
  return s;
}

Status LoadOAuthAppIds(SettingsStore* store, OAuthApp* out, bool* configured) {
  bool has_id = false, has_redirect = false;
  std::string sealed;
  bool has_secret = false;
  Status s = store->GetSetting(kClientId, &out->client_id, &has_id);
  if (s.ok()) s = store->GetSetting(kClientSecret, &sealed, &has_secret);
  if (s.ok())
    s = store->GetSetting(kRedirectUrl, &out->redirect_url, &has_redirect);
  if (!has_redirect) out->redirect_url.clear();
  *configured = s.ok() && has_id && has_secret;
  return s;
}

Status DeleteOAuthApp(SettingsStore* store) {
  // Every setting of the app starts so (kClientId and its siblings).
  return store->DeleteSettings("zoom.oauth.");
}

Status LoadOAuthApp(SettingsStore* store, const SecretBox& box, OAuthApp* out,
                    bool* configured) {
  Status s = LoadOAuthAppIds(store, out, configured);
  if (!s.ok() || !*configured) return s;
  std::string sealed;
  bool found = false;
  s = store->GetSetting(kClientSecret, &sealed, &found);
  if (s.ok()) s = box.Open(kClientSecret, sealed, &out->client_secret);
  return s;
}

Status CheckRedirectUrl(const std::string& url) {
  static const char* const kSchemes[] = {"https://", "http://localhost",
                                         "http://127.0.0.1"};
  bool scheme_ok = false;
  for (const char* scheme : kSchemes) {
    const std::string prefix = scheme;
    if (url.compare(0, prefix.size(), prefix) != 0) continue;
    // http:// only on the loopback host itself, not "localhost.evil".
    const char next = url.size() > prefix.size() ? url[prefix.size()] : '/';
    scheme_ok = prefix == "https://" ? url.size() > prefix.size()
                                     : next == '/' || next == ':';
  }
  bool chars_ok = url.size() <= 2048 && url.find('#') == std::string::npos;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) chars_ok = false;
  }
  if (scheme_ok && chars_ok) return Status::OK();
  return Status::InvalidArgument(
      "invalid_redirect_url",
      "the redirect URL must be https://HOST[:PORT]/PATH (http:// only on "
      "localhost or 127.0.0.1, for development), at most 2048 characters, "
      "without spaces or a #fragment",
      "redirect_url");
}

Status NewPkce(RandomSource* random, Pkce* out) {
  uint8_t bytes[kVerifierBytes];
  Status s = random->Fill(bytes, sizeof(bytes));
  if (!s.ok()) return s;
  out->verifier = Base64UrlEncode(bytes, sizeof(bytes));
  out->challenge = PkceChallenge(out->verifier);
  return s;
}

std::string PkceChallenge(const std::string& verifier) {
  uint8_t digest[32];
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size(), digest, /*is224=*/0);
  return Base64UrlEncode(digest, sizeof(digest));
}

std::string AuthorizeUrl(const std::string& oauth_base_url,
                         const std::string& client_id,
                         const std::string& redirect_uri,
                         const std::string& state,
                         const std::string& code_challenge) {
  return oauth_base_url +
         "/oauth/authorize?response_type=code&client_id=" + Encode(client_id) +
         "&redirect_uri=" + Encode(redirect_uri) + "&state=" + Encode(state) +
         "&code_challenge=" + Encode(code_challenge) +
         "&code_challenge_method=S256";
}

Status ExchangeCode(const OAuthEndpoint& endpoint, const OAuthApp& app,
                    const std::string& code, const std::string& verifier,
                    const std::string& redirect_uri, UserTokens* out,
                    ZoomFailure* failure) {
  return RequestTokens(
      endpoint, app,
      "grant_type=authorization_code&code=" + Encode(code) + "&redirect_uri=" +
          Encode(redirect_uri) + "&code_verifier=" + Encode(verifier),
      out, failure, ZoomFailure::kRefused,
      Status::Unauthenticated("zoom_code_refused",
                              "Zoom refused the authorization code (used, "
                              "expired, or not from this attempt): connect "
                              "again"));
}

Status RefreshUserTokens(const OAuthEndpoint& endpoint, const OAuthApp& app,
                         const std::string& refresh_token, UserTokens* out,
                         ZoomFailure* failure) {
  Status s = RequestTokens(
      endpoint, app,
      "grant_type=refresh_token&refresh_token=" + Encode(refresh_token), out,
      failure, ZoomFailure::kReconnectNeeded,
      Status::Unauthenticated("doctor_reconnect_needed",
                              "Zoom refused the doctor's refresh token: the "
                              "doctor must connect to Zoom again"));
  // A refused client is as final for this grant as a refused token.
  if (*failure == ZoomFailure::kCredentialsRefused) {
    *failure = ZoomFailure::kReconnectNeeded;
  }
  return s;
}

Status RevokeUserToken(const OAuthEndpoint& endpoint, const OAuthApp& app,
                       const std::string& token, ZoomFailure* failure) {
  HttpResponse response;
  Status s =
      PostForm(endpoint, app, "revoke", "token=" + Encode(token), &response);
  if (!s.ok() || response.status >= 500 || response.status == 429) {
    return Fail(ZoomFailure::kNoAnswer,
                Status::Unavailable(
                    "zoom_no_answer",
                    "Zoom's revoke endpoint did not answer usably (" +
                        (s.ok() ? "HTTP " + std::to_string(response.status)
                                : s.message()) +
                        "); try again later"),
                failure);
  }
  if (response.status != 200) {
    return Fail(ZoomFailure::kRefused,
                Status::Unauthenticated(
                    "zoom_error", "Zoom refused to revoke the token (HTTP " +
                                      std::to_string(response.status) + ")"),
                failure);
  }
  return Fail(ZoomFailure::kNone, Status::OK(), failure);
}

Status FetchMe(const std::string& api_base_url, ZoomTransport* transport,
               const Clock* clock, const std::string& access_token,
               ZoomUser* out, ZoomError* error) {
  FixedToken tokens(access_token);
  ZoomApi::Options options;
  options.api_base_url = api_base_url;
  options.transport = transport;
  options.tokens = &tokens;
  options.clock = clock;
  ZoomApi api(options);
  return api.GetUser("me", out, error);
}

}  // namespace telemed
