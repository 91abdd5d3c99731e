#include "zoom/zoom_client.h"

namespace telemed {

namespace {

S2sTokenSource::Options TokenOptions(const ZoomClient::Options& options,
                                     ZoomTransport* transport) {
  S2sTokenSource::Options tokens;
  tokens.oauth_base_url = options.oauth_url;
  tokens.transport = transport;
  tokens.store = options.store;
  tokens.box = options.box;
  tokens.clock = options.clock;
  tokens.random = options.random;
  tokens.refused = options.refused;
  return tokens;
}

UserTokenSource::Options UserTokenOptions(const ZoomClient::Options& options,
                                          ZoomTransport* transport) {
  UserTokenSource::Options tokens;
  tokens.oauth_base_url = options.oauth_url;
  tokens.transport = transport;
  tokens.grants = options.grants;
  tokens.revokes = options.revokes;
  tokens.settings = options.store;
  tokens.box = options.box;
  tokens.clock = options.clock;
  tokens.random = options.random;
  tokens.refused = options.refused;
  return tokens;
}

}  // namespace

Status ZoomClient::Open(const Options& options,
                        std::unique_ptr<ZoomClient>* out) {
  std::unique_ptr<ZoomClient> client(new ZoomClient());
  client->transport_ = options.transport;
  if (client->transport_ == nullptr) {
    HttpsTransport::Options https = options.https;
    if (https.random == nullptr) https.random = options.random;
    Status s = HttpsTransport::Open(https, &client->own_transport_);
    if (!s.ok()) return s;
    client->transport_ = client->own_transport_.get();
  }
  client->s2s_ = std::make_unique<S2sTokenSource>(
      TokenOptions(options, client->transport_));
  client->limiter_ = std::make_unique<RateLimiter>(options.plan, options.clock);
  client->api_ = std::make_unique<ZoomApi>(
      ZoomApi::Options{options.api_url, client->transport_, client->s2s_.get(),
                       options.clock, client->limiter_.get()});
  if (options.grants != nullptr) {
    client->user_tokens_ = std::make_unique<UserTokenSource>(
        UserTokenOptions(options, client->transport_));
  }
  client->api_url_ = options.api_url;
  client->plan_ = options.plan;
  client->clock_ = options.clock;
  *out = std::move(client);
  return Status::OK();
}

ZoomClient::DoctorApi& ZoomClient::DoctorOf(const std::string& doctor_id) {
  DoctorApi& doctor = doctors_[doctor_id];
  if (doctor.limiter == nullptr) {
    doctor.limiter = std::make_unique<RateLimiter>(plan_, clock_);
  }
  return doctor;
}

std::unique_ptr<ZoomApi> ZoomClient::MakeApi(TokenSource* tokens,
                                             RateLimiter* limiter) const {
  return std::make_unique<ZoomApi>(
      ZoomApi::Options{api_url_, transport_, tokens, clock_, limiter});
}

ZoomApi* ZoomClient::ApiFor(const std::string& doctor_id) {
  MutexLock lock(&doctors_mu_);
  DoctorApi& doctor = DoctorOf(doctor_id);
  if (doctor.api == nullptr) {
    doctor.tokens = user_tokens_->ForDoctor(doctor_id);
    doctor.api = MakeApi(doctor.tokens.get(), doctor.limiter.get());
  }
  return doctor.api.get();
}

ZoomApi* ZoomClient::DeletionApiFor(const std::string& doctor_id) {
  MutexLock lock(&doctors_mu_);
  DoctorApi& doctor = DoctorOf(doctor_id);
  if (doctor.deletion_api == nullptr) {
    doctor.deletion_tokens = user_tokens_->ForDeletions(doctor_id);
    doctor.deletion_api =
        MakeApi(doctor.deletion_tokens.get(), doctor.limiter.get());
  }
  return doctor.deletion_api.get();
}

RateLimiter* ZoomClient::LimiterFor(const std::string& doctor_id) {
  MutexLock lock(&doctors_mu_);
  return DoctorOf(doctor_id).limiter.get();
}

}  // namespace telemed
