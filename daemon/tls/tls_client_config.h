// TlsClientConfig: what every outgoing TLS connection shares: the trusted
// CAs, TLS 1.2 as the minimum, required certificate verification, and the
// random source. One instance serves any number of TlsClients.
//
// The trusted CAs are the system bundle or one CA file, loaded when first
// needed, not at construction: a daemon that never calls out never pays
// for parsing ~140 certificates.
#ifndef TELEMED_TLS_TLS_CLIENT_CONFIG_H_
#define TELEMED_TLS_TLS_CLIENT_CONFIG_H_

#include <memory>
#include <string>

#include "base/mutex.h"
#include "base/random.h"
#include "base/status.h"
#include "tls/mbedtls_owners.h"

namespace telemed {
namespace tls {

class TlsClientConfig final {
 public:
  // Debian's bundle of the system's trusted CAs (package ca-certificates).
  static constexpr const char* kSystemBundle =
      "/etc/ssl/certs/ca-certificates.crt";

  struct Options {
    // PEM file of trusted CAs; empty means kSystemBundle.
    std::string ca_file;
    // PEM text of trusted CAs (the CA stored with the Zoom app); when not
    // empty it is used instead of any file, and ca_file names it in
    // messages.
    std::string ca_pem;
    // Borrowed, must outlive the config; null opens an own RealRandom.
    RandomSource* random = nullptr;
  };

  // Does not touch the CA file yet (see Prepare).
  static Status Open(const Options& options,
                     std::unique_ptr<TlsClientConfig>* out);
  ~TlsClientConfig();
  TlsClientConfig(const TlsClientConfig&) = delete;
  TlsClientConfig& operator=(const TlsClientConfig&) = delete;

  // Loads the trusted CAs on the first successful call and points *out at
  // the finished, read-only settings, valid for this object's lifetime.
  // A failed load is retried by the next call (the admin may fix the file).
  // Unavailable("tls_ca_unusable") when no certificate could be loaded.
  // Thread-safe.
  Status Prepare(const mbedtls_ssl_config** out) EXCLUDES(mu_);
  // Certificates loaded by the last successful Prepare (0 before it). A
  // partly parsable bundle loads what it can, so this counts what did.
  size_t ca_count() EXCLUDES(mu_);
  const std::string& ca_file() const { return ca_file_; }

 private:
  explicit TlsClientConfig(const Options& options);
  Status LoadCas() REQUIRES(mu_);

  const std::string ca_file_;
  const std::string ca_pem_;
  std::unique_ptr<RandomSource> own_random_;
  RandomSource* random_;

  Mutex mu_;
  bool ready_ GUARDED_BY(mu_) = false;
  size_t ca_count_ GUARDED_BY(mu_) = 0;
  // Replaced whole when a failed load is retried.
  std::unique_ptr<MbedtlsX509Crt> cas_ GUARDED_BY(mu_);
  MbedtlsSslConfig config_ GUARDED_BY(mu_);
};

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_TLS_CLIENT_CONFIG_H_
