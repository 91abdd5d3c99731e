#include "tls/server_tls_config.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "support/tls_test_server.h"

namespace telemed {
namespace tls {

using test::TlsTestServer;

TEST_GROUP(ServerTlsConfig) {
  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random_).ok());
    ca_ = TlsTestServer::MakeCa("CA");
    other_ = TlsTestServer::MakeCa("Other");
  }
  Status Open(const std::string& cert, const std::string& key) {
    std::shared_ptr<const ServerTlsConfig> config;
    Status s = ServerTlsConfig::Open(cert, key, random_.get(), &config);
    CHECK_EQUAL(s.ok(), config != nullptr);
    return s;
  }
  std::unique_ptr<RandomSource> random_;
  CertificateAndKey ca_, other_;
};

TEST(ServerTlsConfig, AcceptsMatchingCertificateAndKey) {
  Status s = Open(ca_.cert_pem, ca_.key_pem);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  // A chain: the certificate, then the issuer's.
  s = Open(ca_.cert_pem + other_.cert_pem, ca_.key_pem);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(ServerTlsConfig, RefusesKeyOfAnotherCertificate) {
  STRCMP_EQUAL("tls_credentials_invalid",
               Open(ca_.cert_pem, other_.key_pem).reason().c_str());
}

TEST(ServerTlsConfig, RefusesUnparsablePem) {
  STRCMP_EQUAL("tls_credentials_invalid",
               Open("not pem", ca_.key_pem).reason().c_str());
  STRCMP_EQUAL("tls_credentials_invalid",
               Open(ca_.cert_pem, "not pem").reason().c_str());
  STRCMP_EQUAL("tls_credentials_invalid", Open("", "").reason().c_str());
}

}  // namespace tls
}  // namespace telemed
