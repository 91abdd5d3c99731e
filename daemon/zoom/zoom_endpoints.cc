#include "zoom/zoom_endpoints.h"

#include "store/settings_store.h"

namespace telemed {

namespace {

// Settings rows, under the app's prefix so that forgetting the app drops
// them too (docs/schema.md).
constexpr char kOauthUrl[] = "zoom.s2s.oauth_url";
constexpr char kApiUrl[] = "zoom.s2s.api_url";
constexpr char kCaPem[] = "zoom.s2s.ca_pem";

Status Get(SettingsStore* store, const char* name, std::string* out) {
  bool found = false;
  Status s = store->GetSetting(name, out, &found);
  if (s.ok() && !found) out->clear();
  return s;
}

Status PutIfGiven(SettingsStore* store, const char* name,
                  const std::string& value) {
  return value.empty() ? Status::OK() : store->PutSetting(name, value);
}

}  // namespace

Status LoadZoomEndpoints(SettingsStore* store, ZoomEndpoints* out) {
  Status s = Get(store, kOauthUrl, &out->oauth_url);
  if (s.ok()) s = Get(store, kApiUrl, &out->api_url);
  if (s.ok()) s = Get(store, kCaPem, &out->ca_pem);
  return s;
}

Status SaveZoomEndpoints(SettingsStore* store, const ZoomEndpoints& endpoints) {
  Status s = PutIfGiven(store, kOauthUrl, endpoints.oauth_url);
  if (s.ok()) s = PutIfGiven(store, kApiUrl, endpoints.api_url);
  if (s.ok()) s = PutIfGiven(store, kCaPem, endpoints.ca_pem);
  return s;
}

}  // namespace telemed
