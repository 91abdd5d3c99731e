#include "tls/certificate.h"

#include <CppUTest/TestHarness.h>
#include <arpa/inet.h>
#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include <cstring>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "tls/certificate_inspect.h"
#include "tls/mbedtls_owners.h"

namespace telemed {
namespace tls {
namespace {

void Parse(const std::string& pem, MbedtlsX509Crt* crt) {
  int ret = mbedtls_x509_crt_parse(
      crt->get(), reinterpret_cast<const unsigned char*>(pem.c_str()),
      pem.size() + 1);
  LONGS_EQUAL(0, ret);
}

bool HasIpSan(const mbedtls_x509_crt& crt, const char* ip) {
  unsigned char bytes[4];
  inet_pton(AF_INET, ip, bytes);
  for (const mbedtls_x509_sequence* n = &crt.subject_alt_names; n != nullptr;
       n = n->next) {
    if (n->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && n->buf.len == 4 &&
        memcmp(n->buf.p, bytes, 4) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_GROUP(Certificate) {
  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random_).ok());
    int64_t now = RealClock().NowSeconds();
    spec_.common_name = "Test CA";
    spec_.not_before = now - 60;
    spec_.not_after = now + 3600;
    CHECK_TRUE(GenerateCa(spec_, random_.get(), &ca_).ok());
    spec_.common_name = "leaf";
  }
  // Verifies `leaf_pem` against the CA for `name` (nullptr: no name).
  uint32_t Verify(const std::string& leaf_pem, const char* name) {
    MbedtlsX509Crt ca, leaf;
    Parse(ca_.cert_pem, &ca);
    Parse(leaf_pem, &leaf);
    uint32_t flags = 0;
    mbedtls_x509_crt_verify(leaf.get(), ca.get(), nullptr, name, &flags,
                            nullptr, nullptr);
    return flags;
  }
  std::unique_ptr<RandomSource> random_;
  CertificateSpec spec_;
  CertificateAndKey ca_;
};

TEST(Certificate, LeafChainsToItsCaAndNamesItsDnsNames) {
  spec_.dns_names = {"localhost", "bridge.lan"};
  CertificateAndKey leaf;
  Status s = GenerateLeaf(spec_, ca_, random_.get(), &leaf);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(0, Verify(leaf.cert_pem, "bridge.lan"));
  LONGS_EQUAL(0, Verify(leaf.cert_pem, "localhost"));
  CHECK_TRUE(Verify(leaf.cert_pem, "other.lan") &
             MBEDTLS_X509_BADCERT_CN_MISMATCH);
  CHECK_TRUE(leaf.key_pem.find("PRIVATE KEY") != std::string::npos);
}

TEST(Certificate, LeafCarriesIpAddressSans) {
  spec_.ip_addresses = {"127.0.0.1", "::1"};
  CertificateAndKey leaf;
  CHECK_TRUE(GenerateLeaf(spec_, ca_, random_.get(), &leaf).ok());
  MbedtlsX509Crt crt;
  Parse(leaf.cert_pem, &crt);
  CHECK_TRUE(HasIpSan(*crt.get(), "127.0.0.1"));
  CHECK_FALSE(HasIpSan(*crt.get(), "127.0.0.2"));
}

TEST(Certificate, LeafOfAnotherCaDoesNotVerify) {
  CertificateAndKey other_ca, leaf;
  CHECK_TRUE(GenerateCa(spec_, random_.get(), &other_ca).ok());
  spec_.dns_names = {"localhost"};
  CHECK_TRUE(GenerateLeaf(spec_, other_ca, random_.get(), &leaf).ok());
  CHECK_TRUE(Verify(leaf.cert_pem, "localhost") &
             MBEDTLS_X509_BADCERT_NOT_TRUSTED);
}

TEST(Certificate, RefusesSpecsItCannotEncode) {
  CertificateAndKey leaf;
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateLeaf(spec_, ca_, random_.get(), &leaf).reason().c_str());
  spec_.ip_addresses = {"300.1.1.1"};
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateLeaf(spec_, ca_, random_.get(), &leaf).reason().c_str());
  spec_.ip_addresses = {"127.0.0.1"};
  spec_.common_name = "a,CN=b";
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateLeaf(spec_, ca_, random_.get(), &leaf).reason().c_str());
  spec_.common_name = "leaf";
  spec_.not_after = spec_.not_before;
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateLeaf(spec_, ca_, random_.get(), &leaf).reason().c_str());
}

// time_t is 32 bits on armhf: a validity computed through it would end in
// 1901 there (./dev.sh cross armhf runs this group).
TEST(Certificate, ValidityAfter2038EndsOnTheRightDay) {
  spec_.dns_names = {"localhost"};
  spec_.not_after = 4102444799;  // 2099-12-31T23:59:59Z
  CertificateAndKey leaf;
  Status s = GenerateLeaf(spec_, ca_, random_.get(), &leaf);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  MbedtlsX509Crt crt;
  Parse(leaf.cert_pem, &crt);
  const mbedtls_x509_time& end = crt.get()->valid_to;
  LONGS_EQUAL(2099, end.year);
  LONGS_EQUAL(12, end.mon);
  LONGS_EQUAL(31, end.day);
  LONGS_EQUAL(23, end.hour);
  LONGS_EQUAL(59, end.min);
  LONGS_EQUAL(59, end.sec);
}

TEST(Certificate, RefusesValidityPastYear9999) {
  spec_.dns_names = {"localhost"};
  spec_.not_after = 253402300800;  // 10000-01-01T00:00:00Z
  CertificateAndKey leaf;
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateLeaf(spec_, ca_, random_.get(), &leaf).reason().c_str());
}

TEST(Certificate, RefusesIssuerWhoseKeyDoesNotMatch) {
  CertificateAndKey other_ca, leaf;
  CHECK_TRUE(GenerateCa(spec_, random_.get(), &other_ca).ok());
  ca_.key_pem = other_ca.key_pem;
  spec_.dns_names = {"localhost"};
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateLeaf(spec_, ca_, random_.get(), &leaf).reason().c_str());
}

TEST(Certificate, SelfSignedServerCertificateVerifiesAgainstItself) {
  spec_.common_name = "clinic-box";
  spec_.dns_names = {"clinic-box", "clinic-box.local", "localhost"};
  spec_.ip_addresses = {"127.0.0.1", "192.0.2.7", "::1"};
  CertificateAndKey own;
  Status s = GenerateSelfSigned(spec_, random_.get(), &own);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  MbedtlsX509Crt crt;
  Parse(own.cert_pem, &crt);
  uint32_t flags = 0;
  mbedtls_x509_crt_verify(crt.get(), crt.get(), nullptr, "clinic-box.local",
                          &flags, nullptr, nullptr);
  LONGS_EQUAL(0, flags);
  CHECK_TRUE(HasIpSan(*crt.get(), "192.0.2.7"));
  CHECK_TRUE(CheckKeyMatchesCertificate(own.cert_pem, own.key_pem).ok());
}

// A browser refuses a server certificate that is a CA or lacks serverAuth.
TEST(Certificate, SelfSignedIsAServerCertificateNotACa) {
  spec_.dns_names = {"localhost"};
  CertificateAndKey own;
  CHECK_TRUE(GenerateSelfSigned(spec_, random_.get(), &own).ok());
  MbedtlsX509Crt crt;
  Parse(own.cert_pem, &crt);
  LONGS_EQUAL(0, crt.get()->ca_istrue);
  LONGS_EQUAL(0, mbedtls_x509_crt_check_extended_key_usage(
                     crt.get(), MBEDTLS_OID_SERVER_AUTH,
                     MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)));
  CHECK_TRUE(mbedtls_x509_crt_check_extended_key_usage(
                 crt.get(), MBEDTLS_OID_CLIENT_AUTH,
                 MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0);
  LONGS_EQUAL(0, mbedtls_x509_crt_check_key_usage(
                     crt.get(), MBEDTLS_X509_KU_DIGITAL_SIGNATURE));
  CHECK_TRUE(mbedtls_x509_crt_check_key_usage(
                 crt.get(), MBEDTLS_X509_KU_KEY_CERT_SIGN) != 0);
}

TEST(Certificate, SelfSignedRefusesSpecsItCannotEncode) {
  CertificateAndKey own;
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateSelfSigned(spec_, random_.get(), &own).reason().c_str());
  spec_.dns_names = {"localhost"};
  spec_.common_name = "";
  STRCMP_EQUAL("certificate_spec_invalid",
               GenerateSelfSigned(spec_, random_.get(), &own).reason().c_str());
}

}  // namespace tls
}  // namespace telemed
