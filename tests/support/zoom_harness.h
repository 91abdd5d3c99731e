// ZoomHarness: the fake Zoom (FakeZoom) served over HTTPS by a TlsTestServer
// with a throwaway CA, and the bridge's real client stack pointed at it:
// ZoomClient (HttpsTransport -> S2sTokenSource -> RateLimiter -> ZoomApi),
// on a caller's clock and store. For sync engine and token tests in one
// process.
#ifndef TELEMED_TESTS_SUPPORT_ZOOM_HARNESS_H_
#define TELEMED_TESTS_SUPPORT_ZOOM_HARNESS_H_

#include <memory>
#include <string>

#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "support/fake_zoom.h"
#include "support/tls_test_server.h"
#include "zoom/zoom_client.h"

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
  ZoomApi& api() { return *client_->api(); }
  S2sTokenSource& tokens() { return *client_->s2s(); }
  // Paces api() at the fake's budgets (by default the Pro plan's).
  RateLimiter& limiter() { return *client_->limiter(); }
  ZoomTransport& transport() { return *client_->transport(); }
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
  std::unique_ptr<ZoomClient> client_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_ZOOM_HARNESS_H_
