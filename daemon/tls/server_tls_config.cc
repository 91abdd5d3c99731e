#include "tls/server_tls_config.h"

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "tls/random_callback.h"
#include "tls/tls_session.h"

#if !defined(MBEDTLS_THREADING_C)
#error "ServerTlsConfig shares one mbedtls_ssl_config across threads"
#endif

namespace telemed {
namespace tls {

namespace {

// Forward secrecy and an AEAD cipher only; mbedTLS keeps a pointer to this
// list, so it lives for the program.
const int kCipherSuites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

// The key exchange's curves, cheapest first: the server picks the first of
// these the client offers, and mbedTLS's default order (largest first) made
// browsers pay for P-384 or P-521 (2.8 and 3.7 ms of the box's CPU per
// handshake against 2.1 for P-256: bench/RESULTS.md).
const mbedtls_ecp_group_id kCurves[] = {
    MBEDTLS_ECP_DP_CURVE25519,
    MBEDTLS_ECP_DP_SECP256R1,
    MBEDTLS_ECP_DP_SECP384R1,
    MBEDTLS_ECP_DP_NONE,
};

Status CredentialsError(int ret, const std::string& what) {
  return Status::InvalidArgument("tls_credentials_invalid",
                                 MbedtlsErrorText(ret, what));
}

// mbedTLS parses PEM only with its terminating NUL counted in the length.
const unsigned char* PemBytes(const std::string& pem) {
  return reinterpret_cast<const unsigned char*>(pem.c_str());
}

}  // namespace

Status ServerTlsConfig::Open(const std::string& cert_chain_pem,
                             const std::string& key_pem, RandomSource* random,
                             std::shared_ptr<const ServerTlsConfig>* out) {
  std::shared_ptr<ServerTlsConfig> config(new ServerTlsConfig());
  Status s = config->Load(cert_chain_pem, key_pem);
  if (s.ok()) s = config->Configure(random);
  if (!s.ok()) return s;
  *out = std::move(config);
  return Status::OK();
}

Status ServerTlsConfig::Load(const std::string& cert_chain_pem,
                             const std::string& key_pem) {
  int ret = mbedtls_x509_crt_parse(chain_.get(), PemBytes(cert_chain_pem),
                                   cert_chain_pem.size() + 1);
  if (ret != 0) return CredentialsError(ret, "loading the certificate chain");
  ret = mbedtls_pk_parse_key(key_.get(), PemBytes(key_pem), key_pem.size() + 1,
                             nullptr, 0);
  if (ret != 0) return CredentialsError(ret, "loading the private key");
  ret = mbedtls_pk_check_pair(&chain_.get()->pk, key_.get());
  if (ret != 0) return CredentialsError(ret, "matching key and certificate");
  return Status::OK();
}

Status ServerTlsConfig::Configure(RandomSource* random) {
  mbedtls_ssl_config* conf = config_.get();
  int ret = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_SERVER,
                                        MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return MbedtlsStatus(ret, "preparing TLS server settings");
  mbedtls_ssl_conf_rng(conf, FillFromRandomSource, random);
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                               MBEDTLS_SSL_MINOR_VERSION_3);  // TLS 1.2
  mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                               MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_ciphersuites(conf, kCipherSuites);
  mbedtls_ssl_conf_curves(conf, kCurves);
  ret = mbedtls_ssl_conf_own_cert(conf, chain_.get(), key_.get());
  if (ret != 0) return MbedtlsStatus(ret, "installing the certificate");
  return Status::OK();
}

}  // namespace tls
}  // namespace telemed
