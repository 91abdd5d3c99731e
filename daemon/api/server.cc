#include "api/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "api/handlers.h"
#include "api/json_render.h"
#include "api/request_parse.h"
#include "api/router.h"
#include "base/log.h"
#include "http/buffered_stream.h"
#include "http/loop_server.h"
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

// The key of an Authorization value "Bearer <key>"; empty when malformed.
std::string BearerToken(const std::string& header) {
  if (header.size() < 7 || Lower(header.substr(0, 7)) != "bearer ") return "";
  return Trim(header.substr(7));
}

std::string BearerToken(const httplib::Request& req) {
  return BearerToken(req.get_header_value("Authorization"));
}

// Whether the raw target belongs to the API ("/api/v1" and below); on the
// HTTPS listener everything else is the admin page's.
bool IsApiTarget(const std::string& target) {
  static const std::string kPrefix = "/api/v1";
  if (target.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  return target.size() == kPrefix.size() || target[kPrefix.size()] == '/' ||
         target[kPrefix.size()] == '?';
}

// A request body that could not be read: over the limit (413), too slow
// (408) or malformed (400). The connection closes after the answer.
void WriteBodyError(bool too_large, httplib::Response* res) {
  const http::BufferedStream* stream = http::BufferedStream::Current();
  auto failure = stream == nullptr ? http::BufferedStream::Failure::kNone
                                   : stream->failure();
  if (too_large || failure == http::BufferedStream::Failure::kBodyTooLarge) {
    WriteJson(413,
              RenderError("body_too_large", "the request body is over 64 KiB"),
              res);
  } else if (failure == http::BufferedStream::Failure::kBodyTimeout) {
    WriteJson(408,
              RenderError("request_timeout",
                          "the request body did not arrive in time"),
              res);
  } else {
    WriteJson(400, RenderError("bad_request", "the HTTP request is malformed"),
              res);
  }
  res->set_header("Connection", "close");
}

// Reads the whole body into req->body; false after answering 413/408/400
// when it is too large, too slow or malformed.
bool ReadBody(const httplib::ContentReader& read_body, httplib::Request* req,
              httplib::Response* res) {
  bool too_large = false;
  bool read = read_body([&](const char* data, size_t size) {
    too_large = req->body.size() + size > kMaxBodyBytes;
    if (!too_large) req->body.append(data, size);
    return !too_large;
  });
  if (!read) WriteBodyError(too_large, res);
  return read;
}

class ApiServerImpl final : public ApiServer {
 public:
  explicit ApiServerImpl(const Options& options)
      : options_(options),
        handlers_(options, &stopping_),
        server_(LoopOptions()) {}

  ~ApiServerImpl() override {
    if (https_thread_.joinable()) https_thread_.join();
  }

  Status Bind();
  int port() const override { return port_; }
  uint64_t activity() const override {
    return activity_.load(std::memory_order_relaxed);
  }
  Status ListenHttps(const HttpsOptions& options) override;
  int https_port() const override { return https_port_; }
  void SetHttpsTls(std::shared_ptr<const tls::ServerTlsConfig> tls) override;
  void Run() override;
  void Stop() override;

 private:
  http::LoopServer::Settings LoopOptions();
  void Configure();
  static void SetSocketOptions(http::LoopServer* server);
  // One catch-all handler per method, plus the 100-continue and error
  // handlers. On the HTTPS listener, targets outside /api/v1 go to
  // `serve_other` instead.
  void RegisterHandlers(http::LoopServer* server,
                        const HttpsOptions* https = nullptr);
  // A request outside /api/v1 on the HTTPS listener: its body read (bounded
  // like the API's), then handed on.
  void ServeOther(const HttpsOptions& https, const httplib::Request& req,
                  httplib::Response* res,
                  const httplib::ContentReader* read_body);
  // `key_checked`: DispatchWithBody has authenticated the request already.
  void Dispatch(const httplib::Request& req, httplib::Response* res,
                bool key_checked = false);
  // PUT, POST, PATCH and DELETE: the key is checked before any body byte is
  // read, so a client without one cannot hold a worker with a slow body.
  void DispatchWithBody(const httplib::Request& req, httplib::Response* res,
                        const httplib::ContentReader& read_body);
  bool Authenticate(const httplib::Request& req, httplib::Response* res);
  // Whether `key` is (still) an active key; a store failure counts as yes.
  bool IsKeyValid(const std::string& key);
  void Serve(Resource resource, const std::string& id,
             const httplib::Request& req, httplib::Response* res);
  void RenderFrameworkError(const httplib::Request& req,
                            httplib::Response* res);

  const Options options_;
  std::atomic<bool> stopping_{false};
  // Requests received plus workers started or retired.
  std::atomic<uint64_t> activity_{0};
  ApiHandlers handlers_;
  http::LoopServer server_;
  int port_ = 0;
  // The HTTPS listener, when ListenHttps made one.
  HttpsOptions https_options_;
  std::unique_ptr<http::LoopServer> https_;
  std::thread https_thread_;
  int https_port_ = 0;
};

http::LoopServer::Settings ApiServerImpl::LoopOptions() {
  http::LoopServer::Settings loop;
  loop.head.max_body_bytes = kMaxBodyBytes;
  // Parked long-polls are capped (ApiHandlers), so the other requests
  // always have worker_threads workers.
  loop.max_workers = static_cast<size_t>(std::max(4, options_.worker_threads) +
                                         std::max(0, options_.max_long_polls));
  loop.max_connections =
      static_cast<size_t>(std::max(16, options_.max_connections));
  loop.activity = &activity_;
  loop.error_body = [](int, const std::string& code,
                       const std::string& message) {
    return RenderError(code, message);
  };
  loop.still_authorized = [this](const std::string& authorization) {
    return IsKeyValid(BearerToken(authorization));
  };
  return loop;
}

void ApiServerImpl::Configure() {
  handlers_.SetLongPollLimits(options_.max_long_polls,
                              [this](const httplib::Request& req) {
                                return IsKeyValid(BearerToken(req));
                              });
  SetSocketOptions(&server_);
  RegisterHandlers(&server_);
}

void ApiServerImpl::SetSocketOptions(http::LoopServer* server) {
  // httplib writes headers and body separately: without TCP_NODELAY every
  // response waits ~40 ms for a delayed ACK. (BufferedStream sends most
  // answers in one piece, but not a 100 Continue or one over 64 KiB.)
  server->set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second daemon bind the
  // same port and silently take half the requests (with its own data dir);
  // SO_REUSEADDR alone still allows a quick restart over TIME_WAIT.
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
}

void ApiServerImpl::RegisterHandlers(http::LoopServer* server,
                                     const HttpsOptions* https) {
  auto dispatch = [this, https](const httplib::Request& req,
                                httplib::Response& res) {
    if (https != nullptr && !IsApiTarget(req.target)) {
      return ServeOther(*https, req, &res, nullptr);
    }
    Dispatch(req, &res);
  };
  auto with_body = [this, https](const httplib::Request& req,
                                 httplib::Response& res,
                                 const httplib::ContentReader& read_body) {
    if (https != nullptr && !IsApiTarget(req.target)) {
      return ServeOther(*https, req, &res, &read_body);
    }
    DispatchWithBody(req, &res, read_body);
  };
  // One catch-all per method, so 404 and 405 (with Allow) come from the
  // router rather than from httplib's per-pattern tables. httplib picks the
  // body-reading handlers for POST, PUT and PATCH, and for DELETE when it
  // says Content-Length.
  server->Get(".*", dispatch);
  server->Put(".*", with_body);
  server->Post(".*", with_body);
  server->Patch(".*", with_body);
  server->Delete(".*", with_body);
  server->Delete(".*", dispatch);
  server->Options(".*", dispatch);
  // "Expect: 100-continue" without a valid key gets 401 and no 100.
  server->set_expect_100_continue_handler(
      [this, https](const httplib::Request& req, httplib::Response& res) {
        if ((https != nullptr && !IsApiTarget(req.target)) ||
            MatchRoute(req.target).resource == Resource::kHealth ||
            Authenticate(req, &res)) {
          return 100;
        }
        res.set_header("Connection", "close");
        return res.status;
      });
  server->set_error_handler(
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
  return Status::IoError("listen_failed",
                         "cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) +
                             " (address in use, not local, or not permitted)");
}

Status ApiServerImpl::ListenHttps(const HttpsOptions& options) {
  if (options.tls == nullptr || !options.serve_other || https_ != nullptr) {
    return Status::Internal("bad_options",
                            "ListenHttps needs a TLS setup and a handler for "
                            "the admin page, once");
  }
  https_options_ = options;
  http::LoopServer::Settings loop = LoopOptions();
  loop.tls = options.tls;
  https_ = std::make_unique<http::LoopServer>(loop);
  SetSocketOptions(https_.get());
  RegisterHandlers(https_.get(), &https_options_);
  if (options.port == 0) {
    https_port_ = https_->bind_to_any_port(options.host);
  } else if (https_->bind_to_port(options.host, options.port)) {
    https_port_ = options.port;
  }
  if (https_port_ > 0) {
    https_->WidenListenBacklog();
    return Status::OK();
  }
  https_.reset();
  https_port_ = 0;
  return Status::IoError("https_listen_failed",
                         "cannot listen on " + options.host + ":" +
                             std::to_string(options.port) +
                             " (address in use, not local, or not permitted)");
}

void ApiServerImpl::SetHttpsTls(
    std::shared_ptr<const tls::ServerTlsConfig> tls) {
  if (https_ != nullptr && tls != nullptr) https_->SetTlsConfig(std::move(tls));
}

// The HTTPS listener serves on a thread of its own; both return once Stop()
// has closed their connections.
void ApiServerImpl::Run() {
  if (https_ != nullptr) {
    https_thread_ = std::thread([this] { https_->Serve(); });
  }
  server_.Serve();
  if (https_thread_.joinable()) https_thread_.join();
}

void ApiServerImpl::Stop() {
  stopping_ = true;
  options_.store->CancelWaits();
  server_.Stop();
  if (https_ != nullptr) https_->Stop();
}

void ApiServerImpl::ServeOther(const HttpsOptions& https,
                               const httplib::Request& req,
                               httplib::Response* res,
                               const httplib::ContentReader* read_body) {
  if (read_body == nullptr) return https.serve_other(req, res);
  httplib::Request with_body = req;
  if (ReadBody(*read_body, &with_body, res)) https.serve_other(with_body, res);
}

// Errors httplib produces before a handler runs (400 on a malformed request,
// 413 on a large body) get the API's JSON error shape too.
void ApiServerImpl::RenderFrameworkError(const httplib::Request&,
                                         httplib::Response* res) {
  if (!res->body.empty()) return;
  switch (res->status) {
    case 400:
    case 413:
      return WriteBodyError(res->status == 413, res);
    case 404:
      WriteJson(404, RenderError("not_found", "no such path"), res);
      return;
    default:
      WriteJson(res->status,
                RenderError("bad_request", "the HTTP request is malformed"),
                res);
  }
}

bool ApiServerImpl::IsKeyValid(const std::string& key) {
  std::string name;
  return options_.store->AuthenticateApiKey(key, &name).code() !=
         Status::Code::kUnauthenticated;
}

void ApiServerImpl::DispatchWithBody(const httplib::Request& req,
                                     httplib::Response* res,
                                     const httplib::ContentReader& read_body) {
  if (MatchRoute(req.target).resource != Resource::kHealth &&
      !Authenticate(req, res)) {
    // The body stays unread, so the connection cannot serve another request.
    res->set_header("Connection", "close");
    return;
  }
  httplib::Request with_body = req;
  if (ReadBody(read_body, &with_body, res)) {
    Dispatch(with_body, res, /*key_checked=*/true);
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
    // The key may well be valid: the database could not be read (busy,
    // or gone). A 401 would tell the client to drop a good key.
    options_.logger->Error("checking an API key failed: %s",
                           s.ToString().c_str());
    WriteError(
        Status::Unavailable("busy",
                            "the bridge cannot check API keys right now; "
                            "try again"),
        res);
    return false;
  }
  WriteError(Status::Unauthenticated("invalid_api_key",
                                     "the API key is unknown or revoked"),
             res);
  return false;
}

void ApiServerImpl::Dispatch(const httplib::Request& req,
                             httplib::Response* res, bool key_checked) {
  // The raw target: req.path is already percent-decoded ("a%2Fretry" would
  // route as "a/retry").
  RouteMatch match = MatchRoute(req.target);
  // Health checks (the daemon's watchdog, a monitor) are no clinic work:
  // counted, they would keep the idle housekeeping from ever seeing quiet.
  if (match.resource != Resource::kHealth) {
    activity_.fetch_add(1, std::memory_order_relaxed);
  }
  if (match.resource == Resource::kNone) {
    return WriteError(
        Status::NotFound("not_found", "no such path: " + req.path), res);
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
  if (match.resource != Resource::kHealth && !key_checked &&
      !Authenticate(req, res)) {
    return;
  }
  // A POST's body is optional (a disconnect's options), but one that is
  // sent is JSON: a form or text/plain body is refused, not read as JSON.
  const bool has_body =
      req.method == "PUT" || (req.method == "POST" && !req.body.empty());
  if (has_body && !IsJsonContentType(req.get_header_value("Content-Type"))) {
    WriteJson(415,
              RenderError("unsupported_media_type",
                          "send the body as 'Content-Type: application/json'"),
              res);
    return;
  }
  Serve(match.resource, match.id, req, res);
}

void ApiServerImpl::Serve(Resource resource, const std::string& id,
                          const httplib::Request& req, httplib::Response* res) {
  const bool is_put = req.method == "PUT";
  switch (resource) {
    case Resource::kHealth:
      return handlers_.Health(res);
    case Resource::kStatus:
      return handlers_.GetStatus(res);
    case Resource::kDoctors:
      return handlers_.ListDoctors(res);
    case Resource::kDoctor:
      if (is_put) return handlers_.PutDoctor(id, req, res);
      if (req.method == "DELETE") return handlers_.RemoveDoctor(id, res);
      return handlers_.GetDoctor(id, res);
    case Resource::kDoctorConnect:
      return handlers_.ConnectDoctor(id, res);
    case Resource::kDoctorDisconnect:
      return handlers_.DisconnectDoctor(id, req, res);
    case Resource::kAppointments:
      return handlers_.ListChanges(req, res);
    case Resource::kAppointment:
      if (is_put) return handlers_.PutAppointment(id, req, res);
      if (req.method == "DELETE") return handlers_.CancelAppointment(id, res);
      return handlers_.GetAppointment(id, res);
    case Resource::kAppointmentRetry:
      return handlers_.RetryAppointment(id, res);
    case Resource::kAppointmentStartUrl:
      return handlers_.GetStartUrl(id, res);
    case Resource::kNone:
      break;
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
