#include "zoom/s2s_token_source.h"

#include <httplib.h>

#include <cmath>

#include "base/cjson.h"
#include "base/clock.h"
#include "base/encoding.h"
#include "base/random.h"
#include "base/words.h"
#include "secrets/secret_box.h"
#include "store/settings_store.h"
#include "zoom/token_lease.h"
#include "zoom/transport.h"

namespace telemed {

namespace {

// Settings rows (see docs/schema.md). The token rows share a prefix so one
// DeleteSettings drops them all.
constexpr char kAccountId[] = "zoom.s2s.account_id";
constexpr char kClientId[] = "zoom.s2s.client_id";
constexpr char kClientSecret[] = "zoom.s2s.client_secret";
constexpr char kTokenPrefix[] = "zoom.s2s.token";
constexpr char kToken[] = "zoom.s2s.token";
constexpr char kTokenExpiresAt[] = "zoom.s2s.token.expires_at";
constexpr char kTokenScopes[] = "zoom.s2s.token.scopes";
constexpr char kTokenIssuedAt[] = "zoom.s2s.token.issued_at_us";
constexpr char kLease[] = "zoom.s2s.token";
constexpr int64_t kLeaseSeconds = 30;
constexpr int64_t kBorrowMinimumSeconds = 30;
// A token younger than this already carries the scopes the app has.
constexpr int64_t kScopeFixAgeSeconds = 60;

// Hands `status` back with its kind in *failure (kNone when OK).
Status Fail(ZoomFailure kind, Status status, ZoomFailure* failure) {
  *failure = status.ok() ? ZoomFailure::kNone : kind;
  return status;
}

Status NotConfigured() {
  return Status::Validation(
      "zoom_not_configured",
      "no Zoom Server-to-Server app is configured: run "
      "'telemed-bridge zoom s2s --account-id ID --client-id ID "
      "--client-secret-file FILE'");
}

// Zoom's OAuth errors are {"reason","error"}; never echo the secret. The
// message says what failed and what to do: a wrong account id and wrong
// client credentials are told apart where Zoom's answer does, and a URL
// that is not a token endpoint is not blamed on the credentials.
Status TokenRefusalWords(const HttpResponse& response, const std::string& url,
                         const std::string& account_id) {
  CjsonPtr root(cJSON_Parse(response.body.c_str()));
  const cJSON* reason = cJSON_GetObjectItemCaseSensitive(root.get(), "reason");
  const cJSON* code = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  const std::string said = cJSON_IsString(reason) ? reason->valuestring : "";
  const std::string error = cJSON_IsString(code) ? code->valuestring : "";
  const std::string http = "HTTP " + std::to_string(response.status);
  if (response.status == 404 || response.status == 405 ||
      (!root && response.status < 500 && response.status != 429)) {
    return Status::Unavailable(
        "zoom_unavailable",
        url + " answered " + http +
            ", which is not Zoom's token endpoint: check --zoom-oauth-url "
            "(the OAuth host only, such as https://zoom.us, without "
            "/oauth/token)");
  }
  // Overload and rate limits pass.
  if (response.status >= 500 || response.status == 429 || !root) {
    return Status::Unavailable("zoom_unavailable",
                               "Zoom's token endpoint " + url + " answered " +
                                   http + "; try again later");
  }
  if (error == "invalid_request" && said.find("ccount") != std::string::npos) {
    return Status::Unauthenticated(
        "zoom_credentials_invalid",
        "Zoom does not know the account ID " + account_id + " (" + http + ": " +
            said +
            "): copy the Account ID again from the app's App Credentials page "
            "and run 'telemed-bridge zoom s2s'");
  }
  if (error == "invalid_client") {
    return Status::Unauthenticated(
        "zoom_credentials_invalid",
        "Zoom refused the client ID or client secret (" + http + ": " + said +
            "): copy both again from the app's App Credentials page (a "
            "secret regenerated there replaces the old one) and run "
            "'telemed-bridge zoom s2s'");
  }
  return Status::Unauthenticated(
      "zoom_credentials_invalid",
      "Zoom refused the app's credentials (" + http +
          (said.empty() ? "" : ": " + said) +
          "); check the account ID, client ID and client secret on the app's "
          "App Credentials page and that the app is activated");
}

// The token endpoint's refusal, its kind from the code TokenRefusalWords
// chose: Unavailable for an endpoint that could not be used, else the
// credentials were refused.
Status TokenRefusal(const HttpResponse& response, const std::string& url,
                    const std::string& account_id, ZoomFailure* failure) {
  Status s = TokenRefusalWords(response, url, account_id);
  return Fail(s.code() == Status::Code::kUnavailable
                  ? ZoomFailure::kTokenUnavailable
                  : ZoomFailure::kCredentialsRefused,
              s, failure);
}

Status ParseToken(const std::string& body, int64_t now_micros, S2sToken* out) {
  const int64_t now = now_micros / 1000000;
  CjsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* token =
      cJSON_GetObjectItemCaseSensitive(root.get(), "access_token");
  const cJSON* expires =
      cJSON_GetObjectItemCaseSensitive(root.get(), "expires_in");
  if (!cJSON_IsString(token) || !cJSON_IsNumber(expires) ||
      expires->valuedouble < 60 || expires->valuedouble > 86400 * 30) {
    return Status::Unavailable("zoom_unavailable",
                               "Zoom's token answer is not readable");
  }
  out->access_token = token->valuestring;
  out->issued_at_micros = now_micros;
  out->expires_at =
      now + static_cast<int64_t>(std::floor(expires->valuedouble));
  const cJSON* scope = cJSON_GetObjectItemCaseSensitive(root.get(), "scope");
  out->scopes = SplitWords(cJSON_IsString(scope) ? scope->valuestring : "");
  const cJSON* api_url =
      cJSON_GetObjectItemCaseSensitive(root.get(), "api_url");
  out->api_url = cJSON_IsString(api_url) ? api_url->valuestring : "";
  return Status::OK();
}

Status GetText(SettingsStore* store, const char* name, std::string* value,
               bool* found) {
  return store->GetSetting(name, value, found);
}

// Identifies a set of credentials without keeping the secret in memory.
std::string CredentialsDigest(const S2sCredentials& credentials) {
  return Sha256Hex(credentials.account_id + "\n" + credentials.client_id +
                   "\n" + credentials.client_secret);
}

// The stored app as the database holds it: the secret still sealed.
struct SealedApp {
  std::string account_id;
  std::string client_id;
  std::string sealed_secret;
  std::string Rows() const {
    return account_id + "\n" + client_id + "\n" + sealed_secret;
  }
};

Status LoadSealedApp(SettingsStore* store, SealedApp* out, bool* configured) {
  bool has_account = false, has_client = false, has_secret = false;
  Status s = GetText(store, kAccountId, &out->account_id, &has_account);
  if (s.ok()) s = GetText(store, kClientId, &out->client_id, &has_client);
  if (s.ok())
    s = GetText(store, kClientSecret, &out->sealed_secret, &has_secret);
  *configured = s.ok() && has_account && has_client && has_secret;
  return s;
}

}  // namespace

Status SaveS2sCredentials(SettingsStore* store, const SecretBox& box,
                          const S2sCredentials& credentials) {
  std::string sealed;
  Status s = box.Seal(kClientSecret, credentials.client_secret, &sealed);
  if (s.ok()) s = store->DeleteSettings(kTokenPrefix);
  if (s.ok()) s = store->PutSetting(kAccountId, credentials.account_id);
  if (s.ok()) s = store->PutSetting(kClientId, credentials.client_id);
  if (s.ok()) s = store->PutSetting(kClientSecret, sealed);
  return s;
}

Status LoadS2sCredentials(SettingsStore* store, const SecretBox& box,
                          S2sCredentials* out, bool* configured) {
  SealedApp app;
  Status s = LoadSealedApp(store, &app, configured);
  if (!s.ok() || !*configured) return s;
  out->account_id = app.account_id;
  out->client_id = app.client_id;
  return box.Open(kClientSecret, app.sealed_secret, &out->client_secret);
}

Status LoadS2sAppIds(SettingsStore* store, S2sCredentials* out,
                     bool* configured) {
  SealedApp app;
  Status s = LoadSealedApp(store, &app, configured);
  if (!s.ok() || !*configured) return s;
  out->account_id = app.account_id;
  out->client_id = app.client_id;
  return s;
}

Status ForgetS2sCredentials(SettingsStore* store) {
  return store->DeleteSettings("zoom.s2s.");
}

Status S2sTokenSource::GetToken(std::string* token, ZoomFailure* failure) {
  S2sToken current;
  Status s = Current(&current, failure);
  if (s.ok()) *token = current.access_token;
  WipeString(&current.access_token);
  return s;
}

Status S2sTokenSource::Current(S2sToken* out, ZoomFailure* failure) {
  ZoomFailure ignored;
  if (failure == nullptr) failure = &ignored;
  if (!options_.refused.ok()) {
    return Fail(ZoomFailure::kKeyMismatch, options_.refused, failure);
  }
  MutexLock lock(&mu_);
  return CurrentLocked(out, failure);
}

bool S2sTokenSource::StoredDiffers() {
  std::string sealed;
  bool found = false;
  if (!GetText(options_.store, kToken, &sealed, &found).ok()) return true;
  return !found || sealed != cached_.sealed;
}

Status S2sTokenSource::CurrentLocked(S2sToken* out, ZoomFailure* failure) {
  *failure = ZoomFailure::kNone;
  const int64_t now = options_.clock->NowSeconds();
  if (cached_.expires_at - now > options_.renew_margin_seconds &&
      !StoredDiffers()) {
    *out = cached_;
    return Status::OK();
  }
  S2sToken stored;
  bool found = false;
  Status s = LoadStored(&stored, &found);
  if (!s.ok()) return s;
  if (found && stored.expires_at - now > options_.renew_margin_seconds) {
    cached_ = stored;
    *out = cached_;
    return Status::OK();
  }
  S2sToken fresh;
  bool another_renews = false;
  s = Renew(&fresh, failure, &another_renews);
  if (s.ok()) {
    cached_ = fresh;
    *out = cached_;
    return s;
  }
  // Another process is renewing: its (or the old) token still serves.
  if (another_renews && found &&
      stored.expires_at - now >= kBorrowMinimumSeconds) {
    *out = stored;
    return Fail(ZoomFailure::kNone, Status::OK(), failure);
  }
  return s;
}

bool S2sTokenSource::MayPredateScopeFix(const std::string& token) {
  if (!options_.refused.ok()) return false;
  MutexLock lock(&mu_);
  if (cached_.access_token != token || cached_.issued_at_micros == 0) {
    return true;
  }
  return options_.clock->NowMicros() - cached_.issued_at_micros >=
         kScopeFixAgeSeconds * 1000000;
}

void S2sTokenSource::Invalidate(const std::string& token) {
  if (!options_.refused.ok()) return;  // it never handed one out
  MutexLock lock(&mu_);
  if (cached_.access_token == token) cached_ = S2sToken();
  S2sToken stored;
  bool found = false;
  // Zoom refused it: nobody should use it again, in any process.
  if (LoadStored(&stored, &found).ok() && found &&
      stored.access_token == token) {
    options_.store->DeleteSettings(kTokenPrefix);
  }
}

Status S2sTokenSource::CheckUsable(ZoomFailure* failure) {
  if (!options_.refused.ok()) {
    return Fail(ZoomFailure::kKeyMismatch, options_.refused, failure);
  }
  MutexLock lock(&mu_);
  std::string digest;
  Status s = StoredDigest(&digest, failure);
  if (!s.ok()) return s;
  if (!refused_digest_.empty() && refused_digest_ == digest) {
    return Fail(ZoomFailure::kCredentialsRefused, refusal_, failure);
  }
  return Fail(ZoomFailure::kNone, Status::OK(), failure);
}

Status S2sTokenSource::StoredDigest(std::string* digest, ZoomFailure* failure) {
  SealedApp app;
  bool configured = false;
  Status s = LoadSealedApp(options_.store, &app, &configured);
  if (s.ok() && !configured) {
    return Fail(ZoomFailure::kNotConfigured, NotConfigured(), failure);
  }
  if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
  if (app.Rows() != digested_rows_) {
    S2sCredentials credentials{app.account_id, app.client_id, ""};
    s = options_.box->Open(kClientSecret, app.sealed_secret,
                           &credentials.client_secret);
    if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
    digest_ = CredentialsDigest(credentials);
    digested_rows_ = app.Rows();
    WipeString(&credentials.client_secret);
  }
  *digest = digest_;
  return Fail(ZoomFailure::kNone, Status::OK(), failure);
}

Status S2sTokenSource::FetchFresh(S2sToken* out, ZoomFailure* failure) {
  ZoomFailure ignored;
  if (failure == nullptr) failure = &ignored;
  if (!options_.refused.ok()) {
    return Fail(ZoomFailure::kKeyMismatch, options_.refused, failure);
  }
  MutexLock lock(&mu_);
  bool another_renews = false;
  Status s = Renew(out, failure, &another_renews);
  if (s.ok()) cached_ = *out;
  return s;
}

Status S2sTokenSource::LoadStored(S2sToken* out, bool* found) {
  std::string expires, scopes;
  bool has_token = false, has_expiry = false, has_scopes = false;
  Status s = GetText(options_.store, kToken, &out->sealed, &has_token);
  if (s.ok())
    s = GetText(options_.store, kTokenExpiresAt, &expires, &has_expiry);
  if (s.ok()) s = GetText(options_.store, kTokenScopes, &scopes, &has_scopes);
  std::string issued;
  bool has_issued = false;
  if (s.ok()) s = GetText(options_.store, kTokenIssuedAt, &issued, &has_issued);
  if (!s.ok()) return s;
  *found = has_token && has_expiry;
  if (!*found) return Status::OK();
  out->expires_at = strtoll(expires.c_str(), nullptr, 10);
  out->issued_at_micros = has_issued ? strtoll(issued.c_str(), nullptr, 10) : 0;
  out->scopes = SplitWords(scopes);
  return options_.box->Open(kToken, out->sealed, &out->access_token);
}

Status S2sTokenSource::SaveToken(S2sToken* out) {
  const S2sToken& token = *out;
  std::string sealed;
  Status s = options_.box->Seal(kToken, token.access_token, &sealed);
  // The expiry goes first: a crash in between leaves a stale expiry with
  // the old token, which is renewed, never a new token marked old-valid.
  if (s.ok()) {
    s = options_.store->PutSetting(kTokenExpiresAt,
                                   std::to_string(token.expires_at));
  }
  if (s.ok())
    s = options_.store->PutSetting(kTokenScopes, JoinWords(token.scopes));
  if (s.ok()) s = options_.store->PutSetting(kToken, sealed);
  if (s.ok()) out->sealed = sealed;
  if (s.ok()) {
    s = options_.store->PutSetting(kTokenIssuedAt,
                                   std::to_string(token.issued_at_micros));
  }
  return s;
}

Status S2sTokenSource::LoadCredentials(S2sCredentials* out,
                                       ZoomFailure* failure) {
  bool configured = false;
  Status s =
      LoadS2sCredentials(options_.store, *options_.box, out, &configured);
  if (s.ok() && !configured) {
    return Fail(ZoomFailure::kNotConfigured, NotConfigured(), failure);
  }
  return Fail(ZoomFailure::kNone, s, failure);
}

// One renewal in flight across processes (zoom/token_lease.h).
Status S2sTokenSource::TakeLease(std::string* owner, bool* taken) {
  const TokenLeaseDeps lease{
      options_.store, options_.random,
      options_.processes != nullptr ? options_.processes : &real_processes_};
  const int64_t now = options_.clock->NowSeconds();
  return TakeTokenLease(lease, kLease, now, now + kLeaseSeconds, owner, taken);
}

// Take the lease or tell the caller that someone else is renewing.
Status S2sTokenSource::Renew(S2sToken* out, ZoomFailure* failure,
                             bool* another_renews) {
  S2sCredentials credentials;
  Status s = LoadCredentials(&credentials, failure);
  std::string owner;
  bool taken = false;
  if (s.ok()) s = Fail(ZoomFailure::kNone, TakeLease(&owner, &taken), failure);
  if (s.ok() && !taken) {
    *another_renews = true;
    s = Fail(ZoomFailure::kTokenRenewing,
             Status::Unavailable("zoom_token_renewing",
                                 "another process is renewing the Zoom token"),
             failure);
  }
  if (s.ok()) {
    s = RequestS2sToken(options_.transport, options_.oauth_base_url,
                        options_.clock, credentials, out, failure);
    if (*failure == ZoomFailure::kCredentialsRefused) {
      refused_digest_ = CredentialsDigest(credentials);
      refusal_ = s;
    }
    if (s.ok()) s = SaveToken(out);
    options_.store->ReleaseLease(kLease, owner);
  }
  WipeString(&credentials.client_secret);
  return s;
}

Status RequestS2sToken(ZoomTransport* transport,
                       const std::string& oauth_base_url, const Clock* clock,
                       const S2sCredentials& credentials, S2sToken* out,
                       ZoomFailure* failure) {
  ZoomFailure ignored;
  if (failure == nullptr) failure = &ignored;
  HttpRequest request;
  request.method = "POST";
  request.url = oauth_base_url + "/oauth/token";
  // cpp-httplib builds the Basic header (its own base64).
  request.headers.push_back(httplib::make_basic_authentication_header(
      credentials.client_id, credentials.client_secret));
  request.headers.push_back(
      {"Content-Type", "application/x-www-form-urlencoded"});
  request.body = "grant_type=account_credentials&account_id=" +
                 httplib::detail::encode_query_param(credentials.account_id);
  HttpResponse response;
  Status s = transport->Send(request, &response);
  WipeString(&request.headers[0].second);
  // The transport's contract: Unavailable is no answer; else a bad URL.
  if (!s.ok()) {
    return Fail(s.code() == Status::Code::kUnavailable
                    ? ZoomFailure::kTokenUnavailable
                    : ZoomFailure::kNone,
                s, failure);
  }
  if (response.status != 200) {
    return TokenRefusal(response, request.url, credentials.account_id, failure);
  }
  return Fail(ZoomFailure::kTokenUnavailable,
              ParseToken(response.body, clock->NowMicros(), out), failure);
}

}  // namespace telemed
