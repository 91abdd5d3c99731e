// ZoomHarness: the fake Zoom (FakeZoom) served over HTTPS by a TlsTestServer
// with a throwaway CA, and the bridge's real client stack pointed at it:
// HttpsTransport -> S2sTokenSource -> ZoomApi, on a caller's clock and
// store. For sync engine and token tests in one process.
#ifndef TELEMED_TESTS_SUPPORT_ZOOM_HARNESS_H_
#define TELEMED_TESTS_SUPPORT_ZOOM_HARNESS_H_

#include <memory>
#include <string>

#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "support/fake_zoom.h"
#include "support/tls_test_server.h"
#include "zoom/https_transport.h"
#include "zoom/rate_limiter.h"
#include "zoom/s2s_token_source.h"
#include "zoom/zoom_api.h"

namespace telemed {

class Clock;
class RandomSource;
class Store;

namespace test {

class ZoomHarness final {
 public:
  // *clock, *store and *random are borrowed and must outlive the harness.
  // The fake knows one user, "u1" / "doctor@clinic.example"; the S2S app's
  // credentials are saved in *store.
  ZoomHarness(const Clock* clock, Store* store, RandomSource* random,
              FakeZoom::Options options = FakeZoom::Options());
  ~ZoomHarness();

  FakeZoom& zoom() { return *zoom_; }
  ZoomApi& api() { return *api_; }
  S2sTokenSource& tokens() { return *tokens_; }
  // Paces api() at the Pro plan's budgets (the fake enforces the same).
  RateLimiter& limiter() { return *limiter_; }
  ZoomTransport& transport() { return *transport_; }
  const SecretKey& key() const { return *key_; }
  const SecretBox& box() const { return *box_; }
  // Options of a token source like tokens() on `store` (another process's
  // handle of the same database, or the same one).
  S2sTokenSource::Options TokenOptions(Store* store) const;
  // "https://127.0.0.1:PORT" (the OAuth base) and + "/v2" (the API base).
  std::string oauth_url() const;
  std::string api_url() const;
  const std::string& ca_file() const { return server_.ca_file(); }

 private:
  const Clock* clock_;
  RandomSource* random_;
  std::unique_ptr<FakeZoom> zoom_;
  TlsTestServer server_;
  std::unique_ptr<SecretKey> key_;
  std::unique_ptr<SecretBox> box_;
  std::unique_ptr<HttpsTransport> transport_;
  std::unique_ptr<S2sTokenSource> tokens_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ZoomApi> api_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_ZOOM_HARNESS_H_
