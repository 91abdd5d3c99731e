#include "service/listen_error.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/data_dir.h"

namespace telemed {

namespace {

// The errno of binding `address` now (0 when it works), with the same
// SO_REUSEADDR the server sets, so a port in TIME_WAIT is not "in use".
int BindError(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(address.port);
  if (getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found) != 0) {
    return EADDRNOTAVAIL;
  }
  int err = EINVAL;
  int fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC,
                  found->ai_protocol);
  if (fd >= 0) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    err = bind(fd, found->ai_addr, found->ai_addrlen) == 0 ? 0 : errno;
    close(fd);
  }
  freeaddrinfo(found);
  return err;
}

}  // namespace

std::string ExplainListenFailure(const ListenAddress& address,
                                 const std::string& flag,
                                 const std::string& fallback) {
  std::string where = FormatListenAddress(address);
  std::string port = std::to_string(address.port);
  switch (BindError(address)) {
    case EADDRINUSE:
      return "cannot listen on " + where + ": port " + port +
             " is already in use by another process (maybe another "
             "telemed-bridge); 'ss -ltnp sport = :" +
             port + "' shows which. Stop it, or choose another port with " +
             flag;
    case EACCES:
    case EPERM:
      return "cannot listen on " + where +
             ": ports below 1024 need root or "
             "CAP_NET_BIND_SERVICE, and the bridge runs as " +
             DescribeUser(geteuid()) + ". Choose a port of 1024 or more with " +
             flag;
    case EADDRNOTAVAIL:
      return "cannot listen on " + where + ": " + address.host +
             " is not an address of this machine. Listen on 127.0.0.1, or "
             "on an address 'ip -brief address' shows";
    default:
      return fallback;
  }
}

}  // namespace telemed
