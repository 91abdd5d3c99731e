#include "tls/tls_client_config.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "support/temp_dir.h"
#include "support/tls_test_server.h"

namespace telemed {
namespace tls {

TEST_GROUP(TlsClientConfig) {
  std::unique_ptr<TlsClientConfig> Open(const std::string& ca_file) {
    TlsClientConfig::Options options;
    options.ca_file = ca_file;
    std::unique_ptr<TlsClientConfig> config;
    Status s = TlsClientConfig::Open(options, &config);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    return config;
  }
  test::TempDir dir_;
};

TEST(TlsClientConfig, LoadsSystemBundleOnFirstUse) {
  auto config = Open("");
  STRCMP_EQUAL("/etc/ssl/certs/ca-certificates.crt", config->ca_file().c_str());
  LONGS_EQUAL(0, config->ca_count());
  const mbedtls_ssl_config* conf = nullptr;
  Status s = config->Prepare(&conf);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(conf != nullptr);
  CHECK_TRUE(config->ca_count() > 100);
}

TEST(TlsClientConfig, CountsWhatLoadedFromPartlyBrokenBundle) {
  std::string bundle = dir_.File("bundle.pem");
  std::string broken =
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
      "-----END CERTIFICATE-----\n";
  test::TlsTestServer::WriteFile(
      bundle, test::TlsTestServer::MakeCa("One").cert_pem + broken +
                  test::TlsTestServer::MakeCa("Two").cert_pem);
  auto config = Open(bundle);
  const mbedtls_ssl_config* conf = nullptr;
  Status s = config->Prepare(&conf);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(2, config->ca_count());
}

TEST(TlsClientConfig, ReportsMissingCaFileAndRetriesLater) {
  std::string path = dir_.File("later.pem");
  auto config = Open(path);
  const mbedtls_ssl_config* conf = nullptr;
  Status s = config->Prepare(&conf);
  CHECK_TRUE(s.code() == Status::Code::kUnavailable);
  STRCMP_EQUAL("tls_ca_unusable", s.reason().c_str());
  CHECK_TRUE(s.message().find(path) != std::string::npos);
  test::TlsTestServer::WriteFile(path,
                                 test::TlsTestServer::MakeCa("CA").cert_pem);
  s = config->Prepare(&conf);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  LONGS_EQUAL(1, config->ca_count());
}

TEST(TlsClientConfig, RefusesFileWithoutCertificates) {
  std::string path = dir_.File("empty.pem");
  test::TlsTestServer::WriteFile(path, "no certificates here\n");
  const mbedtls_ssl_config* conf = nullptr;
  STRCMP_EQUAL("tls_ca_unusable", Open(path)->Prepare(&conf).reason().c_str());
}

}  // namespace tls
}  // namespace telemed
