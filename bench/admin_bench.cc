// admin_bench: the admin page and the HTTPS listener of a running daemon,
// measured from outside (bench/run_admin.sh drives it).
//
//   admin_bench free-port
//   admin_bench fill      --api-port P --key K [--appointments 10000]
//                         [--future 500] [--doctors 10]
//   admin_bench setup     --https-port P --cert PEM --code CODE
//                         --password PW [--settle-s 300]
//   admin_bench page      --https-port P --cert PEM --pid PID [--rounds 200]
//   admin_bench api       --https-port P --cert PEM --password PW
//                         [--iterations 200]
//   admin_bench handshake --https-port P --cert PEM --pid PID
//                         [--threads 2] [--seconds 5]
//   admin_bench idle      --https-port P --cert PEM --pid PID
//                         [--counts 0,100,500]
//
// --cert is the daemon's certificate (`telemed-bridge web cert --pem`), the
// only one the client trusts. The HTTPS commands also take --curves
// chrome|firefox|p256|all (default chrome): the ECDHE curves the client
// offers (admin_client.h). Everything talks to 127.0.0.1 only, prints
// markdown table rows and stops by itself.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "admin_client.h"
#include "admin_phases.h"
#include "flags.h"
#include "tls/tls_client_config.h"

namespace telemed {
namespace bench {
namespace {

// A port free on 127.0.0.1 right now (the kernel's pick for port 0).
int PrintFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("admin_bench: free-port");
    if (fd >= 0) close(fd);
    return 1;
  }
  std::printf("%d\n", ntohs(address.sin_port));
  close(fd);
  return 0;
}

int RunFill(Flags* flags) {
  return FillAppointments(
      flags->GetInt("api-port", 0), flags->GetString("key", ""),
      flags->GetInt("appointments", 10000), flags->GetInt("future", 500),
      flags->GetInt("doctors", 10));
}

// The commands that talk HTTPS to the admin listener.
int RunHttps(const std::string& command, Flags* flags) {
  std::unique_ptr<tls::TlsClientConfig> tls;
  if (!OpenTlsConfig(flags->GetString("cert", ""),
                     flags->GetString("curves", "chrome"), &tls)) {
    return 1;
  }
  AdminTarget target;
  target.port = flags->GetInt("https-port", 0);
  target.tls = tls.get();
  if (command == "setup") {
    return SetUpAdmin(target, flags->GetString("code", ""),
                      flags->GetString("password", ""),
                      flags->GetInt("settle-s", 300));
  }
  if (command == "page") {
    return MeasurePageLoad(target, static_cast<pid_t>(flags->GetInt("pid", 0)),
                           flags->GetInt("rounds", 200));
  }
  if (command == "api") {
    return MeasureAdminApi(target, flags->GetString("password", ""),
                           flags->GetInt("iterations", 200));
  }
  if (command == "handshake") {
    return MeasureHandshakes(
        target, static_cast<pid_t>(flags->GetInt("pid", 0)),
        flags->GetInt("threads", 2), flags->GetInt("seconds", 5));
  }
  return MeasureIdleConnections(target,
                                static_cast<pid_t>(flags->GetInt("pid", 0)),
                                flags->GetIntList("counts", "0,100,500"));
}

int Dispatch(const std::string& command, Flags* flags) {
  if (command == "free-port") return PrintFreePort();
  if (command == "fill") return RunFill(flags);
  if (command == "setup" || command == "page" || command == "api" ||
      command == "handshake" || command == "idle") {
    return RunHttps(command, flags);
  }
  std::fprintf(stderr, "admin_bench: unknown command %s\n", command.c_str());
  return 2;
}

}  // namespace
}  // namespace bench
}  // namespace telemed

int main(int argc, char** argv) {
  return telemed::bench::RunCommand(
      argc, argv, "admin_bench", "free-port|fill|setup|page|api|handshake|idle",
      telemed::bench::Dispatch);
}
