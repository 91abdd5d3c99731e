// AdminPage: what the daemon owns for the admin page while it serves: the
// page's certificate and TLS setup (followed live: a certificate renewed or
// imported with `web cert` is served within kCertificateCheckPeriod), the
// site (sign-in, sessions, every screen's routes, the page's files), the
// Zoom user picker's cache and the timer that checks saved doctors' Zoom
// users.
//
// The HTTPS listener itself is the API server's second listener
// (ApiServer::ListenHttps): it serves /api/v1 and hands every other path to
// Serve().
#ifndef TELEMED_SERVICE_ADMIN_PAGE_H_
#define TELEMED_SERVICE_ADMIN_PAGE_H_

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"

namespace telemed {

class LogRing;
class Logger;
struct Config;
struct OAuthConnectDeps;
struct StoreSession;
struct ZoomSession;
namespace tls {
class ServerTlsConfig;
}  // namespace tls

// How often the stored certificate's version is compared with the one
// served (one small read); `web cert` promises 30 s.
constexpr std::chrono::seconds kCertificateCheckPeriod(5);

class AdminPage {
 public:
  using ServeTls =
      std::function<void(std::shared_ptr<const tls::ServerTlsConfig>)>;

  struct Options {
    // Borrowed; each must outlive the page.
    const Config* config = nullptr;
    StoreSession* session = nullptr;
    ZoomSession* zoom = nullptr;
    const LogRing* log = nullptr;  // the lines System shows
    Logger* logger = nullptr;
    int64_t started_at = 0;  // unix seconds, for the Overview's uptime
    // The doctors' connect pages (/oauth/...); null: they say connecting is
    // not set up.
    const OAuthConnectDeps* oauth_connect = nullptr;
  };

  // Loads the page's certificate (making a self-signed one on the first
  // start, for the box's names and addresses), logs its fingerprint and
  // expiry date, and builds the site. Unavailable("admin_page_unavailable")
  // when the secret key was refused: the certificate's key is sealed under it.
  // Other errors: the certificate's or the TLS setup's.
  static Status Open(const Options& options, std::unique_ptr<AdminPage>* out);
  virtual ~AdminPage() = default;

  // For the HTTPS listener: the TLS setup of the certificate in use.
  // Thread-safe.
  virtual std::shared_ptr<const tls::ServerTlsConfig> tls() const = 0;
  // Starts following the stored certificate: every kCertificateCheckPeriod
  // a renewed or imported one is put in use (tls(), the Overview, HSTS)
  // and handed to `serve` (on the timer's thread), and while the one in
  // use expires within 30 days a warning is logged once a day (the first
  // at once). Call once, after the HTTPS listener is bound with tls(), so
  // a change in between is not missed.
  virtual void WatchCertificate(ServeTls serve) = 0;
  // Answers one request outside /api/v1 (body already read). Thread-safe.
  virtual void Serve(const httplib::Request& req,
                     httplib::Response* res) const = 0;
  // Stops the timers (doctor checker, certificate watch); Serve still
  // answers. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_ADMIN_PAGE_H_
