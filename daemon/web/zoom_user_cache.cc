#include "web/zoom_user_cache.h"

#include <algorithm>

#include "base/clock.h"
#include "base/log.h"
#include "secrets/secret_box.h"
#include "zoom/s2s_app.h"
#include "zoom/s2s_token_source.h"

namespace telemed {
namespace web {

const char kListUsersScope[] = "user:read:list_users:admin";

Status ZoomUserCache::Get(bool* available, std::vector<ZoomUser>* users) {
  std::string version;
  Status s = ReadZoomConfigVersion(options_.settings, &version);
  if (!s.ok()) return s;
  MutexLock lock(&mu_);
  const int64_t now = options_.clock->NowSeconds();
  if (!fetched_ || version != config_version_ ||
      now - fetched_at_ >= options_.max_age_seconds || now < fetched_at_) {
    Fetch();
    fetched_ = true;
    fetched_at_ = now;
    config_version_ = version;
  }
  *available = available_;
  *users = users_;
  return Status::OK();
}

// The token the daemon shares (minted only when it has none); its scopes
// say whether the list may be asked for at all.
bool ZoomUserCache::TokenHasScope() {
  S2sToken token;
  Status s = options_.tokens->Current(&token);
  WipeString(&token.access_token);
  if (!s.ok()) return false;
  return std::any_of(
      token.scopes.begin(), token.scopes.end(), [](const std::string& scope) {
        return scope == kListUsersScope || scope == "user:read:admin";
      });
}

void ZoomUserCache::Fetch() {
  available_ = false;
  users_.clear();
  if (!TokenHasScope()) return;
  ZoomError error;
  Status s = options_.api->ListUsers(&users_, &error);
  if (!s.ok()) {
    users_.clear();
    options_.logger->Warning("admin page: listing Zoom's users failed: %s",
                             s.ToString().c_str());
    return;
  }
  available_ = true;
}

}  // namespace web
}  // namespace telemed
