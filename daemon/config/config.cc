#include "config/config.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/text.h"

namespace telemed {

namespace {

Status BadListen(const std::string& text, const std::string& why) {
  return Status::InvalidArgument(
      "invalid_listen", "'" + text + "' is not HOST:PORT (" + why + ")",
      "listen");
}

// Whole decimal number in [min, max], digits only (no sign, no spaces).
bool ParseBoundedInt(const std::string& text, int min, int max, int* out) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return false;
  *out = value;
  return true;
}

bool IsIpLiteral(int family, const std::string& host) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return inet_pton(family, host.c_str(), buffer) == 1;
}

// Splits "HOST:PORT" or "[V6]:PORT" at the port's colon; *ipv6 tells which.
bool SplitHostPort(const std::string& text, std::string* host,
                   std::string* port, bool* ipv6) {
  *ipv6 = !text.empty() && text[0] == '[';
  size_t colon = *ipv6 ? text.find("]:") : text.rfind(':');
  if (colon == std::string::npos) return false;
  *host = *ipv6 ? text.substr(1, colon - 1) : text.substr(0, colon);
  *port = text.substr(colon + (*ipv6 ? 2 : 1));
  return true;
}

}  // namespace

ListenAddress Config::DefaultListenAddress() {
  ListenAddress address;
  Status s = ParseListenAddress(TELEMED_DEFAULT_LISTEN, &address);
  assert(s.ok());
  (void)s;
  return address;
}

Config::OptionalListen Config::DefaultHttpsListen() {
  OptionalListen listen;
  const std::string text = TELEMED_DEFAULT_HTTPS_LISTEN;
  if (text == "off") return listen;
  Status s = ParseListenAddress(text, &listen.address);
  assert(s.ok());
  listen.enabled = s.ok();
  return listen;
}

Status ParseListenAddress(const std::string& text, ListenAddress* out) {
  std::string host, port_text;
  bool ipv6 = false;
  if (!SplitHostPort(text, &host, &port_text, &ipv6)) {
    return BadListen(text, "no port");
  }
  bool host_ok = ipv6 ? IsIpLiteral(AF_INET6, host)
                      : host == "localhost" || IsIpLiteral(AF_INET, host);
  if (!host_ok) {
    return BadListen(text,
                     "the host must be an IPv4 address, localhost or [IPv6]");
  }
  int port = 0;
  if (!ParseBoundedInt(port_text, 1, 65535, &port)) {
    return BadListen(text, "the port must be 1..65535");
  }
  out->host = host;
  out->port = port;
  return Status::OK();
}

std::string FormatListenAddress(const ListenAddress& address) {
  bool ipv6 = address.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + address.host + "]" : address.host;
  return host + ":" + std::to_string(address.port);
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  struct in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  struct in6_addr v6;
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 &&
         IN6_IS_ADDR_LOOPBACK(&v6);
}

Status SetDataDir(const std::string& text, Config* config) {
  if (text.empty()) {
    return Status::InvalidArgument(
        "invalid_data_dir", "the data directory must not be empty", "data-dir");
  }
  config->data_dir = text;
  return Status::OK();
}

Status SetListen(const std::string& text, Config* config) {
  return ParseListenAddress(text, &config->listen);
}

Status SetHttpsListen(const std::string& text, Config* config) {
  if (text == "off") {
    config->https_enabled = false;
    config->https_listen_given = true;
    return Status::OK();
  }
  ListenAddress address;
  Status s = ParseListenAddress(text, &address);
  if (!s.ok()) {
    return Status::InvalidArgument(
        s.reason(), s.message() + "; or 'off' for no listener", "https-listen");
  }
  config->https_enabled = true;
  config->https_listen = address;
  config->https_listen_given = true;
  return Status::OK();
}

Status SetRetentionDays(const std::string& text, Config* config) {
  if (!ParseBoundedInt(text, 1, 3650, &config->retention_days)) {
    return Status::InvalidArgument(
        "invalid_retention_days",
        "'" + text + "' is not a whole number of days in 1..3650",
        "retention-days");
  }
  return Status::OK();
}

Status SetBackupKeep(const std::string& text, Config* config) {
  if (text == "off") {
    config->backup_keep = 0;
    return Status::OK();
  }
  if (!ParseBoundedInt(text, 1, 365, &config->backup_keep)) {
    return Status::InvalidArgument(
        "invalid_backup_keep",
        "'" + text + "' is neither a whole number in 1..365 nor 'off'",
        "backup-keep");
  }
  return Status::OK();
}

namespace {

Status CheckHttpsUrl(const std::string& text, const char* field,
                     std::string* out) {
  static const char kScheme[] = "https://";
  bool ok = text.compare(0, strlen(kScheme), kScheme) == 0 &&
            text.size() > strlen(kScheme) &&
            text.find_first_of(" \t\r\n?#") == std::string::npos &&
            text[strlen(kScheme)] != '/';
  if (!ok) {
    return Status::InvalidArgument(
        "invalid_url",
        "'" + text + "' is not an https:// URL (only https is accepted)",
        field);
  }
  *out = text;
  while (out->size() > strlen(kScheme) + 1 && out->back() == '/')
    out->pop_back();
  return Status::OK();
}

Status SetPath(const std::string& text, const char* field, std::string* out) {
  if (text.empty()) {
    return Status::InvalidArgument("invalid_path", "the path must not be empty",
                                   field);
  }
  *out = text;
  return Status::OK();
}

}  // namespace

Status SetZoomOauthUrl(const std::string& text, Config* config) {
  Status s = CheckHttpsUrl(text, "zoom-oauth-url", &config->zoom_oauth_url);
  if (s.ok()) config->zoom_oauth_url_given = true;
  return s;
}

Status SetZoomApiUrl(const std::string& text, Config* config) {
  Status s = CheckHttpsUrl(text, "zoom-api-url", &config->zoom_api_url);
  if (s.ok()) config->zoom_api_url_given = true;
  return s;
}

std::string PublicUrl(const Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    snprintf(host, sizeof(host), "localhost");
  }
  const int port = config.https_enabled ? config.https_listen.port : 8443;
  return "https://" + std::string(host) + ".local:" + std::to_string(port);
}

Status SetPublicUrl(const std::string& text, Config* config) {
  std::string url;
  Status s = CheckHttpsUrl(text, "public-url", &url);
  // An origin: the bridge appends its own paths (/oauth/...).
  if (s.ok() && url.find('/', strlen("https://")) != std::string::npos) {
    s = Status::InvalidArgument(
        "invalid_url",
        "'" + text + "' must be an origin (https://HOST[:PORT]), no path",
        "public-url");
  }
  if (s.ok()) config->public_url = url;
  return s;
}

Status SetOauthMatchEmail(const std::string& text, Config* config) {
  if (text != "on" && text != "off") {
    return Status::InvalidArgument("invalid_switch",
                                   "'" + text + "' is not on or off",
                                   "oauth-match-email");
  }
  config->oauth_match_email = text == "on";
  return Status::OK();
}

Status SetCaFile(const std::string& text, Config* config) {
  Status s = SetPath(text, "ca-file", &config->ca_file);
  if (s.ok()) config->ca_file_given = true;
  return s;
}

Status SetKeyFile(const std::string& text, Config* config) {
  return SetPath(text, "key-file", &config->key_file);
}

Status SetZoomPlan(const std::string& text, Config* config) {
  if (text != "free" && text != "pro" && text != "business") {
    return Status::InvalidArgument(
        "invalid_zoom_plan",
        "'" + text + "' is not a Zoom plan: use free, pro or business",
        "zoom-plan");
  }
  config->zoom_plan = text;
  return Status::OK();
}

Status SetDefaultTopic(const std::string& text, Config* config) {
  size_t code_points = 0;
  if (!IsCleanUtf8(text, &code_points) || code_points < 1 ||
      code_points > 200) {
    return Status::InvalidArgument(
        "invalid_topic", "the default topic must be 1..200 characters of text",
        "default-topic");
  }
  config->default_topic = text;
  return Status::OK();
}

Status ApplyEnvironment(const EnvGetter& getenv, Config* config) {
  using Setter = Status (*)(const std::string&, Config*);
  auto set_data_dir = [](const std::string& text, Config* c) {
    c->data_dir = text;
    return Status::OK();
  };
  auto set_service_user = [](const std::string& text, Config* c) {
    c->service_user = text;
    return Status::OK();
  };
  auto set_credentials = [](const std::string& text, Config* c) {
    c->credentials_directory = text;
    return Status::OK();
  };
  const std::pair<const char*, Setter> variables[] = {
      {"TELEMED_DATA_DIR", set_data_dir},
      {"TELEMED_SERVICE_USER", set_service_user},
      {"TELEMED_LISTEN", SetListen},
      {"TELEMED_HTTPS_LISTEN", SetHttpsListen},
      {"TELEMED_ZOOM_OAUTH_URL", SetZoomOauthUrl},
      {"TELEMED_ZOOM_API_URL", SetZoomApiUrl},
      {"TELEMED_CA_FILE", SetCaFile},
      {"TELEMED_KEY_FILE", SetKeyFile},
      {"TELEMED_BACKUP_KEEP", SetBackupKeep},
      {"TELEMED_RETENTION_DAYS", SetRetentionDays},
      {"TELEMED_ZOOM_PLAN", SetZoomPlan},
      {"TELEMED_DEFAULT_TOPIC", SetDefaultTopic},
      {"TELEMED_PUBLIC_URL", SetPublicUrl},
      {"TELEMED_OAUTH_MATCH_EMAIL", SetOauthMatchEmail},
      {"CREDENTIALS_DIRECTORY", set_credentials}};
  for (const auto& [name, set] : variables) {
    const char* value = getenv(name);
    if (value == nullptr || *value == '\0') continue;
    Status s = set(value, config);
    if (!s.ok()) return s.WithContext(name);
  }
  return Status::OK();
}

}  // namespace telemed
