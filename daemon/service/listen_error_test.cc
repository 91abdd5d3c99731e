#include "service/listen_error.h"

#include <CppUTest/TestHarness.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "config/data_dir.h"

namespace telemed {

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
  std::string text =
      ExplainListenFailure({"127.0.0.1", port}, "--listen", "fallback");
  std::string https =
      ExplainListenFailure({"127.0.0.1", port}, "--https-listen", "fallback");
  close(fd);
  STRCMP_CONTAINS(
      ("port " + std::to_string(port) + " is already in use").c_str(),
      text.c_str());
  STRCMP_CONTAINS("another telemed-bridge", text.c_str());
  STRCMP_CONTAINS("choose another port with --listen", text.c_str());
  STRCMP_CONTAINS("choose another port with --https-listen", https.c_str());
}

TEST(ListenError, AnAddressOfAnotherMachineIsNamed) {
  // 192.0.2.0/24 is reserved for documentation: never this machine's.
  std::string text =
      ExplainListenFailure({"192.0.2.1", 8080}, "--listen", "fallback");
  STRCMP_CONTAINS("192.0.2.1 is not an address of this machine", text.c_str());
}

TEST(ListenError, AFreeAddressKeepsTheServersOwnMessage) {
  std::string text =
      ExplainListenFailure({"127.0.0.1", 0}, "--listen", "fallback");
  STRCMP_EQUAL("fallback", text.c_str());
}

TEST(ListenError, ALowPortNamesTheUserWhenNotPrivileged) {
  if (geteuid() != 0) {
    std::string text =
        ExplainListenFailure({"127.0.0.1", 1}, "--listen", "fallback");
    STRCMP_CONTAINS("below 1024", text.c_str());
    return;
  }
  // Root may bind it: ask as nobody, in a child (the switch is for good).
  pid_t pid = fork();
  if (pid == 0) {
    if (!SwitchToUser(65534, 65534).ok()) _exit(1);
    std::string text =
        ExplainListenFailure({"127.0.0.1", 1}, "--listen", "fallback");
    if (text == "fallback") _exit(3);  // low ports are open to all here
    bool named = text.find("below 1024") != std::string::npos &&
                 text.find("(uid 65534)") != std::string::npos;
    _exit(named ? 0 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 3) {
    UT_PRINT("net.ipv4.ip_unprivileged_port_start lets anyone bind port 1");
    return;
  }
  LONGS_EQUAL(0, WEXITSTATUS(status));
}

}  // namespace telemed
