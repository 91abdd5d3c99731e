// The Zoom scopes the bridge needs, and the one name to give an admin for
// each missing permission.
//
// Zoom names a permission several ways: granular S2S scopes
// ("meeting:write:meeting:admin"), user-level ones without ":admin"
// ("meeting:write:meeting") and classic ones that cover several granular
// ones ("meeting:write:admin"). Its scope errors (code 4711) list all the
// alternatives; an admin of an S2S app adds exactly one: the granular
// ":admin" scope. Everything the bridge shows (an appointment's
// missing_scopes, `zoom test`, GET /api/v1/status) uses those names.
#ifndef TELEMED_ZOOM_ZOOM_SCOPES_H_
#define TELEMED_ZOOM_ZOOM_SCOPES_H_

#include <string>
#include <vector>

namespace telemed {

// The scopes the bridge needs (granular S2S names, see docs/zoom-setup.md).
const std::vector<std::string>& RequiredZoomScopes();

// The classic scope that also grants `scope` (one of RequiredZoomScopes),
// "" when none.
const char* ClassicScopeFor(const std::string& scope);

// Required scopes that `granted` covers neither by name nor by classic
// equivalent, in RequiredZoomScopes order.
std::vector<std::string> MissingScopes(const std::vector<std::string>& granted);

// The scopes to add for a scope error that listed `listed` (Zoom's
// alternatives) on a call that needs `needed` ("" when unknown): one S2S
// name per permission, without repeats, in the order first named.
std::vector<std::string> ScopesToAdd(const std::vector<std::string>& listed,
                                     const std::string& needed);

}  // namespace telemed

#endif  // TELEMED_ZOOM_ZOOM_SCOPES_H_
