#include "admin_client.h"

#include <cjson/cJSON.h>
#include <mbedtls/ssl.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <utility>

#include "tls/tls_client.h"
#include "tls/tls_client_config.h"

namespace telemed {
namespace bench {

namespace {

constexpr char kCookieName[] = "__Host-tb_session=";

std::string HostPort(int port) { return "127.0.0.1:" + std::to_string(port); }

// The name=value part of a Set-Cookie header.
std::string CookiePair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

std::string CsrfTokenOf(const std::string& body) {
  cJSON* json = cJSON_Parse(body.c_str());
  const cJSON* token = cJSON_GetObjectItemCaseSensitive(json, "csrf_token");
  std::string value = cJSON_IsString(token) ? token->valuestring : "";
  cJSON_Delete(json);
  return value;
}

std::string JsonObject(
    std::initializer_list<std::pair<const char*, std::string>> members) {
  cJSON* json = cJSON_CreateObject();
  for (const auto& [key, value] : members) {
    cJSON_AddStringToObject(json, key, value.c_str());
  }
  char* text = cJSON_PrintUnformatted(json);
  std::string body = text;
  cJSON_free(text);
  cJSON_Delete(json);
  return body;
}

}  // namespace

namespace {

// The curves a client offers, by OpenTlsConfig's names; null for "all"
// (mbedTLS's default) and for an unknown name (*known false).
const mbedtls_ecp_group_id* CurveList(const std::string& name, bool* known) {
  static const mbedtls_ecp_group_id kChrome[] = {
      MBEDTLS_ECP_DP_CURVE25519, MBEDTLS_ECP_DP_SECP256R1,
      MBEDTLS_ECP_DP_SECP384R1, MBEDTLS_ECP_DP_NONE};
  static const mbedtls_ecp_group_id kFirefox[] = {
      MBEDTLS_ECP_DP_CURVE25519, MBEDTLS_ECP_DP_SECP256R1,
      MBEDTLS_ECP_DP_SECP384R1, MBEDTLS_ECP_DP_SECP521R1, MBEDTLS_ECP_DP_NONE};
  static const mbedtls_ecp_group_id kP256[] = {MBEDTLS_ECP_DP_SECP256R1,
                                               MBEDTLS_ECP_DP_NONE};
  *known = true;
  if (name == "chrome") return kChrome;
  if (name == "firefox") return kFirefox;
  if (name == "p256") return kP256;
  *known = name == "all";
  return nullptr;
}

}  // namespace

bool OpenTlsConfig(const std::string& pem_file, const std::string& curves,
                   std::unique_ptr<tls::TlsClientConfig>* out) {
  bool known = false;
  const mbedtls_ecp_group_id* curve_list = CurveList(curves, &known);
  if (!known) {
    std::fprintf(stderr,
                 "admin_bench: --curves %s is not chrome, firefox, "
                 "p256 or all\n",
                 curves.c_str());
    return false;
  }
  std::ifstream in(pem_file);
  std::stringstream pem;
  pem << in.rdbuf();
  if (!in || pem.str().empty()) {
    std::fprintf(stderr, "admin_bench: cannot read %s\n", pem_file.c_str());
    return false;
  }
  tls::TlsClientConfig::Options options;
  options.ca_file = pem_file;
  options.ca_pem = pem.str();
  const mbedtls_ssl_config* conf = nullptr;
  Status s = tls::TlsClientConfig::Open(options, out);
  if (s.ok()) s = (*out)->Prepare(&conf);
  if (!s.ok()) {
    std::fprintf(stderr, "admin_bench: %s\n", s.ToString().c_str());
    return false;
  }
  // TlsClientConfig offers no choice of curves (the daemon's client keeps
  // mbedTLS's list); the settings are still unused here, so changing them
  // before the first connection is safe.
  if (curve_list != nullptr) {
    mbedtls_ssl_conf_curves(const_cast<mbedtls_ssl_config*>(conf), curve_list);
  }
  return true;
}

AdminClient::AdminClient(const AdminTarget& target) : target_(target) {
  Close();
}

AdminClient::~AdminClient() = default;

void AdminClient::Close() {
  client_ =
      std::make_unique<tls::TlsClient>("127.0.0.1", target_.port, target_.tls);
  client_->set_keep_alive(true);
  // Body sizes are then the bytes sent, gzip where the daemon gzips.
  client_->set_decompress(false);
  client_->set_connection_timeout(std::chrono::seconds(10));
  client_->set_read_timeout(std::chrono::seconds(30));
  client_->set_write_timeout(std::chrono::seconds(30));
}

httplib::Headers AdminClient::BaseHeaders() const {
  httplib::Headers headers = {{"Host", HostPort(target_.port)},
                              {"Accept-Encoding", "gzip"}};
  if (!cookie_.empty()) headers.emplace("Cookie", cookie_);
  return headers;
}

httplib::Result AdminClient::Get(const std::string& path,
                                 const std::string& if_none_match) {
  httplib::Headers headers = BaseHeaders();
  if (!if_none_match.empty()) headers.emplace("If-None-Match", if_none_match);
  return client_->Get(path.c_str(), headers);
}

httplib::Result AdminClient::Post(const std::string& path,
                                  const std::string& json) {
  httplib::Headers headers = BaseHeaders();
  headers.emplace("Origin", "https://" + HostPort(target_.port));
  if (!csrf_token_.empty()) headers.emplace("X-CSRF-Token", csrf_token_);
  return client_->Post(path.c_str(), headers, json, "application/json");
}

bool AdminClient::SignIn(const std::string& setup_code,
                         const std::string& password) {
  const bool setup = !setup_code.empty();
  const std::string path = setup ? "/admin/api/setup" : "/admin/api/login";
  const std::string body = setup ? JsonObject({{"setup_code", setup_code},
                                               {"password", password},
                                               {"confirm_password", password}})
                                 : JsonObject({{"password", password}});
  httplib::Result res = Post(path, body);
  if (!res || (res->status != 200 && res->status != 201)) {
    std::fprintf(stderr, "admin_bench: %s answered %d %s\n", path.c_str(),
                 res ? res->status : -1, res ? res->body.c_str() : "");
    return false;
  }
  for (const auto& [name, value] : res->headers) {
    if (name == "Set-Cookie" && value.rfind(kCookieName, 0) == 0) {
      cookie_ = CookiePair(value);
    }
  }
  csrf_token_ = CsrfTokenOf(res->body);
  if (cookie_.empty() || csrf_token_.empty()) {
    std::fprintf(stderr, "admin_bench: %s gave no session\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace bench
}  // namespace telemed
