// Where the clinic's Zoom lives: the OAuth and API base URLs and the CAs
// trusted for them. `zoom s2s` stores those it was given with the app (the
// CA as PEM text, so the file may go away), and every later process uses
// them unless given its own: flag > environment > stored with the app >
// built-in default (service/zoom_session.h resolves that order).
#ifndef TELEMED_ZOOM_ZOOM_ENDPOINTS_H_
#define TELEMED_ZOOM_ZOOM_ENDPOINTS_H_

#include <string>

#include "base/status.h"

namespace telemed {

class SettingsStore;

struct ZoomEndpoints {
  std::string oauth_url;  // "" = not stored
  std::string api_url;    // "" = not stored
  std::string ca_pem;     // "" = not stored
};

// The values stored with the app ("" for each one not stored).
Status LoadZoomEndpoints(SettingsStore* store, ZoomEndpoints* out);
// Stores each non-empty value; empty ones leave the stored value alone.
// `zoom forget` removes them with the app (settings "zoom.s2s.*").
Status SaveZoomEndpoints(SettingsStore* store, const ZoomEndpoints& endpoints);

}  // namespace telemed

#endif  // TELEMED_ZOOM_ZOOM_ENDPOINTS_H_
