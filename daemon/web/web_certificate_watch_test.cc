#include "web/web_certificate_watch.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "base/log.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "store/testutil.h"
#include "tls/certificate.h"
#include "tls/certificate_testdata.h"

namespace telemed {
namespace web {
namespace {

constexpr int64_t kDay = 86400;

size_t CountLines(const CapturingLogger& logger, const std::string& needle) {
  size_t n = 0;
  for (const std::string& line : logger.Lines()) {
    if (line.find(needle) != std::string::npos) ++n;
  }
  return n;
}

}  // namespace

TEST_GROUP_BASE(CertificateWatch, test::StoreFixture) {
  CapturingLogger logger;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<SecretKey> key;
  std::unique_ptr<SecretBox> box;
  HostNames names;
  WebCertificateDeps deps;
  WebCertificate in_use;
  // What `use` was handed: fingerprint and source of each certificate.
  std::vector<std::string> used;
  Status use_result;
  std::unique_ptr<CertificateWatch> watch;

  void setup() override {
    test::StoreFixture::setup();
    CHECK_TRUE(RealRandom::Open(&random).ok());
    uint8_t bytes[SecretKey::kSize] = {7};
    key = SecretKey::FromBytes(bytes);
    box = std::make_unique<SecretBox>(key.get(), random.get());
    names.host_name = "clinic-box";
    names.addresses = {"127.0.0.1"};
    deps = {store.get(), box.get(), &clock, random.get()};
    bool created = false;
    CHECK_TRUE(LoadOrCreate(deps, names, &in_use, &created).ok());
    StartWatch();
  }
  void teardown() override {
    watch.reset();
    test::StoreFixture::teardown();
  }
  void StartWatch() {
    CertificateWatch::Options options;
    options.deps = deps;
    options.names = names;
    options.logger = &logger;
    options.use = [this](const WebCertificate& cert) {
      CHECK_TRUE(
          tls::CheckKeyMatchesCertificate(cert.chain_pem, cert.key_pem).ok());
      if (use_result.ok()) {
        used.push_back(cert.info.sha256_fingerprint +
                       (cert.imported ? " imported" : " generated"));
      }
      return use_result;
    };
    watch = std::make_unique<CertificateWatch>(options, in_use);
  }
  WebCertificate RenewNow() {
    WebCertificate renewed;
    CHECK_TRUE(Renew(deps, names, &renewed).ok());
    return renewed;
  }
  WebCertificate ImportValidUntil(int64_t until) {
    tls::CertificateAndKey made;
    int64_t now = clock.NowSeconds();
    CHECK_TRUE(tls::testdata::MakeClinicCertificate(now - kDay, until,
                                                    random.get(), &made)
                   .ok());
    WebCertificate imported;
    Status s = Import(deps, made.cert_pem, made.key_pem, &imported);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    return imported;
  }
};

TEST(CertificateWatch, AnUnchangedRowIsNotLoadedAgain) {
  watch->Check();
  watch->Check();
  LONGS_EQUAL(0, used.size());
  LONGS_EQUAL(0, logger.Lines().size());
}

TEST(CertificateWatch, TheVersionFollowsTheStoredRow) {
  std::string version;
  CHECK_TRUE(ReadVersion(store.get(), &version).ok());
  STRCMP_EQUAL(in_use.version.c_str(), version.c_str());
  WebCertificate renewed = RenewNow();
  CHECK_TRUE(ReadVersion(store.get(), &version).ok());
  STRCMP_EQUAL(renewed.version.c_str(), version.c_str());
  CHECK_TRUE(renewed.version != in_use.version);
}

TEST(CertificateWatch, ARenewalIsTakenUpOnce) {
  WebCertificate renewed = RenewNow();
  watch->Check();
  watch->Check();
  LONGS_EQUAL(1, used.size());
  STRCMP_EQUAL((renewed.info.sha256_fingerprint + " generated").c_str(),
               used[0].c_str());
}

TEST(CertificateWatch, AnImportIsTakenUpAsImported) {
  WebCertificate imported = ImportValidUntil(clock.NowSeconds() + 400 * kDay);
  watch->Check();
  LONGS_EQUAL(1, used.size());
  STRCMP_EQUAL((imported.info.sha256_fingerprint + " imported").c_str(),
               used[0].c_str());
}

TEST(CertificateWatch, ACertificateThatCannotBeServedKeepsTheOldOneLoggedOnce) {
  use_result = Status::Internal("tls_setup_failed", "no TLS setup");
  RenewNow();
  watch->Check();
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "keeps its current certificate: no TLS"));
  // Fixed (here: serving works again): taken up at the next look.
  use_result = Status::OK();
  watch->Check();
  LONGS_EQUAL(1, used.size());
}

TEST(CertificateWatch, ADamagedImportedRowKeepsTheOldOne) {
  ImportValidUntil(clock.NowSeconds() + 400 * kDay);
  std::string row;
  bool found = false;
  CHECK_TRUE(store->GetSetting("web.certificate", &row, &found).ok());
  row.back() ^= 1;  // the sealed key no longer opens
  CHECK_TRUE(store->PutSetting("web.certificate", row).ok());
  watch->Check();
  watch->Check();
  LONGS_EQUAL(0, used.size());
  LONGS_EQUAL(1, CountLines(logger, "keeps its current certificate"));
}

TEST(CertificateWatch, OneMadeHereIsMadeAnewOnceItExpired) {
  clock.AdvanceSeconds(825 * kDay);  // an hour past its end
  watch->Check();
  watch->Check();
  LONGS_EQUAL(1, used.size());
  CHECK_TRUE(used[0] != in_use.info.sha256_fingerprint + " generated");
  STRCMP_CONTAINS(" generated", used[0].c_str());
  LONGS_EQUAL(0, CountLines(logger, "expired"));
}

TEST(CertificateWatch, AnExpiredImportedOneIsKeptAndWarnedOf) {
  ImportValidUntil(clock.NowSeconds() + 10 * kDay);
  watch->Check();
  clock.AdvanceSeconds(11 * kDay);
  watch->Check();
  LONGS_EQUAL(1, used.size());  // the import only
  LONGS_EQUAL(1, CountLines(logger, "expired on"));
}

TEST(CertificateWatch, WarnsOfExpiryOnceADayWhileItIsNear) {
  ImportValidUntil(clock.NowSeconds() + 40 * kDay);
  watch->Check();
  LONGS_EQUAL(1, used.size());
  LONGS_EQUAL(0, CountLines(logger, "expires in"));
  clock.AdvanceSeconds(10 * kDay + 1);  // 29 days and a bit left
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "expires in 29 days"));
  clock.AdvanceSeconds(kDay - 2);
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "expires in"));
  clock.AdvanceSeconds(2);
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "expires in 28 days"));
  clock.AdvanceSeconds(30 * kDay);
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "expired on"));
  CHECK_TRUE(logger.Contains("import a new one or run 'telemed-bridge web"));
}

TEST(CertificateWatch, ANewCertificateIsToldAtOnceAndFarExpiryIsQuiet) {
  clock.AdvanceSeconds(810 * kDay);  // the generated one: 14 days left
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "expires in 14 days"));
  ImportValidUntil(clock.NowSeconds() + 20 * kDay);
  watch->Check();
  LONGS_EQUAL(1, CountLines(logger, "expires in 20 days"));
  RenewNow();
  watch->Check();
  clock.AdvanceSeconds(2 * kDay);
  watch->Check();
  LONGS_EQUAL(2, CountLines(logger, "expires in"));
}

}  // namespace web
}  // namespace telemed
