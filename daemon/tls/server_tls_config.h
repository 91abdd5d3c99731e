// ServerTlsConfig: the certificate, key and TLS settings a TLS listener
// hands to every connection it accepts.
//
// Immutable once Open returns, and shared: each connection keeps a
// shared_ptr while it lives, so a listener can switch to a renewed or
// imported certificate for new connections while older ones finish on the
// old one. TLS 1.2 only (mbedTLS 2.28 has no 1.3), ECDHE key exchange with
// AES-GCM or ChaCha20-Poly1305, for ECDSA and RSA keys. Debian builds
// mbedTLS with MBEDTLS_THREADING_C, so one read-only mbedtls_ssl_config
// serves every thread's sessions (checked at compile time).
#ifndef TELEMED_TLS_SERVER_TLS_CONFIG_H_
#define TELEMED_TLS_SERVER_TLS_CONFIG_H_

#include <memory>
#include <string>

#include "base/random.h"
#include "base/status.h"
#include "tls/mbedtls_owners.h"

namespace telemed {
namespace tls {

class ServerTlsConfig final {
 public:
  // `cert_chain_pem`: our certificate first, then any intermediates;
  // `key_pem`: its unencrypted private key. `random` is borrowed and must
  // outlive every copy of *out and every session made from it. Errors:
  // InvalidArgument("tls_credentials_invalid") for unparsable PEM or a key
  // that does not match the certificate.
  static Status Open(const std::string& cert_chain_pem,
                     const std::string& key_pem, RandomSource* random,
                     std::shared_ptr<const ServerTlsConfig>* out);
  ServerTlsConfig(const ServerTlsConfig&) = delete;
  ServerTlsConfig& operator=(const ServerTlsConfig&) = delete;

  // For mbedtls_ssl_setup; valid while this object lives.
  const mbedtls_ssl_config* ssl_config() const { return config_.get(); }

 private:
  ServerTlsConfig() = default;
  Status Load(const std::string& cert_chain_pem, const std::string& key_pem);
  Status Configure(RandomSource* random);

  MbedtlsX509Crt chain_;
  MbedtlsPk key_;
  MbedtlsSslConfig config_;
};

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_SERVER_TLS_CONFIG_H_
