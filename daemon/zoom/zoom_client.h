// ZoomClient: the one way the daemon, the CLI and the tests open a client of
// Zoom's API. It owns and wires, in this order: the transport (HTTPS, or one
// a test injects), the clinic S2S app's token source, the rate limiter that
// paces every call of this process, and the typed ZoomApi over them.
//
// Per-doctor OAuth (a doctor connects its own Zoom account): given the
// store's DoctorGrants, the client also owns a UserTokenSource
// (zoom/user_token_source.h) and ApiFor(doctor) hands out a ZoomApi over
// the doctor's own tokens, sharing this client's transport; S2S doctors
// keep api(). Callers that act for a doctor (the sync engine, start links)
// ask ApiFor for OAuth doctors instead of using api().
//
// Pacing is per Zoom account: the S2S app's calls share limiter(); each
// OAuth doctor is an account of its own, with its own per-second budgets
// and daily limit, so its calls go through a limiter of its own
// (LimiterFor), in which its daily hold is kept under host "me", the user
// its calls name.
#ifndef TELEMED_ZOOM_ZOOM_CLIENT_H_
#define TELEMED_ZOOM_ZOOM_CLIENT_H_

#include <map>
#include <memory>
#include <string>

#include "base/mutex.h"
#include "base/status.h"
#include "zoom/https_transport.h"
#include "zoom/rate_limiter.h"
#include "zoom/s2s_token_source.h"
#include "zoom/user_token_source.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class DoctorGrants;
class GrantRevokes;
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
    // The doctors' own OAuth grants; null: no user_tokens() nor ApiFor.
    DoctorGrants* grants = nullptr;
    // Where the doctors' token source revokes a refreshed pair it cannot
    // commit (UserTokenSource::Options::revokes); may be null.
    GrantRevokes* revokes = nullptr;
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
  // Calls as doctor `doctor_id` with its own OAuth grant (create meetings
  // on host "me"). The ZoomApi is the client's, one per doctor, valid as
  // long as the client. REQUIRES: Options::grants was given. Thread-safe.
  ZoomApi* ApiFor(const std::string& doctor_id) EXCLUDES(doctors_mu_);
  // ApiFor for deleting the doctor's meetings only: it also acts for a
  // doctor being disconnected (UserTokenSource::GetDeletionToken).
  ZoomApi* DeletionApiFor(const std::string& doctor_id) EXCLUDES(doctors_mu_);
  // The limiter that paces doctor `doctor_id`'s own account (ApiFor's
  // calls): pause it for that doctor's 429s, host "me" for a daily one.
  // Valid as long as the client. REQUIRES: as ApiFor. Thread-safe.
  RateLimiter* LimiterFor(const std::string& doctor_id) EXCLUDES(doctors_mu_);
  // The doctors' token source (connecting, checks); null without grants.
  UserTokenSource* user_tokens() { return user_tokens_.get(); }
  RateLimiter* limiter() { return limiter_.get(); }
  ZoomTransport* transport() { return transport_; }

 private:
  ZoomClient() = default;

  std::unique_ptr<HttpsTransport> own_transport_;
  ZoomTransport* transport_ = nullptr;
  std::unique_ptr<S2sTokenSource> s2s_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ZoomApi> api_;
  std::unique_ptr<UserTokenSource> user_tokens_;
  std::string api_url_;
  ZoomPlan plan_;
  const Clock* clock_ = nullptr;

  // A doctor's account's limiter, and its tokens and ZoomApi for all work
  // and for deletions only, both paced by that limiter.
  struct DoctorApi {
    std::unique_ptr<RateLimiter> limiter;
    std::unique_ptr<TokenSource> tokens;
    std::unique_ptr<ZoomApi> api;
    std::unique_ptr<TokenSource> deletion_tokens;
    std::unique_ptr<ZoomApi> deletion_api;
  };
  // The doctor's entry, with its limiter, made on first use; the two APIs
  // are made on their first use (ApiFor, DeletionApiFor).
  DoctorApi& DoctorOf(const std::string& doctor_id) REQUIRES(doctors_mu_);
  std::unique_ptr<ZoomApi> MakeApi(TokenSource* tokens,
                                   RateLimiter* limiter) const;
  Mutex doctors_mu_;
  std::map<std::string, DoctorApi> doctors_ GUARDED_BY(doctors_mu_);
};

}  // namespace telemed

#endif  // TELEMED_ZOOM_ZOOM_CLIENT_H_
