#include "tls/tls_client_config.h"

#include <mbedtls/ssl.h>

#include "tls/random_callback.h"
#include "tls/tls_session.h"

namespace telemed {
namespace tls {

namespace {

size_t CountCertificates(const mbedtls_x509_crt* chain) {
  size_t count = 0;
  // An empty chain is one zeroed entry; parsed entries carry their DER.
  for (; chain != nullptr && chain->raw.len > 0; chain = chain->next) ++count;
  return count;
}

}  // namespace

TlsClientConfig::TlsClientConfig(const Options& options)
    : ca_file_(options.ca_file.empty() ? kSystemBundle : options.ca_file),
      ca_pem_(options.ca_pem),
      random_(options.random) {}

TlsClientConfig::~TlsClientConfig() = default;

Status TlsClientConfig::Open(const Options& options,
                             std::unique_ptr<TlsClientConfig>* out) {
  std::unique_ptr<TlsClientConfig> config(new TlsClientConfig(options));
  if (config->random_ == nullptr) {
    Status s = RealRandom::Open(&config->own_random_);
    if (!s.ok()) return s;
    config->random_ = config->own_random_.get();
  }
  MutexLock lock(&config->mu_);
  mbedtls_ssl_config* conf = config->config_.get();
  int ret = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT,
                                        MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return MbedtlsStatus(ret, "preparing TLS client settings");
  mbedtls_ssl_conf_rng(conf, FillFromRandomSource, config->random_);
  // mbedTLS 2.28's client would accept TLS 1.0 by default.
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                               MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  *out = std::move(config);
  return Status::OK();
}

Status TlsClientConfig::Prepare(const mbedtls_ssl_config** out) {
  MutexLock lock(&mu_);
  if (!ready_) {
    Status s = LoadCas();
    if (!s.ok()) return s;
    ready_ = true;
  }
  *out = config_.get();
  return Status::OK();
}

size_t TlsClientConfig::ca_count() {
  MutexLock lock(&mu_);
  return ca_count_;
}

Status TlsClientConfig::LoadCas() {
  auto cas = std::make_unique<MbedtlsX509Crt>();
  // A positive result counts the certificates that failed to parse; the
  // rest loaded and are usable, so only a negative one is fatal.
  // mbedtls_x509_crt_parse wants PEM text with its terminating NUL counted.
  int ret = ca_pem_.empty()
                ? mbedtls_x509_crt_parse_file(cas->get(), ca_file_.c_str())
                : mbedtls_x509_crt_parse(
                      cas->get(),
                      reinterpret_cast<const unsigned char*>(ca_pem_.c_str()),
                      ca_pem_.size() + 1);
  size_t count = CountCertificates(cas->get());
  if (ret < 0 || count == 0) {
    std::string why = ret < 0 ? MbedtlsErrorText(ret, "parsing")
                              : "no certificate in it could be parsed";
    return Status::Unavailable(
        "tls_ca_unusable",
        "cannot load trusted CAs from " + ca_file_ + ": " + why);
  }
  mbedtls_ssl_conf_ca_chain(config_.get(), cas->get(), nullptr);
  cas_ = std::move(cas);
  ca_count_ = count;
  return Status::OK();
}

}  // namespace tls
}  // namespace telemed
