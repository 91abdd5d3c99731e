#include "api/router.h"

#include <cstring>

namespace telemed {

namespace {

constexpr char kPrefix[] = "/api/v1/";

// If `path` is `collection` itself, returns the collection; if it is
// `collection/ID` (ID without further '/'), returns the item with its id.
bool MatchCollection(const std::string& rest, const char* collection,
                     Resource collection_resource, Resource item_resource,
                     RouteMatch* out) {
  size_t length = strlen(collection);
  if (rest.compare(0, length, collection) != 0) return false;
  if (rest.size() == length) {
    out->resource = collection_resource;
    return true;
  }
  if (rest[length] != '/') return false;
  std::string id = rest.substr(length + 1);
  if (id.find('/') != std::string::npos) return false;
  out->resource = item_resource;
  out->id = std::move(id);
  return true;
}

// "appointments/{id}/retry" and "appointments/{id}/start_url".
RouteMatch MatchAppointmentAction(const std::string& rest) {
  static const char kAppointments[] = "appointments/";
  RouteMatch match;
  if (rest.compare(0, strlen(kAppointments), kAppointments) != 0) return match;
  std::string tail = rest.substr(strlen(kAppointments));
  size_t slash = tail.find('/');
  if (slash == std::string::npos) return match;
  std::string action = tail.substr(slash + 1);
  if (action == "retry") {
    match.resource = Resource::kAppointmentRetry;
  } else if (action == "start_url") {
    match.resource = Resource::kAppointmentStartUrl;
  } else {
    return match;
  }
  match.id = tail.substr(0, slash);
  return match;
}

}  // namespace

RouteMatch MatchRoute(const std::string& path) {
  RouteMatch match;
  if (path.compare(0, strlen(kPrefix), kPrefix) != 0) return match;
  std::string rest = path.substr(strlen(kPrefix));
  if (rest == "health" || rest == "status") {
    match.resource = rest == "health" ? Resource::kHealth : Resource::kStatus;
    return match;
  }
  if (MatchCollection(rest, "doctors", Resource::kDoctors, Resource::kDoctor,
                      &match) ||
      MatchCollection(rest, "appointments", Resource::kAppointments,
                      Resource::kAppointment, &match)) {
    return match;
  }
  return MatchAppointmentAction(rest);
}

const char* AllowedMethods(Resource resource) {
  switch (resource) {
    case Resource::kHealth:
    case Resource::kStatus:
    case Resource::kDoctors:
    case Resource::kAppointments:
    case Resource::kAppointmentStartUrl:
      return "GET";
    case Resource::kAppointmentRetry:
      return "POST";
    case Resource::kDoctor:
      return "GET, PUT";
    case Resource::kAppointment:
      return "GET, PUT, DELETE";
    case Resource::kNone:
      break;
  }
  return "";
}

bool IsMethodAllowed(Resource resource, const std::string& method) {
  const std::string effective = method == "HEAD" ? "GET" : method;
  std::string allowed = AllowedMethods(resource);
  // Allowed lists are short, comma-separated and hold no prefixes of one
  // another, so token comparison is enough.
  size_t start = 0;
  while (start < allowed.size()) {
    size_t end = allowed.find(", ", start);
    if (end == std::string::npos) end = allowed.size();
    if (allowed.compare(start, end - start, effective) == 0 &&
        end - start == effective.size()) {
      return true;
    }
    start = end + 2;
  }
  return false;
}

}  // namespace telemed
