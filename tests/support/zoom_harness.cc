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

  ZoomClient::Options client;
  client.oauth_url = oauth_url();
  client.api_url = api_url();
  client.plan = ZoomPlan{static_cast<double>(options.light_per_second),
                         static_cast<double>(options.medium_per_second)};
  client.https.ca_file = server_.ca_file();
  client.store = store;
  client.box = box_.get();
  client.clock = clock;
  client.random = random;
  Require(ZoomClient::Open(client, &client_), "Zoom client");
  Require(
      SaveS2sCredentials(store, *box_,
                         S2sCredentials{options.account_id, options.client_id,
                                        options.client_secret}),
      "saving credentials");
}

ZoomHarness::~ZoomHarness() = default;

S2sTokenSource::Options ZoomHarness::TokenOptions(Store* store) const {
  S2sTokenSource::Options options;
  options.oauth_base_url = oauth_url();
  options.transport = client_->transport();
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
