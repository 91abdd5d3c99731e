#include "tls/certificate.h"

#include <arpa/inet.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include <cctype>
#include <memory>

#include "base/time_format.h"
#include "tls/mbedtls_owners.h"
#include "tls/random_callback.h"

namespace telemed {
namespace tls {

namespace {

// Room for one P-256 certificate or key in PEM, with many SANs.
constexpr size_t kPemBufferSize = 8192;
constexpr size_t kSerialBytes = 16;
// 9999-12-31T23:59:59Z: X.509 times have four year digits.
constexpr int64_t kLastX509Second = 253402300799;

// What a certificate is for: signing others (a CA) or serving TLS, signed
// by a CA (a leaf) or by its own key (self-signed).
enum class Kind { kCa, kLeaf, kSelfSigned };

struct GeneralName {
  int tag;            // context-specific [2] dNSName or [7] iPAddress
  std::string value;  // the name's text, or the address's bytes
};

Status SpecError(const std::string& why) {
  return Status::InvalidArgument("certificate_spec_invalid", why);
}

// A common name safe to embed in mbedTLS's "CN=..." string syntax.
bool IsPlainName(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != ' ' && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

// "YYYYMMDDhhmmss" in UTC, the form x509write_crt_set_validity takes. Made
// from the bridge's own calendar code, not gmtime_r: time_t is 32 bits on
// armhf, where a validity after 2038-01-19 would wrap to 1901.
std::string X509Time(int64_t unix_seconds) {
  std::string digits;
  for (char c : FormatRfc3339Utc(unix_seconds)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}

Status CheckSpec(const CertificateSpec& spec) {
  if (!IsPlainName(spec.common_name)) {
    return SpecError("common name must be letters, digits, space, . - _");
  }
  if (spec.not_before <= 0 || spec.not_after <= spec.not_before) {
    return SpecError("validity must be a non-empty span after 1970");
  }
  if (spec.not_after > kLastX509Second) {
    return SpecError("validity must end by 9999-12-31T23:59:59Z");
  }
  return Status::OK();
}

Status ToGeneralNames(const CertificateSpec& spec,
                      std::vector<GeneralName>* names) {
  for (const std::string& dns : spec.dns_names) {
    if (dns.empty()) return SpecError("empty DNS name");
    names->push_back(
        {MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_DNS_NAME, dns});
  }
  for (const std::string& ip : spec.ip_addresses) {
    unsigned char bytes[16];
    size_t length = inet_pton(AF_INET, ip.c_str(), bytes) == 1    ? 4
                    : inet_pton(AF_INET6, ip.c_str(), bytes) == 1 ? 16
                                                                  : 0;
    if (length == 0) return SpecError("not an IP address: " + ip);
    names->push_back(
        {MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_IP_ADDRESS,
         std::string(reinterpret_cast<char*>(bytes), length)});
  }
  if (names->empty()) return SpecError("a leaf needs a DNS name or an IP");
  return Status::OK();
}

// Puts a SEQUENCE header before the `length` bytes just written backwards
// to `*p`. Returns the whole length or an mbedTLS error.
int WrapInSequence(unsigned char** p, unsigned char* start, size_t length) {
  int ret = 0;
  MBEDTLS_ASN1_CHK_ADD(length, mbedtls_asn1_write_len(p, start, length));
  MBEDTLS_ASN1_CHK_ADD(
      length, mbedtls_asn1_write_tag(
                  p, start, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
  return static_cast<int>(length);
}

// Adds the `length` DER bytes at `der` (or the mbedTLS error `length` < 0
// that encoding them gave) as the non-critical extension `oid`.
Status AddExtension(const char* oid, size_t oid_size, const unsigned char* der,
                    int length, const char* what, MbedtlsX509WriteCrt* crt) {
  if (length < 0) return MbedtlsStatus(length, what);
  int ret = mbedtls_x509write_crt_set_extension(crt->get(), oid, oid_size,
                                                /*critical=*/0, der,
                                                static_cast<size_t>(length));
  return MbedtlsStatus(ret, what);
}

// DER of "SEQUENCE OF GeneralName", written backwards from `*p` as the
// asn1write functions do. Returns its length or an mbedTLS error.
int WriteSubjectAltNames(unsigned char** p, unsigned char* start,
                         const std::vector<GeneralName>& names) {
  int ret = 0;
  size_t length = 0;
  for (auto name = names.rbegin(); name != names.rend(); ++name) {
    MBEDTLS_ASN1_CHK_ADD(length, mbedtls_asn1_write_tagged_string(
                                     p, start, name->tag, name->value.data(),
                                     name->value.size()));
  }
  return WrapInSequence(p, start, length);
}

// DER of "SEQUENCE OF KeyPurposeId" holding serverAuth alone, written
// backwards from `*p`. Returns its length or an mbedTLS error.
int WriteServerAuthUsage(unsigned char** p, unsigned char* start) {
  int ret = 0;
  size_t length = 0;
  MBEDTLS_ASN1_CHK_ADD(length, mbedtls_asn1_write_oid(
                                   p, start, MBEDTLS_OID_SERVER_AUTH,
                                   MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)));
  return WrapInSequence(p, start, length);
}

// mbedTLS 2.28 has no setter for extendedKeyUsage either.
Status AddServerAuthUsage(MbedtlsX509WriteCrt* crt) {
  unsigned char buffer[32];
  unsigned char* p = buffer + sizeof(buffer);
  int length = WriteServerAuthUsage(&p, buffer);
  return AddExtension(MBEDTLS_OID_EXTENDED_KEY_USAGE,
                      MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), p,
                      length, "adding extendedKeyUsage", crt);
}

Status AddSubjectAltNames(const CertificateSpec& spec,
                          MbedtlsX509WriteCrt* crt) {
  std::vector<GeneralName> names;
  Status s = ToGeneralNames(spec, &names);
  if (!s.ok()) return s;
  std::vector<unsigned char> buffer(64);
  for (const GeneralName& name : names)
    buffer.resize(buffer.size() + name.value.size() + 8);
  unsigned char* end = buffer.data() + buffer.size();
  unsigned char* p = end;
  int length = WriteSubjectAltNames(&p, buffer.data(), names);
  return AddExtension(MBEDTLS_OID_SUBJECT_ALT_NAME,
                      MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), p, length,
                      "adding subjectAltName", crt);
}

Status GenerateKey(RandomSource* random, MbedtlsPk* key) {
  int ret =
      mbedtls_pk_setup(key->get(), mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (ret != 0) return MbedtlsStatus(ret, "preparing a key");
  ret =
      mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*key->get()),
                          FillFromRandomSource, random);
  return MbedtlsStatus(ret, "generating a P-256 key");
}

// A random positive serial, as RFC 5280 asks (unique per issuer).
Status SetSerial(RandomSource* random, MbedtlsX509WriteCrt* crt) {
  uint8_t bytes[kSerialBytes];
  Status s = random->Fill(bytes, sizeof(bytes));
  if (!s.ok()) return s;
  bytes[0] = static_cast<uint8_t>((bytes[0] & 0x7f) | 0x01);
  MbedtlsMpi serial;
  int ret = mbedtls_mpi_read_binary(serial.get(), bytes, sizeof(bytes));
  if (ret == 0)
    ret = mbedtls_x509write_crt_set_serial(crt->get(), serial.get());
  return MbedtlsStatus(ret, "setting the serial number");
}

// Names, validity and the extensions every certificate of ours carries.
Status DescribeCertificate(const CertificateSpec& spec, Kind kind,
                           const std::string& issuer_name,
                           MbedtlsX509WriteCrt* crt) {
  bool is_ca = kind == Kind::kCa;
  mbedtls_x509write_cert* c = crt->get();
  mbedtls_x509write_crt_set_version(c, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(c, MBEDTLS_MD_SHA256);
  int ret = mbedtls_x509write_crt_set_subject_name(
      c, ("CN=" + spec.common_name).c_str());
  if (ret == 0)
    ret = mbedtls_x509write_crt_set_issuer_name(c, issuer_name.c_str());
  if (ret == 0) {
    ret = mbedtls_x509write_crt_set_validity(
        c, X509Time(spec.not_before).c_str(), X509Time(spec.not_after).c_str());
  }
  if (ret == 0) ret = mbedtls_x509write_crt_set_basic_constraints(c, is_ca, 0);
  if (ret == 0) {
    ret = mbedtls_x509write_crt_set_key_usage(
        c, is_ca ? MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN
                 : MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
  }
  if (ret == 0) ret = mbedtls_x509write_crt_set_subject_key_identifier(c);
  if (ret == 0) ret = mbedtls_x509write_crt_set_authority_key_identifier(c);
  return MbedtlsStatus(ret, "describing the certificate");
}

Status WritePem(MbedtlsX509WriteCrt* crt, MbedtlsPk* key, RandomSource* random,
                CertificateAndKey* out) {
  std::vector<unsigned char> buffer(kPemBufferSize);
  int ret = mbedtls_x509write_crt_pem(crt->get(), buffer.data(), buffer.size(),
                                      FillFromRandomSource, random);
  if (ret != 0) return MbedtlsStatus(ret, "signing the certificate");
  out->cert_pem = reinterpret_cast<const char*>(buffer.data());
  ret = mbedtls_pk_write_key_pem(key->get(), buffer.data(), buffer.size());
  if (ret != 0) return MbedtlsStatus(ret, "writing the key");
  out->key_pem = reinterpret_cast<const char*>(buffer.data());
  return Status::OK();
}

// Makes a new key and a certificate for it, signed with `issuer_key` for a
// leaf and with the new key itself otherwise (issuer_key is then unused).
Status MakeCertificate(const CertificateSpec& spec, Kind kind,
                       const std::string& issuer_name, MbedtlsPk* issuer_key,
                       RandomSource* random, CertificateAndKey* out) {
  MbedtlsPk subject_key;
  MbedtlsX509WriteCrt crt;
  Status s = GenerateKey(random, &subject_key);
  if (!s.ok()) return s;
  mbedtls_x509write_crt_set_subject_key(crt.get(), subject_key.get());
  mbedtls_pk_context* signer =
      kind == Kind::kLeaf ? issuer_key->get() : subject_key.get();
  mbedtls_x509write_crt_set_issuer_key(crt.get(), signer);
  s = SetSerial(random, &crt);
  if (s.ok()) s = DescribeCertificate(spec, kind, issuer_name, &crt);
  if (s.ok() && kind != Kind::kCa) s = AddSubjectAltNames(spec, &crt);
  if (s.ok() && kind != Kind::kCa) s = AddServerAuthUsage(&crt);
  if (s.ok()) s = WritePem(&crt, &subject_key, random, out);
  return s;
}

// Parses the issuer's PEM pair; *name is its subject in mbedTLS's syntax.
Status LoadIssuer(const CertificateAndKey& issuer, MbedtlsPk* key,
                  std::string* name) {
  MbedtlsX509Crt cert;
  const auto* cert_pem =
      reinterpret_cast<const unsigned char*>(issuer.cert_pem.c_str());
  const auto* key_pem =
      reinterpret_cast<const unsigned char*>(issuer.key_pem.c_str());
  // PEM is parsed only with its terminating NUL counted.
  int ret =
      mbedtls_x509_crt_parse(cert.get(), cert_pem, issuer.cert_pem.size() + 1);
  if (ret == 0) {
    ret = mbedtls_pk_parse_key(key->get(), key_pem, issuer.key_pem.size() + 1,
                               nullptr, 0);
  }
  if (ret == 0) ret = mbedtls_pk_check_pair(&cert.get()->pk, key->get());
  if (ret != 0) return SpecError("issuer certificate or key unusable");
  char text[512];
  ret = mbedtls_x509_dn_gets(text, sizeof(text), &cert.get()->subject);
  if (ret < 0) return MbedtlsStatus(ret, "reading the issuer name");
  *name = text;
  return Status::OK();
}

}  // namespace

Status GenerateCa(const CertificateSpec& spec, RandomSource* random,
                  CertificateAndKey* out) {
  Status s = CheckSpec(spec);
  if (!s.ok()) return s;
  return MakeCertificate(spec, Kind::kCa, "CN=" + spec.common_name, nullptr,
                         random, out);
}

Status GenerateSelfSigned(const CertificateSpec& spec, RandomSource* random,
                          CertificateAndKey* out) {
  Status s = CheckSpec(spec);
  if (!s.ok()) return s;
  return MakeCertificate(spec, Kind::kSelfSigned, "CN=" + spec.common_name,
                         nullptr, random, out);
}

Status GenerateLeaf(const CertificateSpec& spec,
                    const CertificateAndKey& issuer, RandomSource* random,
                    CertificateAndKey* out) {
  Status s = CheckSpec(spec);
  if (!s.ok()) return s;
  MbedtlsPk issuer_key;
  std::string issuer_name;
  s = LoadIssuer(issuer, &issuer_key, &issuer_name);
  if (!s.ok()) return s;
  return MakeCertificate(spec, Kind::kLeaf, issuer_name, &issuer_key, random,
                         out);
}

}  // namespace tls
}  // namespace telemed
