// LoopServer: a cpp-httplib server whose connections hold no thread while
// they wait for a request.
//
// httplib 0.11 gives every connection a pool thread from accept to close,
// and its timeouts apply to each recv(): 64 clients sending a byte every few
// seconds, or idling between requests, blocked everyone else. Here:
//
//   accept (httplib's loop; the task queue runs the job inline)
//     -> one epoll thread reads each connection into its own buffer until
//        the blank line that ends a request head (http/head_scan.h: bounded
//        line length, header count, head size and time) and refuses bad
//        framing itself (414, 431, 413, 415, 408, 400, 501);
//     -> a worker (http/worker_pool.h) runs httplib's process_request on the
//        connection's BufferedStream (its body bounded in bytes and time);
//     -> keep-alive: the next request is served at once when it is already
//        there (pipelining, answered in order) or arrives within 2 ms (a
//        client's next request on a busy connection: no thread switch),
//        else the connection goes back to the epoll thread.
//
// Each answer leaves in one send() (BufferedStream batches httplib's
// separate writes of head and body).
//
// Every close the server initiates on a live connection is a half-close
// (shutdown(SHUT_WR)) followed by a bounded drain on the epoll thread, so a
// client still sending sees the answer (401, 413 ...) rather than a reset.
// Beyond max_connections a new connection gets 503 with Retry-After: 1.
// Idle keep-alive connections remember the Authorization they last used
// and are closed within a second of it no longer being valid.
//
// TLS (Settings::tls): the handshake runs in the epoll thread too, a step
// each time the socket is ready (http/tls_channel.h), and a connection that
// has not finished it within handshake_timeout is closed; no worker is
// involved until a request head is complete. After the handshake the
// connection is served exactly as a plain one, over decrypted bytes
// (http/byte_channel.h); a half-close sends close_notify first. A
// connection beyond max_connections completes its handshake and gets its
// 503 over TLS.
//
// Use: construct, register handlers as on httplib::Server, bind_to_port or
// bind_to_any_port, then Serve() on one thread and Stop() from any.
#ifndef TELEMED_HTTP_LOOP_SERVER_H_
#define TELEMED_HTTP_LOOP_SERVER_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/head_scan.h"

namespace telemed {
namespace tls {
class ServerTlsConfig;
}  // namespace tls

namespace http {

class ConnectionLoop;

class LoopServer final : public httplib::Server {
 public:
  using milliseconds = std::chrono::milliseconds;
  // Not "Options": that name would hide httplib::Server::Options().
  struct Settings {
    HeadLimits head;
    // Workers running requests (a parked long-poll holds one).
    size_t max_workers = 192;
    // Open connections; more are answered 503 and closed.
    size_t max_connections = 2048;
    // Keep-alive: how long a connection may wait for a next request.
    milliseconds idle_timeout{5000};
    // From a request's first byte to the end of its head.
    milliseconds head_timeout{10000};
    // From the end of the head to the last byte of its body.
    milliseconds body_timeout{10000};
    // One write may wait this long for the peer to read.
    milliseconds write_timeout{10000};
    // After a half-close, how long unread input is discarded before close.
    milliseconds drain_timeout{1000};
    // Requests per connection.
    size_t keep_alive_max_count = 1000;
    // The JSON body of an answer the loop gives itself; required.
    std::function<std::string(int status, const std::string& code,
                              const std::string& message)>
        error_body;
    // Whether an idle connection whose last request carried this
    // Authorization value may stay open; called on the epoll thread at most
    // once a second per distinct value. Null: never re-checked.
    std::function<bool(const std::string& authorization)> still_authorized;
    // Optional: counts workers started and retired.
    std::atomic<uint64_t>* activity = nullptr;
    // Null: plain HTTP. Else every connection speaks TLS with this setup
    // (tls/server_tls_config.h); SetTlsConfig replaces it.
    std::shared_ptr<const tls::ServerTlsConfig> tls;
    // TLS: from accept to the end of the handshake.
    milliseconds handshake_timeout{5000};
  };

  explicit LoopServer(const Settings& settings);
  ~LoopServer() override;

  // httplib listens with a backlog of 5: a burst of connects would lose
  // SYNs and wait a second to retry. Call right after binding, on the
  // binding thread (from the accept thread it would race with Stop()
  // closing the socket).
  void WidenListenBacklog();
  // Serves on the bound socket until Stop(). Returns once every connection
  // is closed: requests in flight finish (their body reads and writes are
  // cut short by the stop), waiting connections are closed at once.
  void Serve();
  // Thread-safe; returns at once.
  void Stop();
  // Thread-safe: connections accepted from now on use `tls` (a renewed or
  // imported certificate); open ones keep the setup they began with. Null
  // makes new connections plain.
  void SetTlsConfig(std::shared_ptr<const tls::ServerTlsConfig> tls);

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::unique_ptr<ConnectionLoop> loop_;
};

}  // namespace http
}  // namespace telemed

#endif  // TELEMED_HTTP_LOOP_SERVER_H_
