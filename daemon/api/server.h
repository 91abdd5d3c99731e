// ApiServer: the local HTTP API v1 for clinic software (see docs/api.md).
//
// Plain HTTP on the configured address (cpp-httplib framing, connections
// run by http/loop_server.h: a waiting connection holds no thread, heads and
// bodies are bounded); every route but /api/v1/health needs
// "Authorization: Bearer <api key>". Requests run on a worker pool sized for
// the capped long-polls (GET /appointments?wait=...) beside normal traffic.
// docs/api.md "Limits and behaviour" lists the limits.
#ifndef TELEMED_API_SERVER_H_
#define TELEMED_API_SERVER_H_

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"

namespace telemed {

class Clock;
class Logger;
struct OAuthConnectDeps;
class Store;
class ZoomApi;
class ZoomClient;
namespace tls {
class ServerTlsConfig;
}  // namespace tls

class ApiServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0 picks a free port (tests); see port()
    // Borrowed; each must outlive the server. The API reads and writes
    // every clinic-facing role of the store (records, sync queue, keys,
    // settings), so it takes the Store whole.
    Store* store = nullptr;
    Logger* logger = nullptr;
    const Clock* clock = nullptr;
    // Borrowed, may be null (then start_url answers 502 zoom_unavailable):
    // fetches a fresh host start URL for GET .../start_url.
    ZoomApi* zoom = nullptr;
    // Borrowed, may be null: start URLs of OAuth doctors' meetings, through
    // their own grants (ZoomClient::ApiFor).
    ZoomClient* doctors = nullptr;
    // Borrowed, may be null (then connect answers 409
    // oauth_app_not_configured): what POST .../doctors/{id}/connect makes
    // its link with (zoom/oauth_connect.h).
    const OAuthConnectDeps* oauth_connect = nullptr;
    // Most worker threads for requests other than parked long-polls; a
    // connection holds one only while a request of it runs. They are
    // started on demand and retired when idle (http/worker_pool.h).
    int worker_threads = 64;
    // Long-polls parked at once (each holds a worker); more get 503 with
    // Retry-After: 1.
    int max_long_polls = 128;
    // Open connections; more get 503 with Retry-After: 1 and are closed.
    int max_connections = 2048;
    // Directory of the tz database, for validating appointment timezones.
    std::string zoneinfo_dir = "/usr/share/zoneinfo";
  };

  // Builds the routes and binds the listening socket, so a caller can report
  // readiness as soon as Open returns. IoError("listen_failed") when the
  // address cannot be bound (in use, not local, permission), and no other
  // IoError; Internal when an Options pointer is missing.
  static Status Open(const Options& options, std::unique_ptr<ApiServer>* out);
  virtual ~ApiServer() = default;

  // The HTTPS listener: /api/v1 exactly as on the plain one (same keys,
  // limits and answers), for clinic software on other machines, and every
  // other path handed to `serve_other` (the admin page) with its body read
  // (at most 64 KiB). Connections are bounded as on the plain listener,
  // plus a deadline for the TLS handshake.
  struct HttpsOptions {
    std::string host;
    int port = 0;  // 0 picks a free port (tests); see https_port()
    std::shared_ptr<const tls::ServerTlsConfig> tls;  // required
    std::function<void(const httplib::Request&, httplib::Response*)>
        serve_other;  // required
  };
  // Binds the HTTPS listener; call before Run(), at most once. IoError
  // ("https_listen_failed") when the address cannot be bound; Internal
  // when an option is missing.
  virtual Status ListenHttps(const HttpsOptions& options) = 0;
  // The HTTPS listener's bound port; 0 when there is none.
  virtual int https_port() const = 0;
  // Connections accepted from now on use `tls` (a renewed certificate).
  virtual void SetHttpsTls(std::shared_ptr<const tls::ServerTlsConfig> tls) = 0;

  // The bound port (the real one when Options::port was 0).
  virtual int port() const = 0;
  // A count that moves with every request received but GET
  // /api/v1/health, and every worker thread started or retired (what the
  // daemon's idle housekeeping watches).
  virtual uint64_t activity() const = 0;
  // Serves both listeners until Stop(); returns after requests in flight
  // on both have finished
  // (bounded: slow bodies and writes are cut, long-polls answer at once).
  virtual void Run() = 0;
  // Thread-safe and async-signal-unsafe; returns at once. Stops accepting,
  // wakes long-polls so they answer now, and lets Run() return.
  virtual void Stop() = 0;
};

}  // namespace telemed

#endif  // TELEMED_API_SERVER_H_
