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

ZoomHarness::ZoomHarness(const Clock* clock, Store* store, RandomSource* random,
                         FakeZoom::Options options)
    : clock_(clock), random_(random) {
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

  tokens_ = std::make_unique<S2sTokenSource>(TokenOptions(store));
  Require(
      SaveS2sCredentials(store, *box_,
                         S2sCredentials{options.account_id, options.client_id,
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

S2sTokenSource::Options ZoomHarness::TokenOptions(Store* store) const {
  S2sTokenSource::Options options;
  options.oauth_base_url = oauth_url();
  options.transport = transport_.get();
  options.store = store;
  options.box = box_.get();
  options.clock = clock_;
  options.random = random_;
  return options;
}

std::string ZoomHarness::oauth_url() const { return server_.Url(""); }

std::string ZoomHarness::api_url() const { return server_.Url("/v2"); }

}  // namespace test
}  // namespace telemed
