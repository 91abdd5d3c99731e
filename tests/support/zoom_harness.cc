#include "support/zoom_harness.h"

#include <cstdio>
#include <cstdlib>

#include "store/store.h"

namespace telemed {
namespace test {

namespace {
void Require(const Status& status, const char* what) {
  if (status.ok()) return;
  fprintf(stderr, "ZoomHarness: %s: %s\n", what, status.ToString().c_str());
  abort();
}
}  // namespace

ZoomHarness::ZoomHarness(const Clock* clock, Store* store,
                         RandomSource* random, FakeZoom::Options options) {
  options.clock = clock;
  zoom_ = std::make_unique<FakeZoom>(options);
  zoom_->AddUser("u1", "doctor@clinic.example");
  zoom_->Mount(&server_.server());
  server_.Start();

  uint8_t key_bytes[SecretKey::kSize] = {42, 7, 1};
  key_ = SecretKey::FromBytes(key_bytes);
  box_ = std::make_unique<SecretBox>(key_.get(), random);

  HttpsTransport::Options transport_options;
  transport_options.ca_file = server_.ca_file();
  transport_options.random = random;
  Require(HttpsTransport::Open(transport_options, &transport_), "transport");

  S2sTokenSource::Options token_options;
  token_options.oauth_base_url = oauth_url();
  token_options.transport = transport_.get();
  token_options.store = store;
  token_options.box = box_.get();
  token_options.clock = clock;
  token_options.random = random;
  tokens_ = std::make_unique<S2sTokenSource>(token_options);
  Require(SaveS2sCredentials(store, *box_,
                             S2sCredentials{options.account_id,
                                            options.client_id,
                                            options.client_secret}),
          "saving credentials");
  limiter_ = std::make_unique<RateLimiter>(
      ZoomPlan{static_cast<double>(options.light_per_second),
               static_cast<double>(options.medium_per_second)},
      clock);
  api_ = std::make_unique<ZoomApi>(ZoomApi::Options{
      api_url(), transport_.get(), tokens_.get(), clock, limiter_.get()});
}

ZoomHarness::~ZoomHarness() = default;

std::string ZoomHarness::oauth_url() const { return server_.Url(""); }

std::string ZoomHarness::api_url() const { return server_.Url("/v2"); }

}  // namespace test
}  // namespace telemed
