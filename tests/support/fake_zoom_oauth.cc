// The Server-to-Server token endpoint and the bearer-token and scope checks
// in front of every API route, answering as docs/zoom-notes.md records.
#include <mbedtls/base64.h>

#include <algorithm>
#include <cstring>

#include "base/clock.h"
#include "base/encoding.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const std::string& scope : scopes) {
    if (!joined.empty()) joined += ' ';
    joined += scope;
  }
  return joined;
}

// The granular scope a route needs and the classic scope that also grants
// it (docs/zoom-notes.md lists both namings).
std::pair<const char*, const char*> ScopesFor(Route route) {
  switch (route) {
    case Route::kCreateMeeting:
      return {"meeting:write:meeting:admin", "meeting:write:admin"};
    case Route::kPatchMeeting:
      return {"meeting:update:meeting:admin", "meeting:write:admin"};
    case Route::kDeleteMeeting:
      return {"meeting:delete:meeting:admin", "meeting:write:admin"};
    case Route::kGetMeeting:
      return {"meeting:read:meeting:admin", "meeting:read:admin"};
    case Route::kListMeetings:
      return {"meeting:read:list_meetings:admin", "meeting:read:admin"};
    case Route::kGetUser:
      return {"user:read:user:admin", "user:read:admin"};
    default:  // kListUsers; token and unknown routes are never checked
      return {"user:read:list_users:admin", "user:read:admin"};
  }
}

bool Has(const std::vector<std::string>& scopes, const char* scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

}  // namespace

Reply OauthError(const char* error, const char* reason) {
  CjsonPtr json(cJSON_CreateObject());
  cJSON_AddStringToObject(json.get(), "reason", reason);
  cJSON_AddStringToObject(json.get(), "error", error);
  return JsonReply(400, std::move(json));
}

std::string DecodeBasic(const std::string& header) {
  const std::string kPrefix = "Basic ";
  if (header.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  const std::string encoded = header.substr(kPrefix.size());
  std::string decoded(encoded.size(), '\0');
  size_t length = 0;
  int ret = mbedtls_base64_decode(
      reinterpret_cast<unsigned char*>(&decoded[0]), decoded.size(), &length,
      reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size());
  if (ret != 0) return "";
  decoded.resize(length);
  return decoded;
}

std::string FormValue(const httplib::Params& form, const char* name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

httplib::Params ReadForm(const httplib::Request& request) {
  // Only a form body counts: a JSON body leaves grant_type unread, and the
  // query string is ignored: Zoom reads the token request's form body only.
  httplib::Params form;
  const std::string type = request.get_header_value("Content-Type");
  if (type.compare(0, 33, "application/x-www-form-urlencoded") == 0) {
    httplib::detail::parse_query_text(request.body, form);
  }
  return form;
}

Reply FakeZoom::Impl::IssueToken(const httplib::Request& request) {
  const httplib::Params form = ReadForm(request);
  const std::string grant = FormValue(form, "grant_type");
  if (grant == "authorization_code" || grant == "refresh_token") {
    return IssueUserToken(request, form);
  }
  if (DecodeBasic(request.get_header_value("Authorization")) !=
      client_id_ + ":" + client_secret_) {
    return OauthError("invalid_client", "Invalid client_id or client_secret");
  }
  if (grant != "account_credentials") {
    return OauthError("unsupported_grant_type", "unsupported grant type");
  }
  if (FormValue(form, "account_id") != options_.account_id) {
    return OauthError("invalid_request", "Account does not exist");
  }
  const int64_t now = options_.clock->NowMicros();
  const std::string token =
      "fz." + Sha256Hex(options_.account_id + std::to_string(NextSerial()) +
                        std::to_string(now));
  tokens_[token] = Token{now + options_.token_lifetime_seconds * 1000000,
                         granted_scopes_, ""};
  CjsonPtr json(cJSON_CreateObject());
  cJSON_AddStringToObject(json.get(), "access_token", token.c_str());
  cJSON_AddStringToObject(json.get(), "token_type", "bearer");
  cJSON_AddNumberToObject(json.get(), "expires_in",
                          static_cast<double>(options_.token_lifetime_seconds));
  cJSON_AddStringToObject(json.get(), "scope",
                          JoinScopes(granted_scopes_).c_str());
  cJSON_AddStringToObject(json.get(), "api_url", options_.api_url.c_str());
  return JsonReply(200, std::move(json));
}

bool FakeZoom::Impl::Authorize(Route route, const httplib::Request& request,
                               Reply* reply) {
  const std::string header = request.get_header_value("Authorization");
  const std::string kPrefix = "Bearer ";
  auto it = header.compare(0, kPrefix.size(), kPrefix) == 0
                ? tokens_.find(header.substr(kPrefix.size()))
                : tokens_.end();
  if (it == tokens_.end()) {
    *reply = ErrorReply(401, 124, "Invalid access token.");
    return false;
  }
  if (options_.clock->NowMicros() >= it->second.expires_micros) {
    *reply = ErrorReply(401, 124, "Access token is expired.");
    return false;
  }
  const auto needed = ScopesFor(route);
  // A user-level token carries the granular scope without ":admin".
  const std::string user_level =
      std::string(needed.first).substr(0, strlen(needed.first) - 6);
  if (!Has(it->second.scopes, needed.first) &&
      !Has(it->second.scopes, needed.second) &&
      !(it->second.user_id.size() > 0 &&
        Has(it->second.scopes, user_level.c_str()))) {
    // Zoom lists every name that would do: the user-level one, the S2S
    // one and the classic one.
    const std::string granular = needed.first;
    *reply = ErrorReply(400, 4711,
                        "Invalid access token, does not contain scopes:[" +
                            granular.substr(0, granular.size() - 6) + ", " +
                            granular + ", " + needed.second + "]");
    return false;
  }
  return true;
}

}  // namespace test
}  // namespace telemed
