// Reading certificates and keys someone else made: what a certificate says
// (fingerprint, validity, names, what it may be used for), whether a private
// key belongs to it, and a chain reduced to its certificates. The admin
// page shows and checks its certificate with these (web/web_certificate.h),
// whether the bridge made it or the clinic imported its own.
//
// Certificates are PEM, one or a chain (leaf first); keys are unencrypted
// PEM, EC or RSA (PKCS#1, SEC1 or PKCS#8).
#ifndef TELEMED_TLS_CERTIFICATE_INSPECT_H_
#define TELEMED_TLS_CERTIFICATE_INSPECT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {
namespace tls {

// What InspectCertificate reads from the first certificate of a PEM text.
struct CertificateInfo {
  // SHA-256 of the certificate's DER as upper-case hex bytes joined by ':'
  // ("3F:A0:..."), the form browsers show.
  std::string sha256_fingerprint;
  // Validity, seconds since the Unix epoch (UTC).
  int64_t not_before = 0;
  int64_t not_after = 0;
  std::string common_name;  // the subject's CN; "" when it has none
  // subjectAltName entries: DNS names, and IP addresses as text
  // ("192.0.2.7", "fd00::7").
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  bool is_ca = false;  // basicConstraints CA:TRUE
  // Usable by a TLS server with ECDHE suites: no extendedKeyUsage or one
  // allowing serverAuth, and no keyUsage or one allowing digitalSignature.
  bool server_usage = false;
  std::string key_type;  // "EC" or "RSA" (what mbedTLS names others)
  size_t key_bits = 0;
  size_t chain_length = 0;  // certificates in the PEM text, the leaf included
};

// Parses every certificate of `pem` and describes the first.
// InvalidArgument("certificate_unreadable") when `pem` holds no PEM
// certificate or one that does not parse.
Status InspectCertificate(const std::string& pem, CertificateInfo* out);

// The certificates of `pem` alone, each re-encoded as PEM, in their order:
// text around them (and a key pasted into the same file) is left out.
// Errors as InspectCertificate.
Status NormalizeCertificateChain(const std::string& pem, std::string* out);

// OK when `key_pem` is the private key of the first certificate of
// `cert_pem`. InvalidArgument with reason "certificate_unreadable",
// "key_unreadable", "key_encrypted" (a passphrase protects it) or
// "key_mismatch", each with a message saying so in plain words.
Status CheckKeyMatchesCertificate(const std::string& cert_pem,
                                  const std::string& key_pem);

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_CERTIFICATE_INSPECT_H_
