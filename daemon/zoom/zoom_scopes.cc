#include "zoom/zoom_scopes.h"

#include <algorithm>

namespace telemed {

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The S2S scope for one of Zoom's names of a permission; "" when it names
// no permission the bridge knows.
std::string S2sScopeFor(const std::string& name, const std::string& needed) {
  const std::vector<std::string>& required = RequiredZoomScopes();
  if (Contains(required, name)) return name;
  if (Contains(required, name + ":admin")) return name + ":admin";
  // A classic scope stands for several: the call's own is the one missing.
  if (!needed.empty() && name == ClassicScopeFor(needed)) return needed;
  return "";
}

}  // namespace

const std::vector<std::string>& RequiredZoomScopes() {
  // The list-users scope serves only a user picker, so it is not required.
  static const auto* scopes = new std::vector<std::string>{
      "meeting:write:meeting:admin",      "meeting:update:meeting:admin",
      "meeting:delete:meeting:admin",     "meeting:read:meeting:admin",
      "meeting:read:list_meetings:admin", "user:read:user:admin"};
  return *scopes;
}

const char* ClassicScopeFor(const std::string& scope) {
  if (scope == "meeting:write:meeting:admin" ||
      scope == "meeting:update:meeting:admin" ||
      scope == "meeting:delete:meeting:admin") {
    return "meeting:write:admin";
  }
  if (scope == "meeting:read:meeting:admin" ||
      scope == "meeting:read:list_meetings:admin") {
    return "meeting:read:admin";
  }
  return scope == "user:read:user:admin" ? "user:read:admin" : "";
}

std::vector<std::string> MissingScopes(
    const std::vector<std::string>& granted) {
  std::vector<std::string> missing;
  for (const std::string& scope : RequiredZoomScopes()) {
    if (!Contains(granted, scope) &&
        !Contains(granted, ClassicScopeFor(scope))) {
      missing.push_back(scope);
    }
  }
  return missing;
}

std::vector<std::string> ScopesToAdd(const std::vector<std::string>& listed,
                                     const std::string& needed) {
  std::vector<std::string> out;
  bool unknown = false;
  for (const std::string& name : listed) {
    std::string scope = S2sScopeFor(name, needed);
    if (scope.empty()) {
      unknown = true;
    } else if (!Contains(out, scope)) {
      out.push_back(scope);
    }
  }
  if (out.empty() && !needed.empty()) out.push_back(needed);
  // Names the bridge does not know (a future Zoom naming): pass them on
  // rather than hide what Zoom asked for.
  if (out.empty() && unknown) out = listed;
  return out;
}

}  // namespace telemed
