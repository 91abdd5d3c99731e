#include "tls/certificate_inspect.h"

#include <CppUTest/TestHarness.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include <cstdio>
#include <memory>
#include <string>

#include "base/random.h"
#include "tls/certificate.h"
#include "tls/certificate_testdata.h"
#include "tls/mbedtls_owners.h"

namespace telemed {
namespace tls {
namespace {

// 2026-01-01T00:00:00Z and 2028-04-05T00:00:00Z.
constexpr int64_t kNotBefore = 1767225600;
constexpr int64_t kNotAfter = 1838505600;

// The fingerprint computed apart from the code under test: SHA-256 of the
// DER mbedTLS parsed, printed with printf.
std::string IndependentFingerprint(const std::string& pem) {
  MbedtlsX509Crt crt;
  LONGS_EQUAL(
      0, mbedtls_x509_crt_parse(
             crt.get(), reinterpret_cast<const unsigned char*>(pem.c_str()),
             pem.size() + 1));
  unsigned char digest[32];
  LONGS_EQUAL(
      0, mbedtls_sha256_ret(crt.get()->raw.p, crt.get()->raw.len, digest, 0));
  std::string text;
  for (unsigned char byte : digest) {
    char hex[4];
    snprintf(hex, sizeof(hex), "%s%02X", text.empty() ? "" : ":", byte);
    text += hex;
  }
  return text;
}

}  // namespace

TEST_GROUP(CertificateInspect) {
  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random_).ok());
    spec_.common_name = "clinic-box";
    spec_.not_before = kNotBefore;
    spec_.not_after = kNotAfter;
    spec_.dns_names = {"clinic-box", "clinic-box.local", "localhost"};
    spec_.ip_addresses = {"127.0.0.1", "192.0.2.7", "::1", "fd00::7"};
    Status s = GenerateSelfSigned(spec_, random_.get(), &own_);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  std::unique_ptr<RandomSource> random_;
  CertificateSpec spec_;
  CertificateAndKey own_;
};

TEST(CertificateInspect, ReadsWhatGenerateSelfSignedWrote) {
  CertificateInfo info;
  Status s = InspectCertificate(own_.cert_pem, &info);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  STRCMP_EQUAL("clinic-box", info.common_name.c_str());
  LONGS_EQUAL(kNotBefore, info.not_before);
  LONGS_EQUAL(kNotAfter, info.not_after);
  CHECK_TRUE(info.dns_names == spec_.dns_names);
  CHECK_TRUE(info.ip_addresses == spec_.ip_addresses);
  CHECK_FALSE(info.is_ca);
  CHECK_TRUE(info.server_usage);
  STRCMP_EQUAL("EC", info.key_type.c_str());
  LONGS_EQUAL(256, info.key_bits);
  LONGS_EQUAL(1, info.chain_length);
}

TEST(CertificateInspect, FingerprintIsSha256OfTheDerAsBrowsersShowIt) {
  CertificateInfo info;
  CHECK_TRUE(InspectCertificate(own_.cert_pem, &info).ok());
  // 32 bytes: 64 upper-case hex digits and 31 colons.
  LONGS_EQUAL(95, info.sha256_fingerprint.size());
  STRCMP_EQUAL(IndependentFingerprint(own_.cert_pem).c_str(),
               info.sha256_fingerprint.c_str());
  CHECK_TRUE(InspectCertificate(testdata::kRsa2048Cert, &info).ok());
  STRCMP_EQUAL(testdata::kRsa2048Fingerprint, info.sha256_fingerprint.c_str());
}

TEST(CertificateInspect, ReadsAnRsaCertificateMadeByOpenssl) {
  CertificateInfo info;
  CHECK_TRUE(InspectCertificate(testdata::kRsa2048Cert, &info).ok());
  STRCMP_EQUAL("clinic.example", info.common_name.c_str());
  STRCMP_EQUAL("RSA", info.key_type.c_str());
  LONGS_EQUAL(2048, info.key_bits);
  LONGS_EQUAL(testdata::kRsaNotBefore, info.not_before);
  LONGS_EQUAL(testdata::kRsaNotAfter, info.not_after);
  LONGS_EQUAL(1, info.ip_addresses.size());
  STRCMP_EQUAL("192.0.2.7", info.ip_addresses[0].c_str());
  CHECK_TRUE(info.server_usage);
}

TEST(CertificateInspect, ACaIsNoServerCertificate) {
  CertificateAndKey ca;
  CHECK_TRUE(GenerateCa(spec_, random_.get(), &ca).ok());
  CertificateInfo info;
  CHECK_TRUE(InspectCertificate(ca.cert_pem, &info).ok());
  CHECK_TRUE(info.is_ca);
  CHECK_FALSE(info.server_usage);
}

TEST(CertificateInspect, RefusesWhatIsNoCertificate) {
  CertificateInfo info;
  STRCMP_EQUAL("certificate_unreadable",
               InspectCertificate("", &info).reason().c_str());
  STRCMP_EQUAL("certificate_unreadable",
               InspectCertificate(own_.key_pem, &info).reason().c_str());
  std::string cut = own_.cert_pem.substr(0, own_.cert_pem.size() / 2) +
                    "\n-----END CERTIFICATE-----\n";
  STRCMP_EQUAL("certificate_unreadable",
               InspectCertificate(cut, &info).reason().c_str());
}

TEST(CertificateInspect,
     NormalizedChainKeepsCertificatesInOrderAndNothingElse) {
  std::string pasted = "Bag Attributes\n" + own_.cert_pem + own_.key_pem +
                       "junk\n" + testdata::kRsa2048Cert;
  std::string chain;
  Status s = NormalizeCertificateChain(pasted, &chain);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  STRCMP_EQUAL((own_.cert_pem + testdata::kRsa2048Cert).c_str(), chain.c_str());
  CertificateInfo info;
  CHECK_TRUE(InspectCertificate(chain, &info).ok());
  LONGS_EQUAL(2, info.chain_length);
  STRCMP_EQUAL("clinic-box", info.common_name.c_str());
}

TEST(CertificateInspect, KeyMatchesItsOwnCertificateOnly) {
  CHECK_TRUE(CheckKeyMatchesCertificate(own_.cert_pem, own_.key_pem).ok());
  CHECK_TRUE(
      CheckKeyMatchesCertificate(testdata::kRsa2048Cert, testdata::kRsa2048Key)
          .ok());
  CertificateAndKey other;
  CHECK_TRUE(GenerateSelfSigned(spec_, random_.get(), &other).ok());
  Status s = CheckKeyMatchesCertificate(own_.cert_pem, other.key_pem);
  STRCMP_EQUAL("key_mismatch", s.reason().c_str());
  STRCMP_EQUAL("the key does not match the certificate", s.message().c_str());
  STRCMP_EQUAL("key_mismatch",
               CheckKeyMatchesCertificate(own_.cert_pem, testdata::kRsa2048Key)
                   .reason()
                   .c_str());
}

TEST(CertificateInspect, SaysWhenTheKeyCannotBeRead) {
  STRCMP_EQUAL("key_unreadable",
               CheckKeyMatchesCertificate(own_.cert_pem, own_.cert_pem)
                   .reason()
                   .c_str());
  STRCMP_EQUAL("key_unreadable",
               CheckKeyMatchesCertificate(own_.cert_pem, "").reason().c_str());
  STRCMP_EQUAL("key_encrypted",
               CheckKeyMatchesCertificate(testdata::kRsa2048Cert,
                                          testdata::kRsa2048EncryptedKey)
                   .reason()
                   .c_str());
}

}  // namespace tls
}  // namespace telemed
