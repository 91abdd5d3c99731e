#include "bare_server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>

namespace telemed {
namespace bench {

namespace {

// 300 bytes: about what GET /api/v1/appointments/{id} returns.
const char kBody[] =
    "{\"id\":\"bench-1\",\"doctor_id\":\"d1\",\"start_time\":"
    "\"2030-06-01T08:00:00Z\",\"duration_minutes\":30,\"timezone\":"
    "\"Europe/Berlin\",\"topic\":\"Follow-up visit 1\",\"cancelled\":false,"
    "\"sync_status\":\"pending\",\"meeting\":null,\"error\":null,"
    "\"revision\":1,\"updated_at\":\"2030-01-01T00:00:00Z\","
    "\"padding\":\"xxxxxxxxxxxxxxxxxxxxxx\"}";

// The daemon widens httplib's listen backlog of 5 (api/server.cc); do the
// same so connection set-up costs both servers alike.
class BareServer final : public httplib::Server {
 public:
  void WidenListenBacklog() {
    socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
  }
};

void Configure(int threads, BareServer* server) {
  server->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  server->set_tcp_nodelay(true);
  server->set_keep_alive_timeout(5);
  server->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kBody, sizeof(kBody) - 1,
                    "application/json; charset=utf-8");
  });
}

// Waits for SIGTERM/SIGINT (blocked by the caller) or the deadline.
void WaitForStop(int seconds) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  timespec timeout{seconds, 0};
  while (sigtimedwait(&stop_signals, nullptr, &timeout) < 0 && errno == EINTR) {
  }
}

}  // namespace

int RunBareServer(int threads, int seconds) {
  // Blocked before any thread starts, so only WaitForStop receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  BareServer server;
  Configure(threads, &server);
  int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "api_bench: bare server: cannot bind\n");
    return 1;
  }
  server.WidenListenBacklog();
  std::printf("%d\n", port);
  std::fflush(stdout);
  std::thread serving([&server] { server.listen_after_bind(); });
  WaitForStop(seconds);
  server.stop();
  serving.join();
  return 0;
}

}  // namespace bench
}  // namespace telemed
