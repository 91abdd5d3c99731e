#include "web/admin_site.h"

#include <set>
#include <utility>

#include "http/json_reply.h"
#include "secrets/password_hash.h"
#include "web/session_routes.h"

namespace telemed {
namespace web {

namespace {

constexpr char kApiRoot[] = "/admin/api";
constexpr size_t kMaxBodyBytes = 64 * 1024;
// A year; sent only with a certificate the clinic imported, which a renewal
// does not replace by one browsers refuse.
constexpr char kHsts[] = "max-age=31536000";

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

// The path as sent (percent-escapes kept): routes match raw segments, so
// "a%2Fb" stays one segment. Tests may build requests without a target.
std::string RawPath(const httplib::Request& req) {
  if (req.target.empty()) return req.path;
  return req.target.substr(0, req.target.find('?'));
}

bool IsApiPath(const std::string& path) {
  const std::string root = kApiRoot;
  return path == root || path.compare(0, root.size() + 1, root + "/") == 0;
}

void Refuse(int status, const char* code, const std::string& message,
            httplib::Response* res) {
  WriteJson(status, RenderError(code, message), res);
}

void SetIfMissing(const char* name, const char* value, httplib::Response* res) {
  if (!res->has_header(name)) res->set_header(name, value);
}

}  // namespace

AdminSite::AdminSite(const AdminSiteOptions& options)
    : options_(options),
      access_(std::make_unique<AdminAccess>(options.access)) {
  AddSessionRoutes(access_.get(), this);
}

AdminSite::~AdminSite() = default;

void AdminSite::Handle(const std::string& method, const std::string& pattern,
                       Access access, AdminHandler handler) {
  routes_.push_back({method, pattern, access, std::move(handler)});
}

void AdminSite::Serve(const httplib::Request& req,
                      httplib::Response* res) const {
  const std::string path = RawPath(req);
  const bool api = IsApiPath(path);
  if (api) {
    ServeApi(req, path, res);
  } else if (options_.serve_asset) {
    options_.serve_asset(req, res);
  } else {
    Refuse(404, "not_found", "no such path", res);
  }
  SetSecurityHeaders(api, res);
}

void AdminSite::SetSecurityHeaders(bool api, httplib::Response* res) const {
  SetIfMissing("Content-Security-Policy",
               "default-src 'self'; frame-ancestors 'none'", res);
  SetIfMissing("X-Content-Type-Options", "nosniff", res);
  SetIfMissing("Referrer-Policy", "no-referrer", res);
  if (api) {
    // The page signs in with a cookie; no answer invites Basic or Bearer.
    res->headers.erase("WWW-Authenticate");
    res->headers.erase("Cache-Control");
  }
  // Assets choose their own caching (ETags); everything else is not kept.
  SetIfMissing("Cache-Control", "no-store", res);
  if (options_.certificate_imported && options_.certificate_imported()) {
    SetIfMissing("Strict-Transport-Security", kHsts, res);
  }
}

void AdminSite::ServeApi(const httplib::Request& req, const std::string& path,
                         httplib::Response* res) const {
  if (req.has_header("Authorization")) {
    return Refuse(401, "api_key_not_accepted",
                  "the admin page does not take API keys: use /api/v1", res);
  }
  if (req.body.size() > kMaxBodyBytes) {
    return Refuse(413, "body_too_large", "the request body is over 64 KiB",
                  res);
  }
  AdminRequest request;
  const Route* route = FindRoute(req, path, &request.params, res);
  if (route == nullptr || !Admit(req, *route, &request, res)) return;
  route->handler(request, res);
}

const AdminSite::Route* AdminSite::FindRoute(const httplib::Request& req,
                                             const std::string& path,
                                             std::vector<std::string>* params,
                                             httplib::Response* res) const {
  // HEAD is answered as GET (cpp-httplib drops the body).
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    std::vector<std::string> found;
    if (!MatchPattern(route.pattern, path, &found)) continue;
    if (route.method == method) {
      *params = std::move(found);
      return &route;
    }
    allowed.insert(route.method);
  }
  if (allowed.empty()) {
    Refuse(404, "not_found", "no such path", res);
    return nullptr;
  }
  std::string allow;
  for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  Refuse(405, "method_not_allowed",
         req.method + " is not allowed here; allowed: " + allow, res);
  res->set_header("Allow", allow);
  return nullptr;
}

bool AdminSite::Admit(const httplib::Request& req, const Route& route,
                      AdminRequest* request, httplib::Response* res) const {
  request->http = &req;
  request->address = req.remote_addr;
  const bool changes = ChangesState(req.method);
  if (route.access == Access::kPublic) {
    const std::string origin = req.get_header_value("Origin");
    const std::string host = req.get_header_value("Host");
    if (changes && (host.empty() || origin != "https://" + host)) {
      Refuse(403, "origin_invalid",
             "the request must come from the admin page itself (Origin)", res);
      return false;
    }
    return true;
  }
  AdminSession session;
  Status s = access_->sessions()->Check(
      Sessions::CookieId(req.get_header_value("Cookie")), &session);
  if (!s.ok()) {
    WriteError(s, res);
    return false;
  }
  if (changes && !ConstantTimeEquals(req.get_header_value("X-CSRF-Token"),
                                     session.csrf_token)) {
    Refuse(403, "csrf_invalid",
           "the request lacks this session's X-CSRF-Token: reload the page",
           res);
    return false;
  }
  request->session = session.id_sha256;
  return true;
}

}  // namespace web
}  // namespace telemed
