// AdminRouter: how the admin page's JSON endpoints (/admin/api/...) are
// registered, so each screen's handlers live in a file of their own and
// the session, CSRF and Origin checks live in one place (the router that
// implements this interface) rather than in every handler.
//
// A handler sees only requests the router has already let through: for
// Access::kSession a signed-in, unexpired session and, when the method
// changes state (anything but GET and HEAD), a valid X-CSRF-Token. Its
// answer uses http/json_reply.h (WriteJson, WriteError) and the error
// shape of docs/admin-api.md.
#ifndef TELEMED_WEB_ADMIN_ROUTER_H_
#define TELEMED_WEB_ADMIN_ROUTER_H_

#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

namespace telemed {
namespace web {

enum class Access {
  kPublic,   // no session needed (the session probe, setup, sign-in)
  kSession,  // a signed-in session (+ CSRF token when state changes)
};

struct AdminRequest {
  const httplib::Request* http = nullptr;
  // The peer's IP address (for the audit log and sign-in limits).
  std::string address;
  // The {name} segments of the route's pattern, in order, percent-decoded.
  std::vector<std::string> params;
  // The signed-in session's id hash (empty for kPublic routes): lets a
  // handler end every session but this one, or name it in the audit log.
  std::string session;
};

using AdminHandler =
    std::function<void(const AdminRequest& request, httplib::Response* res)>;

class AdminRouter {
 public:
  virtual ~AdminRouter() = default;
  // `pattern` is a path such as "/admin/api/doctors/{id}"; a "{...}"
  // segment matches one non-empty path segment. `method` is upper case.
  virtual void Handle(const std::string& method, const std::string& pattern,
                      Access access, AdminHandler handler) = 0;
};

// Whether `path` (as sent: percent-escapes kept, no query) matches
// `pattern`; on a match fills *params with the decoded {..} segments. An
// escaped slash stays inside its segment; a segment that decodes to
// control characters or invalid UTF-8 does not match.
bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::vector<std::string>* params);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ADMIN_ROUTER_H_
