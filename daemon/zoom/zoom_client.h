// ZoomClient: the one way the daemon, the CLI and the tests open a client of
// Zoom's API. It owns and wires, in this order: the transport (HTTPS, or one
// a test injects), the clinic S2S app's token source, the rate limiter that
// paces every call of this process, and the typed ZoomApi over them.
//
// Per-doctor OAuth (a doctor connects its own Zoom account) is meant to
// slot in here: a second TokenSource (its refresh token rotated and kept in
// a store role of its own), and ApiFor(doctor) handing out a ZoomApi over
// the doctor's own source, sharing this client's transport and limiter;
// S2S doctors keep api(). Callers that act for a doctor (the sync engine,
// start links) would then ask ApiFor instead of holding one ZoomApi.
#ifndef TELEMED_ZOOM_ZOOM_CLIENT_H_
#define TELEMED_ZOOM_ZOOM_CLIENT_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "zoom/https_transport.h"
#include "zoom/rate_limiter.h"
#include "zoom/s2s_token_source.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class RandomSource;
class SecretBox;
class SettingsStore;

class ZoomClient final {
 public:
  struct Options {
    std::string oauth_url = "https://zoom.us";       // no trailing '/'
    std::string api_url = "https://api.zoom.us/v2";  // no trailing '/'
    ZoomPlan plan;
    // Borrowed when set (a test's fake or fault injector); null: an own
    // HttpsTransport opened with `https` (its random defaults to `random`).
    ZoomTransport* transport = nullptr;
    HttpsTransport::Options https;
    // Borrowed; each must outlive the client.
    SettingsStore* store = nullptr;  // the app, its sealed token and the lease
    const SecretBox* box = nullptr;
    const Clock* clock = nullptr;
    RandomSource* random = nullptr;
    // Not OK: this process may not use the stored app (see
    // S2sTokenSource::Options::refused).
    Status refused;
  };

  // Nothing here talks to Zoom yet.
  static Status Open(const Options& options, std::unique_ptr<ZoomClient>* out);
  ZoomClient(const ZoomClient&) = delete;
  ZoomClient& operator=(const ZoomClient&) = delete;

  // Calls as the clinic's S2S app.
  ZoomApi* api() { return api_.get(); }
  S2sTokenSource* s2s() { return s2s_.get(); }
  RateLimiter* limiter() { return limiter_.get(); }
  ZoomTransport* transport() { return transport_; }

 private:
  ZoomClient() = default;

  std::unique_ptr<HttpsTransport> own_transport_;
  ZoomTransport* transport_ = nullptr;
  std::unique_ptr<S2sTokenSource> s2s_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ZoomApi> api_;
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_ZOOM_CLIENT_H_
