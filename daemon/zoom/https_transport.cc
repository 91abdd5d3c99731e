#include "zoom/https_transport.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "tls/tls_client.h"
#include "tls/tls_client_config.h"

namespace telemed {

namespace {

using Kind = tls::TlsClient::Failure::Kind;

constexpr int kHttpsPort = 443;
const char kScheme[] = "https://";

// The parts of an https:// URL a request needs.
struct HttpsUrl {
  std::string host;  // DNS name or IP literal, without brackets
  int port = kHttpsPort;
  std::string host_header;  // as the Host header wants it
  std::string path;         // path and query, at least "/"
};

Status UrlError(const std::string& why) {
  return Status::InvalidArgument("url_invalid", why);
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Control characters could split the request line or a header.
bool HasControlBytes(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
         c == '_';
}

bool IsV6Char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

// Parses "65535"-style text; false unless 1..65535.
bool ParsePort(const std::string& text, int* port) {
  if (text.empty() || text.size() > 5) return false;
  if (!std::all_of(text.begin(), text.end(), ::isdigit)) return false;
  *port = std::stoi(text);
  return *port >= 1 && *port <= 65535;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port".
Status ParseAuthority(const std::string& authority, HttpsUrl* url) {
  bool bracketed = !authority.empty() && authority[0] == '[';
  size_t host_end = bracketed ? authority.find(']') : authority.rfind(':');
  if (bracketed && host_end == std::string::npos) {
    return UrlError("unclosed [ in the host");
  }
  url->host =
      authority.substr(bracketed ? 1 : 0, bracketed ? host_end - 1 : host_end);
  std::string rest = host_end == std::string::npos
                         ? ""
                         : authority.substr(host_end + (bracketed ? 1 : 0));
  bool (*valid)(char) = bracketed ? IsV6Char : IsHostChar;
  if (url->host.empty() ||
      !std::all_of(url->host.begin(), url->host.end(), valid)) {
    return UrlError("the host must be a DNS name or an IP address");
  }
  if (!rest.empty() &&
      (rest[0] != ':' || !ParsePort(rest.substr(1), &url->port))) {
    return UrlError("the port must be 1..65535");
  }
  url->host_header = bracketed ? "[" + url->host + "]" : url->host;
  if (url->port != kHttpsPort)
    url->host_header += ":" + std::to_string(url->port);
  return Status::OK();
}

Status ParseHttpsUrl(const std::string& text, HttpsUrl* url) {
  const size_t scheme_length = sizeof(kScheme) - 1;
  if (Lower(text.substr(0, scheme_length)) != kScheme) {
    return UrlError("only https:// URLs are sent");
  }
  if (HasControlBytes(text) || text.find(' ') != std::string::npos) {
    return UrlError("the URL has spaces or control characters");
  }
  size_t path_start = text.find_first_of("/?#", scheme_length);
  std::string authority =
      text.substr(scheme_length, path_start - scheme_length);
  if (authority.find('@') != std::string::npos) {
    return UrlError("user names in URLs are not sent");
  }
  url->path = path_start == std::string::npos ? "/" : text.substr(path_start);
  url->path = url->path.substr(0, url->path.find('#'));  // fragments stay local
  if (url->path.empty() || url->path[0] != '/') url->path = "/" + url->path;
  return ParseAuthority(authority, url);
}

Status CheckRequest(const HttpRequest& request) {
  bool method_ok =
      !request.method.empty() &&
      std::all_of(request.method.begin(), request.method.end(), ::isupper);
  if (!method_ok) return UrlError("the method must be upper-case letters");
  for (const auto& header : request.headers) {
    if (header.first.empty() || HasControlBytes(header.first) ||
        HasControlBytes(header.second) ||
        header.first.find_first_of(" :") != std::string::npos) {
      return UrlError("header names and values must be single-line text");
    }
  }
  return Status::OK();
}

httplib::Request ToHttplib(const HttpRequest& request, const HttpsUrl& url) {
  httplib::Request req;
  req.method = request.method;
  req.path = url.path;
  for (const auto& header : request.headers) {
    req.headers.emplace(header.first, header.second);
  }
  // httplib would write "host:443": it does not know it speaks TLS.
  if (!req.has_header("Host")) req.headers.emplace("Host", url.host_header);
  req.body = request.body;
  return req;
}

void FromHttplib(const httplib::Response& res, HttpResponse* response) {
  response->status = res.status;
  response->headers.clear();
  // httplib keeps headers sorted by name (case-insensitively), repeated
  // names in the order received.
  for (const auto& header : res.headers) {
    response->headers.emplace_back(Lower(header.first), header.second);
  }
  response->body = res.body;
}

Status FailureStatus(const std::string& origin, httplib::Error error,
                     const tls::TlsClient::Failure& failure) {
  std::string detail = " (" + httplib::to_string(error) + ")";
  switch (failure.kind) {
    case Kind::kTimeout:
      return Status::Unavailable("zoom_timeout", failure.message + detail);
    case Kind::kVerify:
    case Kind::kTls:
      return Status::Unavailable("zoom_tls_failed", failure.message + detail);
    case Kind::kConnect:
    case Kind::kIo:
      return Status::Unavailable("zoom_unreachable", failure.message + detail);
    case Kind::kNone:
      break;
  }
  return Status::Unavailable("zoom_unreachable",
                             "request to " + origin + " failed" + detail);
}

std::string Origin(const std::string& host, int port) {
  return Lower(host) + ":" + std::to_string(port);
}

}  // namespace

HttpsTransport::HttpsTransport(const Options& options) : options_(options) {}

HttpsTransport::~HttpsTransport() = default;

Status HttpsTransport::Open(const Options& options,
                            std::unique_ptr<HttpsTransport>* out) {
  std::unique_ptr<HttpsTransport> transport(new HttpsTransport(options));
  tls::TlsClientConfig::Options config_options;
  config_options.ca_file = options.ca_file;
  config_options.ca_pem = options.ca_pem;
  config_options.random = options.random;
  Status s = tls::TlsClientConfig::Open(config_options, &transport->config_);
  if (!s.ok()) return s;
  *out = std::move(transport);
  return Status::OK();
}

Status HttpsTransport::Send(const HttpRequest& request,
                            HttpResponse* response) {
  HttpsUrl url;
  Status s = ParseHttpsUrl(request.url, &url);
  if (s.ok()) s = CheckRequest(request);
  if (!s.ok()) return s;
  std::unique_ptr<tls::TlsClient> client = Checkout(url.host, url.port);
  httplib::Request req = ToHttplib(request, url);
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  if (!client->send(req, res, error)) {
    // The failed client's connection is closed; dropping it is enough.
    return FailureStatus(Origin(url.host, url.port), error,
                         client->TakeFailure());
  }
  FromHttplib(res, response);
  Return(url.host, url.port, std::move(client));
  return Status::OK();
}

std::unique_ptr<tls::TlsClient> HttpsTransport::Checkout(
    const std::string& host, int port) {
  {
    MutexLock lock(&mu_);
    auto idle = idle_.find(Origin(host, port));
    if (idle != idle_.end() && !idle->second.empty()) {
      std::unique_ptr<tls::TlsClient> client = std::move(idle->second.back());
      idle->second.pop_back();
      return client;
    }
  }
  auto client = std::make_unique<tls::TlsClient>(host, port, config_.get());
  client->set_connection_timeout(options_.connect_timeout);
  client->set_read_timeout(options_.read_timeout);
  client->set_write_timeout(options_.write_timeout);
  // Callers hand over URLs already encoded; httplib would re-encode
  // characters such as '+' and ','.
  client->set_url_encode(false);
  return client;
}

void HttpsTransport::Return(const std::string& host, int port,
                            std::unique_ptr<tls::TlsClient> client) {
  // Declared before the lock so a surplus client (which sends close_notify
  // as it goes) is destroyed after the lock is released.
  std::unique_ptr<tls::TlsClient> surplus;
  MutexLock lock(&mu_);
  auto& idle = idle_[Origin(host, port)];
  if (idle.size() < options_.idle_per_origin) {
    idle.push_back(std::move(client));
  } else {
    surplus = std::move(client);
  }
}

}  // namespace telemed
