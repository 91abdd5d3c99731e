#include "cli/listen_error.h"

#include <CppUTest/TestHarness.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace telemed {
namespace cli {

TEST_GROUP(ListenError){};

TEST(ListenError, APortInUseIsNamedWithItsPossibleHolder) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK_EQUAL(0,
              bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)));
  CHECK_EQUAL(0, listen(fd, 1));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  std::string text = ExplainListenFailure({"127.0.0.1", port}, "fallback");
  close(fd);
  STRCMP_CONTAINS(
      ("port " + std::to_string(port) + " is already in use").c_str(),
      text.c_str());
  STRCMP_CONTAINS("another telemed-bridge", text.c_str());
  STRCMP_CONTAINS("--listen", text.c_str());
}

TEST(ListenError, AnAddressOfAnotherMachineIsNamed) {
  // 192.0.2.0/24 is reserved for documentation: never this machine's.
  std::string text = ExplainListenFailure({"192.0.2.1", 8080}, "fallback");
  STRCMP_CONTAINS("192.0.2.1 is not an address of this machine", text.c_str());
}

TEST(ListenError, AFreeAddressKeepsTheServersOwnMessage) {
  std::string text = ExplainListenFailure({"127.0.0.1", 0}, "fallback");
  STRCMP_EQUAL("fallback", text.c_str());
}

TEST(ListenError, ALowPortNamesTheUserWhenNotPrivileged) {
  if (geteuid() == 0) {
    UT_PRINT("root may bind low ports: nothing to explain");
    return;
  }
  std::string text = ExplainListenFailure({"127.0.0.1", 1}, "fallback");
  STRCMP_CONTAINS("below 1024", text.c_str());
}

}  // namespace cli
}  // namespace telemed
