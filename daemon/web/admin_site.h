// AdminSite: the admin page's front door. The HTTPS listener hands it every
// request (Serve); it answers /admin/api/... through the routes registered
// on it (it is the AdminRouter) after the checks of docs/admin-api.md, and
// hands every other path to the page's asset server.
//
// For /admin/api it refuses an Authorization header (401
// api_key_not_accepted: API keys belong to /api/v1), bodies over 64 KiB
// (413), unknown paths (404) and methods (405, with Allow). A kSession
// route needs a live session cookie (401 session_required /
// session_expired) and, when the method changes state, the session's
// X-CSRF-Token (403 csrf_invalid); a kPublic route that changes state
// (setup, login) needs Origin equal to "https://" + Host (403
// origin_invalid). Every answer, assets included, gets the security
// headers (Content-Security-Policy, X-Content-Type-Options,
// Referrer-Policy; Strict-Transport-Security while an imported
// certificate is in use), and Cache-Control: no-store unless the asset
// server chose its own caching.
//
// The session endpoints (web/session_routes.h) are registered by the
// constructor; each screen's routes are added by their own Add*Routes.
//
// Thread-safety: register routes before the first Serve; Serve may then run
// on many threads at once.
#ifndef TELEMED_WEB_ADMIN_SITE_H_
#define TELEMED_WEB_ADMIN_SITE_H_

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "web/admin_access.h"
#include "web/admin_router.h"

namespace telemed {
namespace web {

struct AdminSiteOptions {
  AdminAccess::Options access;
  // Answers every path outside /admin/api (the page's files). Empty: 404.
  std::function<void(const httplib::Request&, httplib::Response*)> serve_asset;
  // Whether the listener's certificate was imported (`web cert --import`):
  // only then is Strict-Transport-Security sent. Empty: never.
  std::function<bool()> certificate_imported;
};

class AdminSite final : public AdminRouter {
 public:
  explicit AdminSite(const AdminSiteOptions& options);
  ~AdminSite() override;

  void Handle(const std::string& method, const std::string& pattern,
              Access access, AdminHandler handler) override;

  // Answers one request. The peer's address is req.remote_addr.
  // REQUIRES: req.body read whole (call it from a route handler: httplib's
  // pre-routing handler runs before the body is read). The listener should
  // bound bodies itself (64 KiB); a larger one is refused here too (413).
  void Serve(const httplib::Request& req, httplib::Response* res) const;

  // For the screens' routes: the audit log and the password re-check.
  AdminAudit* audit() { return access_.get(); }
  PasswordCheck* password_check() { return access_.get(); }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    Access access;
    AdminHandler handler;
  };

  void ServeApi(const httplib::Request& req, const std::string& path,
                httplib::Response* res) const;
  // The route for `req` at `path`, or nullptr after answering 404/405.
  const Route* FindRoute(const httplib::Request& req, const std::string& path,
                         std::vector<std::string>* params,
                         httplib::Response* res) const;
  // Whether `req` may reach `route`; answers the refusal when not.
  bool Admit(const httplib::Request& req, const Route& route,
             AdminRequest* request, httplib::Response* res) const;
  void SetSecurityHeaders(bool api, httplib::Response* res) const;

  const AdminSiteOptions options_;
  std::unique_ptr<AdminAccess> access_;
  std::vector<Route> routes_;
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ADMIN_SITE_H_
