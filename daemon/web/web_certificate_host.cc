// ReadHostNames: the one place the admin page's certificate asks the
// operating system for the box's names (web/web_certificate.h).
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/posix_error.h"
#include "web/web_certificate.h"

namespace telemed {
namespace web {

namespace {

// The address of `addr` as text, or "" for families and scopes a
// certificate cannot name.
std::string AddressText(const sockaddr* addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
  } else if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    if (IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) return "";
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
  }
  return text;
}

}  // namespace

Status ReadHostNames(HostNames* out) {
  char host[HOST_NAME_MAX + 1] = "";
  if (gethostname(host, sizeof(host)) != 0) host[0] = '\0';
  host[HOST_NAME_MAX] = '\0';
  out->host_name = host;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) {
    return PosixError(
        "reading the box's IP addresses for the admin page's certificate "
        "(getifaddrs)",
        errno);
  }
  for (ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr) continue;
    std::string text = AddressText(ifa->ifa_addr);
    if (!text.empty() && std::find(out->addresses.begin(), out->addresses.end(),
                                   text) == out->addresses.end()) {
      out->addresses.push_back(text);
    }
  }
  freeifaddrs(list);
  return Status::OK();
}

}  // namespace web
}  // namespace telemed
