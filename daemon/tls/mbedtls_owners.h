// One small owner per mbedTLS context the TLS layer uses.
//
// mbedTLS contexts are plain C structs with an init/free pair and interior
// pointers, so they must neither be copied nor moved once initialised. Each
// owner initialises its context in the constructor, frees it in the
// destructor, and hands out a pointer with get(). Copy and move are deleted;
// hold an owner in a std::unique_ptr (or as a member) to pass it around.
#ifndef TELEMED_TLS_MBEDTLS_OWNERS_H_
#define TELEMED_TLS_MBEDTLS_OWNERS_H_

#include <mbedtls/bignum.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

namespace telemed {
namespace tls {

// Defines an owner class `Name` for `Type` with `init` and `free`.
#define TELEMED_MBEDTLS_OWNER(Name, Type, init, free) \
  class Name final {                                  \
   public:                                            \
    Name() { init(&ctx_); }                           \
    ~Name() { free(&ctx_); }                          \
    Name(const Name&) = delete;                       \
    Name& operator=(const Name&) = delete;            \
    Type* get() { return &ctx_; }                     \
    const Type* get() const { return &ctx_; }         \
                                                      \
   private:                                           \
    Type ctx_;                                        \
  }

// One TLS session (per connection).
TELEMED_MBEDTLS_OWNER(MbedtlsSsl, mbedtls_ssl_context, mbedtls_ssl_init,
                      mbedtls_ssl_free);
// Settings shared read-only by many sessions once set up.
TELEMED_MBEDTLS_OWNER(MbedtlsSslConfig, mbedtls_ssl_config,
                      mbedtls_ssl_config_init, mbedtls_ssl_config_free);
// A chain of parsed certificates (a CA bundle or our own chain).
TELEMED_MBEDTLS_OWNER(MbedtlsX509Crt, mbedtls_x509_crt, mbedtls_x509_crt_init,
                      mbedtls_x509_crt_free);
// A public or private key.
TELEMED_MBEDTLS_OWNER(MbedtlsPk, mbedtls_pk_context, mbedtls_pk_init,
                      mbedtls_pk_free);
// A certificate being written (certificate generation).
TELEMED_MBEDTLS_OWNER(MbedtlsX509WriteCrt, mbedtls_x509write_cert,
                      mbedtls_x509write_crt_init, mbedtls_x509write_crt_free);
// A big number (certificate serials).
TELEMED_MBEDTLS_OWNER(MbedtlsMpi, mbedtls_mpi, mbedtls_mpi_init,
                      mbedtls_mpi_free);

#undef TELEMED_MBEDTLS_OWNER

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_MBEDTLS_OWNERS_H_
