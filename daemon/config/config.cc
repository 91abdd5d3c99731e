#include "config/config.h"

#include <arpa/inet.h>

#include <cassert>
#include <cstdlib>

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

Status SetRetentionDays(const std::string& text, Config* config) {
  if (!ParseBoundedInt(text, 1, 3650, &config->retention_days)) {
    return Status::InvalidArgument(
        "invalid_retention_days",
        "'" + text + "' is not a whole number of days in 1..3650",
        "retention-days");
  }
  return Status::OK();
}

Status ApplyEnvironment(const EnvGetter& getenv, Config* config) {
  const char* data_dir = getenv("TELEMED_DATA_DIR");
  if (data_dir != nullptr && *data_dir != '\0') config->data_dir = data_dir;
  const char* listen = getenv("TELEMED_LISTEN");
  if (listen != nullptr && *listen != '\0') {
    Status s = SetListen(listen, config);
    if (!s.ok()) return s.WithContext("TELEMED_LISTEN");
  }
  return Status::OK();
}

}  // namespace telemed
