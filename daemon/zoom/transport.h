// ZoomTransport: the seam between the bridge and Zoom's HTTPS endpoints.
//
// One call is one HTTP request and its complete answer. The real side
// (zoom/https_transport.cc) is the only code that talks to Zoom; tests use
// the fake Zoom server in tests/ through the real transport, or a fake
// transport wrapped by a fault injector.
#ifndef TELEMED_ZOOM_TRANSPORT_H_
#define TELEMED_ZOOM_TRANSPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace telemed {

struct HttpRequest {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  // Absolute URL: "https://host[:port]/path[?query]". Only https is sent.
  std::string url;
  // Extra headers (Authorization, Content-Type...), sent as given.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  // Header names in lower case, in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `lower_case_name`, or "" when absent.
  std::string Header(const std::string& lower_case_name) const;
};

class ZoomTransport {
 public:
  virtual ~ZoomTransport() = default;
  // Sends `request` and fills *response with whatever HTTP status came back
  // (4xx and 5xx are answers, not errors). Returns Unavailable when no
  // answer arrived: connection refused or cut, TLS failure, certificate or
  // host-name mismatch (reason "zoom_tls_failed"), timeout. Returns
  // InvalidArgument for a URL that is not https://. Thread-safe: several
  // requests may be in flight at once.
  virtual Status Send(const HttpRequest& request, HttpResponse* response) = 0;
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_TRANSPORT_H_
