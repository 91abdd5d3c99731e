// Certificate generation: a private CA and leaf certificates it signs, and
// self-signed server certificates, as PEM. Tests use a throwaway CA per run
// (the fake Zoom, the TLS loop's tests); the LAN admin page serves HTTPS with
// a self-signed certificate (web/web_certificate.h), checked by its
// fingerprint on the first visit since no public CA vouches for it.
//
// Server certificates (leaf and self-signed) carry extendedKeyUsage
// serverAuth and keyUsage digitalSignature, which browsers require.
//
// Keys are ECDSA P-256 and signatures SHA-256. mbedTLS 2.28 has no setter
// for subjectAltName, without which clients cannot verify a host name, so
// the extension is DER-encoded here (docs/library-notes.md).
#ifndef TELEMED_TLS_CERTIFICATE_H_
#define TELEMED_TLS_CERTIFICATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/status.h"

namespace telemed {
namespace tls {

struct CertificateAndKey {
  std::string cert_pem;
  std::string key_pem;  // unencrypted PKCS#1/SEC1 PEM
};

struct CertificateSpec {
  std::string common_name;
  // Validity, seconds since the Unix epoch (UTC). The caller reads its
  // clock; a little slack before "now" tolerates peers' clock skew.
  int64_t not_before = 0;
  int64_t not_after = 0;
  // subjectAltName entries (leaf only): DNS names, and IPv4 or IPv6
  // literals such as "127.0.0.1" or "::1".
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};

// A self-signed CA certificate (basicConstraints CA:TRUE, pathlen 0) and
// its new key. InvalidArgument("certificate_spec_invalid") for an empty
// name or validity, or one ending after 9999; Internal for mbedTLS failures.
Status GenerateCa(const CertificateSpec& spec, RandomSource* random,
                  CertificateAndKey* out);

// A server certificate for `spec`'s names, signed by `issuer` (from
// GenerateCa), and its new key. InvalidArgument("certificate_spec_invalid")
// also for a malformed IP address or no name at all.
Status GenerateLeaf(const CertificateSpec& spec,
                    const CertificateAndKey& issuer, RandomSource* random,
                    CertificateAndKey* out);

// A self-signed server certificate (basicConstraints CA:FALSE, so it cannot
// sign others) for `spec`'s names, and its new key. Errors as GenerateLeaf.
Status GenerateSelfSigned(const CertificateSpec& spec, RandomSource* random,
                          CertificateAndKey* out);

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_CERTIFICATE_H_
