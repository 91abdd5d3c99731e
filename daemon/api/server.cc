#include "api/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>

#include "api/handlers.h"
#include "api/json_render.h"
#include "api/request_parse.h"
#include "api/router.h"
#include "api/worker_pool.h"
#include "base/log.h"
#include "store/store.h"

namespace telemed {

namespace {

// Bodies above this are refused with 413 before a handler sees them.
constexpr size_t kMaxBodyBytes = 64 * 1024;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// "application/json", optionally with "; charset=utf-8" (any case).
bool IsJsonContentType(const std::string& header) {
  std::string value = Lower(header);
  size_t semicolon = value.find(';');
  if (Trim(value.substr(0, semicolon)) != "application/json") return false;
  if (semicolon == std::string::npos) return true;
  std::string parameter = Trim(value.substr(semicolon + 1));
  return parameter.empty() || parameter == "charset=utf-8" ||
         parameter == "charset=\"utf-8\"";
}

// The key of "Authorization: Bearer <key>"; empty when absent or malformed.
std::string BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  if (header.size() < 7 || Lower(header.substr(0, 7)) != "bearer ") return "";
  return Trim(header.substr(7));
}

// cpp-httplib listens with a backlog of 5: a burst of new connections (a
// clinic system opening a pool) loses SYNs and waits a second to retry.
// listen() again on a bound socket only changes its backlog.
class HttpServer final : public httplib::Server {
 public:
  void WidenListenBacklog() {
    socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
  }
};

class ApiServerImpl final : public ApiServer {
 public:
  explicit ApiServerImpl(const Options& options)
      : options_(options),
        handlers_(options, &stopping_) {}

  Status Bind();
  int port() const override { return port_; }
  uint64_t activity() const override {
    return activity_.load(std::memory_order_relaxed);
  }
  void Run() override { server_.listen_after_bind(); }
  void Stop() override;

 private:
  void Configure();
  void Dispatch(const httplib::Request& req, httplib::Response* res);
  bool Authenticate(const httplib::Request& req, httplib::Response* res);
  void Serve(Resource resource, const std::string& id,
             const httplib::Request& req, httplib::Response* res);
  void RenderFrameworkError(const httplib::Request& req,
                            httplib::Response* res);

  const Options options_;
  std::atomic<bool> stopping_{false};
  // Requests received plus workers started or retired.
  std::atomic<uint64_t> activity_{0};
  ApiHandlers handlers_;
  HttpServer server_;
  int port_ = 0;
};

void ApiServerImpl::Configure() {
  WorkerPool::Options pool;
  pool.max_threads = static_cast<size_t>(std::max(4, options_.worker_threads));
  pool.changes = &activity_;
  server_.new_task_queue = [pool] { return new WorkerPool(pool); };
  // httplib writes headers and body separately: without TCP_NODELAY every
  // response waits ~40 ms for a delayed ACK.
  server_.set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second daemon bind the
  // same port and silently take half the requests (with its own data dir);
  // SO_REUSEADDR alone still allows a quick restart over TIME_WAIT.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server_.set_payload_max_length(kMaxBodyBytes);
  server_.set_read_timeout(10, 0);
  server_.set_write_timeout(10, 0);
  server_.set_keep_alive_timeout(5);
  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, &res);
  };
  // One catch-all per method, so 404 and 405 (with Allow) come from the
  // router rather than from httplib's per-pattern tables.
  server_.Get(".*", dispatch);
  server_.Put(".*", dispatch);
  server_.Post(".*", dispatch);
  server_.Patch(".*", dispatch);
  server_.Delete(".*", dispatch);
  server_.Options(".*", dispatch);
  server_.set_error_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        RenderFrameworkError(req, &res);
      });
}

Status ApiServerImpl::Bind() {
  Configure();
  if (options_.port == 0) {
    port_ = server_.bind_to_any_port(options_.host);
  } else if (server_.bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  }
  if (port_ > 0) {
    server_.WidenListenBacklog();
    return Status::OK();
  }
  return Status::IoError(
      "listen_failed", "cannot listen on " + options_.host + ":" +
                           std::to_string(options_.port) +
                           " (address in use, not local, or not permitted)");
}

void ApiServerImpl::Stop() {
  stopping_ = true;
  options_.store->CancelWaits();
  server_.stop();
}

// Errors httplib produces before a handler runs (400 on a malformed request,
// 413 on a large body) get the API's JSON error shape too.
void ApiServerImpl::RenderFrameworkError(const httplib::Request&,
                                         httplib::Response* res) {
  if (!res->body.empty()) return;
  switch (res->status) {
    case 413:
      WriteJson(413,
                RenderError("body_too_large",
                            "the request body is over 64 KiB"),
                res);
      res->status = 413;
      return;
    case 404:
      WriteJson(404, RenderError("not_found", "no such path"), res);
      return;
    default:
      WriteJson(res->status,
                RenderError("bad_request", "the HTTP request is malformed"),
                res);
  }
}

bool ApiServerImpl::Authenticate(const httplib::Request& req,
                                 httplib::Response* res) {
  std::string key = BearerToken(req);
  if (key.empty()) {
    WriteError(Status::Unauthenticated(
                   "missing_api_key",
                   "send the API key as 'Authorization: Bearer <key>'"),
               res);
    return false;
  }
  std::string name;
  Status s = options_.store->AuthenticateApiKey(key, &name);
  if (s.ok()) return true;
  if (s.code() != Status::Code::kUnauthenticated) {
    options_.logger->Error("checking an API key failed: %s",
                           s.ToString().c_str());
  }
  WriteError(Status::Unauthenticated("invalid_api_key",
                                     "the API key is unknown or revoked"),
             res);
  return false;
}

void ApiServerImpl::Dispatch(const httplib::Request& req,
                             httplib::Response* res) {
  activity_.fetch_add(1, std::memory_order_relaxed);
  // The raw target: req.path is already percent-decoded ("a%2Fretry" would
  // route as "a/retry").
  RouteMatch match = MatchRoute(req.target);
  if (match.resource == Resource::kNone) {
    return WriteError(Status::NotFound("not_found", "no such path: " +
                                                        req.path),
                      res);
  }
  // A bad id or query is the client's mistake whatever the method, and
  // says nothing a key would protect.
  Status s = CheckRequestInput(match, req.target);
  if (!s.ok()) return WriteError(s, res);
  if (!IsMethodAllowed(match.resource, req.method)) {
    WriteJson(405,
              RenderError("method_not_allowed",
                          req.method + " is not allowed here; allowed: " +
                              AllowedMethods(match.resource)),
              res);
    res->set_header("Allow", AllowedMethods(match.resource));
    return;
  }
  if (match.resource != Resource::kHealth && !Authenticate(req, res)) return;
  if (req.method == "PUT" && !IsJsonContentType(req.get_header_value(
                                 "Content-Type"))) {
    WriteJson(415,
              RenderError("unsupported_media_type",
                          "send the body as 'Content-Type: application/json'"),
              res);
    return;
  }
  Serve(match.resource, match.id, req, res);
}

void ApiServerImpl::Serve(Resource resource, const std::string& id,
                          const httplib::Request& req,
                          httplib::Response* res) {
  const bool is_put = req.method == "PUT";
  switch (resource) {
    case Resource::kHealth: return handlers_.Health(res);
    case Resource::kStatus: return handlers_.GetStatus(res);
    case Resource::kDoctors: return handlers_.ListDoctors(res);
    case Resource::kDoctor:
      if (is_put) return handlers_.PutDoctor(id, req, res);
      if (req.method == "DELETE") return handlers_.RemoveDoctor(id, res);
      return handlers_.GetDoctor(id, res);
    case Resource::kAppointments: return handlers_.ListChanges(req, res);
    case Resource::kAppointment:
      if (is_put) return handlers_.PutAppointment(id, req, res);
      if (req.method == "DELETE") return handlers_.CancelAppointment(id, res);
      return handlers_.GetAppointment(id, res);
    case Resource::kAppointmentRetry:
      return handlers_.RetryAppointment(id, res);
    case Resource::kAppointmentStartUrl: return handlers_.GetStartUrl(id, res);
    case Resource::kNone: break;
  }
}

}  // namespace

Status ApiServer::Open(const Options& options,
                       std::unique_ptr<ApiServer>* out) {
  if (options.store == nullptr || options.logger == nullptr ||
      options.clock == nullptr) {
    return Status::Internal("bad_options",
                            "ApiServer needs a store, a logger and a clock");
  }
  auto server = std::make_unique<ApiServerImpl>(options);
  Status s = server->Bind();
  if (!s.ok()) return s;
  *out = std::move(server);
  return Status::OK();
}

}  // namespace telemed
