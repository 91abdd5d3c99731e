#include "service/api_probe.h"

#include <httplib.h>

#include <string>

namespace telemed {

namespace {

// Where a request to a listener on `host` can go: the wildcard addresses
// accept on every address, loopback included.
std::string ProbeHost(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

}  // namespace

bool ProbeApi(const ListenAddress& bound, std::chrono::milliseconds timeout) {
  httplib::Client client(ProbeHost(bound.host), bound.port);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_keep_alive(false);
  httplib::Result res = client.Get("/api/v1/health");
  return res && res->status == 200;
}

}  // namespace telemed
