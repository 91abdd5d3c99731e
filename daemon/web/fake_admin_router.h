// FakeAdminRouter: an AdminRouter for handler tests. It keeps what is
// registered and calls a handler directly, as the real router does once a
// request has passed its session and CSRF checks; those checks are tested
// with the real router.
#ifndef TELEMED_WEB_FAKE_ADMIN_ROUTER_H_
#define TELEMED_WEB_FAKE_ADMIN_ROUTER_H_

#include <httplib.h>

#include <string>
#include <vector>

#include "web/admin_router.h"

namespace telemed {
namespace web {

class FakeAdminRouter final : public AdminRouter {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    Access access;
    AdminHandler handler;
  };

  void Handle(const std::string& method, const std::string& pattern,
              Access access, AdminHandler handler) override {
    routes_.push_back({method, pattern, access, std::move(handler)});
  }

  // Runs the handler of `method` and `target` (path plus optional query)
  // with `body` as JSON; 404 with an empty body when no route matches.
  httplib::Response Call(const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::string& address = "192.0.2.10") const {
    httplib::Response res;
    httplib::Request req;
    req.method = method;
    req.target = target;
    const size_t query = target.find('?');
    req.path = target.substr(0, query);
    if (query != std::string::npos) {
      httplib::detail::parse_query_text(target.substr(query + 1), req.params);
    }
    req.body = body;
    if (!body.empty()) req.set_header("Content-Type", "application/json");
    for (const Route& route : routes_) {
      AdminRequest request;
      if (route.method != method ||
          !MatchPattern(route.pattern, req.path, &request.params)) {
        continue;
      }
      request.http = &req;
      request.address = address;
      if (route.access == Access::kSession) request.session = "test-session";
      route.handler(request, &res);
      return res;
    }
    res.status = 404;
    return res;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_FAKE_ADMIN_ROUTER_H_
