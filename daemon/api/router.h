// Router: maps a request path of the local API to a resource and the
// methods it allows. Pure string work, so 404 and 405 (with Allow) are
// decided in one place and tested without a socket.
#ifndef TELEMED_API_ROUTER_H_
#define TELEMED_API_ROUTER_H_

#include <string>

namespace telemed {

enum class Resource {
  kNone,          // no such path -> 404
  kHealth,        // /api/v1/health
  kStatus,        // /api/v1/status
  kDoctors,       // /api/v1/doctors
  kDoctor,        // /api/v1/doctors/{id}
  kAppointments,  // /api/v1/appointments (the change feed)
  kAppointment,   // /api/v1/appointments/{id}
  kAppointmentRetry,     // /api/v1/appointments/{id}/retry
  kAppointmentStartUrl,  // /api/v1/appointments/{id}/start_url
};

struct RouteMatch {
  Resource resource = Resource::kNone;
  // The {id} segment, still to be checked with CheckId (a bad id is a 400,
  // not a 404). Empty for collection resources.
  std::string id;
};

// Matches an already URL-decoded path. A trailing segment after an id is no
// resource ("/doctors/a/b"), except an appointment's "retry" and
// "start_url".
RouteMatch MatchRoute(const std::string& path);

// The Allow header value for `resource`, e.g. "GET, PUT".
const char* AllowedMethods(Resource resource);

// Whether `method` (upper case; HEAD counts as GET) is allowed on `resource`.
bool IsMethodAllowed(Resource resource, const std::string& method);

}  // namespace telemed

#endif  // TELEMED_API_ROUTER_H_
