// Router: maps a request target of the local API to a resource and the
// methods and query parameters it allows. Pure string work, so 404, 405
// (with Allow) and the 400s of a bad id or query are decided in one place
// and tested without a socket.
#ifndef TELEMED_API_ROUTER_H_
#define TELEMED_API_ROUTER_H_

#include <string>

#include "base/status.h"

namespace telemed {

enum class Resource {
  kNone,                 // no such path -> 404
  kHealth,               // /api/v1/health
  kStatus,               // /api/v1/status
  kDoctors,              // /api/v1/doctors
  kDoctor,               // /api/v1/doctors/{id}
  kDoctorConnect,        // /api/v1/doctors/{id}/connect
  kDoctorDisconnect,     // /api/v1/doctors/{id}/disconnect
  kAppointments,         // /api/v1/appointments (the change feed)
  kAppointment,          // /api/v1/appointments/{id}
  kAppointmentRetry,     // /api/v1/appointments/{id}/retry
  kAppointmentStartUrl,  // /api/v1/appointments/{id}/start_url
};

struct RouteMatch {
  Resource resource = Resource::kNone;
  // The {id}, percent-decoded, still to be checked (CheckRequestInput): a
  // bad id is a 400, not a 404. Empty for collection resources.
  std::string id;
};

// Matches the raw request target (the path as sent, percent-escapes and
// all; a query after '?' is ignored). The path is split on '/' first and
// each segment decoded after, so an escaped slash ("a%2Fb") stays inside
// its segment. Everything after "doctors/" is the doctor's id, unless its
// last segment (of three or more) is "connect"; everything
// after "appointments/" is the appointment's id, unless its last segment is
// "retry" or "start_url". So an id with a '/' in it, sent raw or as %2F,
// reaches the id check (400 invalid_id) on every route, and ".../a%2Fb/retry"
// never acts on "a".
RouteMatch MatchRoute(const std::string& target);

// The Allow header value for `resource`, e.g. "GET, PUT".
const char* AllowedMethods(Resource resource);

// Whether `method` (upper case; HEAD counts as GET) is allowed on `resource`.
bool IsMethodAllowed(Resource resource, const std::string& method);

// The request's id (for resources that have one) and the names of the
// query parameters in the raw `target` (split on '&' and '=' here, then
// percent-decoded, '+' as space; httplib's parsed params drop exact
// repeats, so they cannot tell "since=1&since=1" from one): InvalidArgument
// "invalid_id" (field "id"), or "invalid_query" naming a parameter the
// resource does not take (only the feed takes any: since, limit, wait) or
// one given twice.
Status CheckRequestInput(const RouteMatch& match, const std::string& target);

}  // namespace telemed

#endif  // TELEMED_API_ROUTER_H_
