// ZoomUserCache: the account's users for the Doctors screen's *Zoom user*
// picker. Zoom's user list is a Medium-rate call and the picker is opened
// often, so the list is kept for a minute, and dropped at once when the Zoom
// app changes. It is asked for only when the app's token carries
// user:read:list_users:admin (a scope the bridge does not require).
#ifndef TELEMED_WEB_ZOOM_USER_CACHE_H_
#define TELEMED_WEB_ZOOM_USER_CACHE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/status.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class Logger;
class S2sTokenSource;
class SettingsStore;

namespace web {

// The scope the picker needs (granular; the classic user:read:admin too).
extern const char kListUsersScope[];

class ZoomUserCache final {
 public:
  struct Options {
    // Borrowed; each must outlive the cache.
    SettingsStore* settings = nullptr;  // tells when the app changed
    S2sTokenSource* tokens = nullptr;   // the granted scopes
    ZoomApi* api = nullptr;
    const Clock* clock = nullptr;
    Logger* logger = nullptr;
    int64_t max_age_seconds = 60;
  };
  explicit ZoomUserCache(const Options& options) : options_(options) {}

  // The account's active users. *available false (and no users) when no
  // app is stored, its token cannot be had or lacks the scope, or Zoom
  // does not answer the list (logged): the picker is a convenience, the
  // field takes any e-mail. Errors are the store's. Thread-safe; one list
  // call at a time.
  Status Get(bool* available, std::vector<ZoomUser>* users) EXCLUDES(mu_);

 private:
  bool TokenHasScope();
  void Fetch() REQUIRES(mu_);

  const Options options_;
  Mutex mu_;
  bool fetched_ GUARDED_BY(mu_) = false;
  int64_t fetched_at_ GUARDED_BY(mu_) = 0;  // unix seconds
  std::string config_version_ GUARDED_BY(mu_);
  bool available_ GUARDED_BY(mu_) = false;
  std::vector<ZoomUser> users_ GUARDED_BY(mu_);
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ZOOM_USER_CACHE_H_
