// User OAuth (a doctor connects their own Zoom account), answering as
// docs/zoom-notes.md records: /oauth/authorize redirects with a code bound
// to the redirect URL and the PKCE challenge; the code is exchanged once,
// with the verifier; every refresh rotates the refresh token and an older
// one gets 400 invalid_grant; /oauth/revoke ends a grant.
#include <mbedtls/sha256.h>

#include "base/clock.h"
#include "base/encoding.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

// base64url(SHA-256(verifier)), written here apart from the bridge's own
// code so a mistake there is not mirrored.
std::string S256(const std::string& verifier) {
  unsigned char digest[32];
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size(), digest, 0);
  return Base64UrlEncode(digest, sizeof(digest));
}

std::string QueryValue(const httplib::Request& request, const char* name) {
  return request.has_param(name) ? request.get_param_value(name) : "";
}

Reply Redirect(const std::string& location) {
  Reply reply;
  reply.status = 302;
  reply.content_type = "text/html";
  reply.headers.emplace_back("Location", location);
  return reply;
}

Reply BadAuthorize(const std::string& why) {
  Reply reply;
  reply.status = 400;
  reply.content_type = "text/html";
  reply.body = "<html><body>Invalid request: " + why + "</body></html>";
  return reply;
}

}  // namespace

std::vector<std::string> AllUserScopes() {
  return {"meeting:write:meeting",      "meeting:update:meeting",
          "meeting:delete:meeting",     "meeting:read:meeting",
          "meeting:read:list_meetings", "user:read:user"};
}

Reply FakeZoom::Impl::AuthorizeCode(const httplib::Request& request) {
  const std::string redirect = QueryValue(request, "redirect_uri");
  if (QueryValue(request, "response_type") != "code" ||
      QueryValue(request, "client_id") != options_.oauth_client_id ||
      redirect.empty()) {
    return BadAuthorize("response_type, client_id or redirect_uri");
  }
  if (QueryValue(request, "code_challenge_method") != "S256" ||
      QueryValue(request, "code_challenge").empty()) {
    return BadAuthorize("code_challenge");
  }
  const std::string state = "&state=" + httplib::detail::encode_query_param(
                                            QueryValue(request, "state"));
  const char* join = redirect.find('?') == std::string::npos ? "?" : "&";
  if (authorizing_user_.empty()) {
    return Redirect(redirect + join + "error=access_denied" + state);
  }
  const int64_t now = options_.clock->NowMicros();
  const std::string code =
      "fzc." + Sha256Hex(std::to_string(NextSerial()) + std::to_string(now))
                   .substr(0, 32);
  codes_[code] = AuthCode{authorizing_user_, redirect,
                          QueryValue(request, "code_challenge"),
                          now + options_.code_lifetime_seconds * 1000000};
  return Redirect(redirect + join + "code=" + code + state);
}

Reply FakeZoom::Impl::IssueUserToken(const httplib::Request& request,
                                     const httplib::Params& form) {
  if (DecodeBasic(request.get_header_value("Authorization")) !=
      options_.oauth_client_id + ":" + options_.oauth_client_secret) {
    return OauthError("invalid_client", "Invalid client_id or client_secret");
  }
  const int64_t now = options_.clock->NowMicros();
  std::string user_id;
  if (FormValue(form, "grant_type") == "authorization_code") {
    auto code = codes_.find(FormValue(form, "code"));
    if (code == codes_.end() || code->second.expires_micros <= now) {
      return OauthError("invalid_grant", "Invalid authorization code");
    }
    const AuthCode granted = code->second;
    codes_.erase(code);  // once, even when the rest is wrong
    if (FormValue(form, "redirect_uri") != granted.redirect_uri) {
      return OauthError("invalid_request", "Redirect URI mismatch.");
    }
    if (S256(FormValue(form, "code_verifier")) != granted.challenge) {
      return OauthError("invalid_request", "Invalid code_verifier");
    }
    user_id = granted.user_id;
  } else {
    auto refresh = refresh_tokens_.find(FormValue(form, "refresh_token"));
    if (refresh == refresh_tokens_.end() || !refresh->second.current) {
      return OauthError("invalid_grant", "Invalid Token!");
    }
    refresh->second.current = false;
    user_id = refresh->second.user_id;
  }
  const std::string serial = std::to_string(NextSerial()) + std::to_string(now);
  const std::string access = "fzu." + Sha256Hex("access" + serial);
  const std::string refresh = "fzr." + Sha256Hex("refresh" + serial);
  tokens_[access] = Token{now + user_token_lifetime_seconds_ * 1000000,
                          options_.user_scopes, user_id};
  refresh_tokens_[refresh] = RefreshGrant{user_id, true};
  CjsonPtr json(cJSON_CreateObject());
  cJSON_AddStringToObject(json.get(), "access_token", access.c_str());
  cJSON_AddStringToObject(json.get(), "token_type", "bearer");
  cJSON_AddStringToObject(json.get(), "refresh_token", refresh.c_str());
  cJSON_AddNumberToObject(json.get(), "expires_in",
                          static_cast<double>(user_token_lifetime_seconds_));
  std::string scopes;
  for (const std::string& scope : options_.user_scopes) {
    scopes += (scopes.empty() ? "" : " ") + scope;
  }
  cJSON_AddStringToObject(json.get(), "scope", scopes.c_str());
  return JsonReply(200, std::move(json));
}

Reply FakeZoom::Impl::Revoke(const httplib::Request& request) {
  if (DecodeBasic(request.get_header_value("Authorization")) !=
      options_.oauth_client_id + ":" + options_.oauth_client_secret) {
    return OauthError("invalid_client", "Invalid client_id or client_secret");
  }
  const std::string token = FormValue(ReadForm(request), "token");
  std::string user_id;
  auto access = tokens_.find(token);
  if (access != tokens_.end()) user_id = access->second.user_id;
  // A refresh token a refresh rotated away is no longer valid: Zoom
  // refuses to revoke it, as it refuses to refresh with it.
  auto refresh = refresh_tokens_.find(token);
  if (refresh != refresh_tokens_.end() && refresh->second.current) {
    user_id = refresh->second.user_id;
  }
  if (user_id.empty()) return OauthError("invalid_request", "Invalid Token!");
  // Revoking either token ends the user's grant with this app.
  for (auto& grant : refresh_tokens_) {
    if (grant.second.user_id == user_id) grant.second.current = false;
  }
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    it = it->second.user_id == user_id ? tokens_.erase(it) : std::next(it);
  }
  CjsonPtr json(cJSON_CreateObject());
  cJSON_AddStringToObject(json.get(), "status", "success");
  return JsonReply(200, std::move(json));
}

std::string FakeZoom::Impl::TokenUser(const httplib::Request& request) const {
  const std::string header = request.get_header_value("Authorization");
  const std::string kPrefix = "Bearer ";
  if (header.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  auto it = tokens_.find(header.substr(kPrefix.size()));
  return it == tokens_.end() ? "" : it->second.user_id;
}

void FakeZoom::SetAuthorizingUser(const std::string& user_id) {
  MutexLock lock(&impl_->mu_);
  impl_->authorizing_user_ = user_id;
}

void FakeZoom::RefuseGrants(const std::string& user_id) {
  MutexLock lock(&impl_->mu_);
  for (auto& grant : impl_->refresh_tokens_) {
    if (grant.second.user_id == user_id) grant.second.current = false;
  }
  for (auto& token : impl_->tokens_) {
    if (token.second.user_id == user_id) token.second.expires_micros = 0;
  }
}

bool FakeZoom::IsCurrentRefreshToken(const std::string& refresh_token) const {
  MutexLock lock(&impl_->mu_);
  auto it = impl_->refresh_tokens_.find(refresh_token);
  return it != impl_->refresh_tokens_.end() && it->second.current;
}

void FakeZoom::SetUserTokenLifetime(int64_t seconds) {
  MutexLock lock(&impl_->mu_);
  impl_->user_token_lifetime_seconds_ = seconds;
}

int FakeZoom::CountRefreshRequests() const {
  int count = 0;
  for (const LoggedRequest& entry : Requests()) {
    httplib::Params form;
    httplib::detail::parse_query_text(entry.body, form);
    auto grant = form.find("grant_type");
    if (entry.method == "POST" && entry.path == "/oauth/token" &&
        grant != form.end() && grant->second == "refresh_token") {
      ++count;
    }
  }
  return count;
}

}  // namespace test
}  // namespace telemed
