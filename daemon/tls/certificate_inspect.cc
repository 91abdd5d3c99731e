#include "tls/certificate_inspect.h"

#include <arpa/inet.h>
#include <mbedtls/asn1.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include <cstdio>
#include <cstring>

#include "base/random.h"
#include "tls/mbedtls_owners.h"

namespace telemed {
namespace tls {

namespace {

constexpr char kPemHeader[] = "-----BEGIN CERTIFICATE-----\n";
constexpr char kPemFooter[] = "-----END CERTIFICATE-----\n";

Status Unreadable(const std::string& why) {
  return Status::InvalidArgument("certificate_unreadable", why);
}

// Parses every certificate of `pem`; any that does not parse fails it all,
// so a chain is never quietly cut short.
Status ParseChain(const std::string& pem, MbedtlsX509Crt* chain) {
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Unreadable("no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  // PEM is parsed only with its terminating NUL counted.
  int ret = mbedtls_x509_crt_parse(
      chain->get(), reinterpret_cast<const unsigned char*>(pem.c_str()),
      pem.size() + 1);
  if (ret == 0) return Status::OK();
  char text[128];
  if (ret > 0) {
    snprintf(text, sizeof(text), "%d of its certificates cannot be read", ret);
  } else {
    mbedtls_strerror(ret, text, sizeof(text));
  }
  return Unreadable(std::string("the certificate cannot be read: ") + text);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), without time_t, which is 32 bits on armhf.
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t year_of_era = year - era * 400;
  int64_t day_of_year =
      (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int64_t UnixSeconds(const mbedtls_x509_time& t) {
  return DaysFromCivil(t.year, t.mon, t.day) * 86400 + t.hour * 3600 +
         t.min * 60 + t.sec;
}

std::string Fingerprint(const mbedtls_x509_buf& der) {
  unsigned char digest[32];
  mbedtls_sha256_ret(der.p, der.len, digest, /*is224=*/0);
  static const char kHex[] = "0123456789ABCDEF";
  std::string text;
  for (unsigned char byte : digest) {
    if (!text.empty()) text += ':';
    text += kHex[byte >> 4];
    text += kHex[byte & 0x0f];
  }
  return text;
}

std::string CommonName(const mbedtls_x509_name* name) {
  for (; name != nullptr; name = name->next) {
    if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &name->oid) == 0) {
      return std::string(reinterpret_cast<const char*>(name->val.p),
                         name->val.len);
    }
  }
  return "";
}

void ReadAltNames(const mbedtls_x509_crt& crt, CertificateInfo* out) {
  for (const mbedtls_x509_sequence* n = &crt.subject_alt_names;
       n != nullptr && n->buf.p != nullptr; n = n->next) {
    const char* bytes = reinterpret_cast<const char*>(n->buf.p);
    int tag = n->buf.tag & ~MBEDTLS_ASN1_CONTEXT_SPECIFIC;
    if (tag == MBEDTLS_X509_SAN_DNS_NAME) {
      out->dns_names.emplace_back(bytes, n->buf.len);
    } else if (tag == MBEDTLS_X509_SAN_IP_ADDRESS &&
               (n->buf.len == 4 || n->buf.len == 16)) {
      char text[INET6_ADDRSTRLEN];
      int family = n->buf.len == 4 ? AF_INET : AF_INET6;
      if (inet_ntop(family, n->buf.p, text, sizeof(text)) != nullptr) {
        out->ip_addresses.push_back(text);
      }
    }
  }
}

bool AllowsServerUse(const mbedtls_x509_crt& crt) {
  return mbedtls_x509_crt_check_extended_key_usage(
             &crt, MBEDTLS_OID_SERVER_AUTH,
             MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) == 0 &&
         mbedtls_x509_crt_check_key_usage(
             &crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) == 0;
}

void Describe(const mbedtls_x509_crt& crt, CertificateInfo* out) {
  *out = CertificateInfo();
  out->sha256_fingerprint = Fingerprint(crt.raw);
  out->not_before = UnixSeconds(crt.valid_from);
  out->not_after = UnixSeconds(crt.valid_to);
  out->common_name = CommonName(&crt.subject);
  ReadAltNames(crt, out);
  out->is_ca = crt.ca_istrue != 0;
  out->server_usage = AllowsServerUse(crt);
  out->key_type = mbedtls_pk_get_name(&crt.pk);
  if (out->key_type == "EC_DH" || out->key_type == "ECDSA")
    out->key_type = "EC";
  out->key_bits = mbedtls_pk_get_bitlen(&crt.pk);
  for (const mbedtls_x509_crt* c = &crt; c != nullptr; c = c->next) {
    ++out->chain_length;
  }
}

Status ParseKey(const std::string& key_pem, MbedtlsPk* key) {
  int ret = mbedtls_pk_parse_key(
      key->get(), reinterpret_cast<const unsigned char*>(key_pem.c_str()),
      key_pem.size() + 1, nullptr, 0);
  if (ret == 0) return Status::OK();
  if (ret == MBEDTLS_ERR_PK_PASSWORD_REQUIRED ||
      ret == MBEDTLS_ERR_PK_PASSWORD_MISMATCH) {
    return Status::InvalidArgument(
        "key_encrypted",
        "the key is protected by a passphrase: give it unencrypted (openssl "
        "pkey -in KEY -out PLAIN.key)");
  }
  return Status::InvalidArgument(
      "key_unreadable",
      "the key cannot be read (an unencrypted PEM private "
      "key, EC or RSA, is needed)");
}

}  // namespace

Status InspectCertificate(const std::string& pem, CertificateInfo* out) {
  MbedtlsX509Crt chain;
  Status s = ParseChain(pem, &chain);
  if (s.ok()) Describe(*chain.get(), out);
  return s;
}

Status NormalizeCertificateChain(const std::string& pem, std::string* out) {
  MbedtlsX509Crt chain;
  Status s = ParseChain(pem, &chain);
  if (!s.ok()) return s;
  out->clear();
  for (const mbedtls_x509_crt* c = chain.get(); c != nullptr; c = c->next) {
    // Base64 of the DER in 64-character lines, with header and footer.
    std::string buffer(c->raw.len * 4 / 3 + c->raw.len / 48 + 128, '\0');
    size_t length = 0;
    int ret = mbedtls_pem_write_buffer(
        kPemHeader, kPemFooter, c->raw.p, c->raw.len,
        reinterpret_cast<unsigned char*>(&buffer[0]), buffer.size(), &length);
    if (ret != 0) return MbedtlsStatus(ret, "writing a certificate as PEM");
    // `length` counts the terminating NUL.
    out->append(buffer.data(), length - 1);
  }
  return Status::OK();
}

Status CheckKeyMatchesCertificate(const std::string& cert_pem,
                                  const std::string& key_pem) {
  MbedtlsX509Crt chain;
  MbedtlsPk key;
  Status s = ParseChain(cert_pem, &chain);
  if (s.ok()) s = ParseKey(key_pem, &key);
  if (!s.ok()) return s;
  if (mbedtls_pk_check_pair(&chain.get()->pk, key.get()) == 0) {
    return Status::OK();
  }
  return Status::InvalidArgument("key_mismatch",
                                 "the key does not match the certificate");
}

}  // namespace tls
}  // namespace telemed
