#include "api/router.h"

#include <httplib.h>

#include <vector>

#include "api/request_parse.h"

namespace telemed {

namespace {

// The raw path's segments after "/api/v1/", each percent-decoded on its
// own; false when the path does not start with that prefix.
bool SplitApiPath(const std::string& target, std::vector<std::string>* out) {
  const std::string path = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    segments.push_back(httplib::detail::decode_url(
        path.substr(start, slash == std::string::npos ? slash : slash - start),
        /*convert_plus_to_space=*/false));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (segments.size() < 4 || !segments[0].empty() || segments[1] != "api" ||
      segments[2] != "v1") {
    return false;
  }
  out->assign(segments.begin() + 3, segments.end());
  return true;
}

// Joins decoded segments [begin, end) with '/': an id that held a raw '/'
// gets it back, and fails the id check.
std::string JoinSegments(const std::vector<std::string>& segments, size_t begin,
                         size_t end) {
  std::string id;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) id += '/';
    id += segments[i];
  }
  return id;
}

// "appointments/{id}", "appointments/{id}/retry", ".../start_url".
RouteMatch MatchAppointment(const std::vector<std::string>& segments) {
  RouteMatch match;
  size_t id_end = segments.size();
  match.resource = Resource::kAppointment;
  if (segments.size() >= 3) {
    const std::string& action = segments.back();
    if (action == "retry") {
      match.resource = Resource::kAppointmentRetry;
      id_end -= 1;
    } else if (action == "start_url") {
      match.resource = Resource::kAppointmentStartUrl;
      id_end -= 1;
    }
  }
  match.id = JoinSegments(segments, 1, id_end);
  return match;
}

// "doctors/{id}", "doctors/{id}/connect", "doctors/{id}/disconnect".
RouteMatch MatchDoctor(const std::vector<std::string>& segments) {
  RouteMatch match;
  size_t id_end = segments.size();
  match.resource = Resource::kDoctor;
  if (segments.size() >= 3 && segments.back() == "connect") {
    match.resource = Resource::kDoctorConnect;
    id_end -= 1;
  } else if (segments.size() >= 3 && segments.back() == "disconnect") {
    match.resource = Resource::kDoctorDisconnect;
    id_end -= 1;
  }
  match.id = JoinSegments(segments, 1, id_end);
  return match;
}

// Each parameter name of the target's query, decoded, repeats included.
// Empty pieces ("a=1&&b=2") are no parameter.
std::vector<std::string> QueryNames(const std::string& target) {
  std::vector<std::string> names;
  const size_t question = target.find('?');
  if (question == std::string::npos) return names;
  const std::string query = target.substr(question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string piece = query.substr(start, end - start);
    if (!piece.empty()) {
      names.push_back(httplib::detail::decode_url(
          piece.substr(0, piece.find('=')), /*convert_plus_to_space=*/true));
    }
    start = end + 1;
  }
  return names;
}

bool HasId(Resource resource) {
  return resource == Resource::kDoctor ||
         resource == Resource::kDoctorConnect ||
         resource == Resource::kDoctorDisconnect ||
         resource == Resource::kAppointment ||
         resource == Resource::kAppointmentRetry ||
         resource == Resource::kAppointmentStartUrl;
}

}  // namespace

RouteMatch MatchRoute(const std::string& target) {
  RouteMatch match;
  std::vector<std::string> segments;
  if (!SplitApiPath(target, &segments)) return match;
  const std::string& first = segments[0];
  if (segments.size() == 1) {
    if (first == "health") match.resource = Resource::kHealth;
    if (first == "status") match.resource = Resource::kStatus;
    if (first == "doctors") match.resource = Resource::kDoctors;
    if (first == "appointments") match.resource = Resource::kAppointments;
    return match;
  }
  if (first == "doctors") {
    match = MatchDoctor(segments);
  } else if (first == "appointments") {
    match = MatchAppointment(segments);
  }
  return match;
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
    case Resource::kDoctorConnect:
    case Resource::kDoctorDisconnect:
      return "POST";
    case Resource::kDoctor:
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

Status CheckRequestInput(const RouteMatch& match, const std::string& target) {
  if (HasId(match.resource)) {
    Status s = CheckId(match.id);
    if (!s.ok()) return s;
  }
  static const std::vector<std::string> kFeed = {"since", "limit", "wait"};
  static const std::vector<std::string> kNone;
  return CheckQueryNames(
      QueryNames(target),
      match.resource == Resource::kAppointments ? kFeed : kNone);
}

}  // namespace telemed
