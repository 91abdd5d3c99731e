#include "web/web_certificate.h"

#include <CppUTest/TestHarness.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "tls/certificate.h"
#include "tls/certificate_testdata.h"

namespace telemed {
namespace web {
namespace {

constexpr int64_t kDay = 86400;
// 2027-01-01T00:00:00Z: within the validity of the RSA test certificates.
constexpr int64_t kIn2027 = 1798761600;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

std::unique_ptr<SecretKey> KeyOf(uint8_t fill) {
  uint8_t bytes[SecretKey::kSize];
  for (uint8_t& b : bytes) b = fill;
  return SecretKey::FromBytes(bytes);
}

// A FakeClock that runs `on_sleep` at the first sleep: what another process
// does while this one waits.
class HookClock final : public Clock {
 public:
  int64_t NowMicros() const override { return fake.NowMicros(); }
  void SleepUntilMicros(int64_t when) const override {
    ++sleeps;
    if (on_sleep) {
      auto hook = std::move(on_sleep);
      on_sleep = nullptr;
      hook();
    }
    fake.SleepUntilMicros(when);
  }
  FakeClock fake;
  mutable int sleeps = 0;
  mutable std::function<void()> on_sleep;
};

}  // namespace

TEST_GROUP(WebCertificate) {
  test::TempDir dir;
  FakeClock clock;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<SecretKey> key = KeyOf(7);
  std::unique_ptr<SecretBox> box;
  std::unique_ptr<Store> store;
  HostNames names;
  WebCertificateDeps deps;

  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random).ok());
    box = std::make_unique<SecretBox>(key.get(), random.get());
    Store::Options options;
    options.path = dir.File("bridge.db");
    options.clock = &clock;
    Status s = Store::Open(options, &store);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    names.host_name = "clinic-box";
    names.addresses = {"127.0.0.1", "192.0.2.7", "::1", "fd00::7"};
    deps = {store.get(), box.get(), &clock, random.get()};
  }
  WebCertificate Load(bool expect_created) {
    WebCertificate cert;
    bool created = false;
    Status s = LoadOrCreate(deps, names, &cert, &created);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    CHECK_EQUAL(expect_created, created);
    return cert;
  }
  // A self-signed certificate valid over [from, until].
  tls::CertificateAndKey SelfSigned(int64_t from, int64_t until) {
    tls::CertificateAndKey made;
    CHECK_TRUE(
        tls::testdata::MakeClinicCertificate(from, until, random.get(), &made)
            .ok());
    return made;
  }
  // Another process takes the lease on making the certificate for 30 s.
  void HoldCreateLease(const std::string& owner, const Clock& at) {
    int64_t now = at.NowSeconds();
    bool taken = false;
    CHECK_TRUE(store
                   ->TryTakeLease("web.certificate.create", owner, now,
                                  now + 30, &taken)
                   .ok());
    CHECK_TRUE(taken);
  }
  Status TryImport(const std::string& cert_pem, const std::string& key_pem) {
    WebCertificate cert;
    return Import(deps, cert_pem, key_pem, &cert);
  }
};

TEST(WebCertificate, FirstLoadMakesASelfSignedCertificateNamingTheBox) {
  WebCertificate cert = Load(/*expect_created=*/true);
  STRCMP_EQUAL("clinic-box", cert.info.common_name.c_str());
  LONGS_EQUAL(3, cert.info.dns_names.size());
  STRCMP_EQUAL("clinic-box", cert.info.dns_names[0].c_str());
  STRCMP_EQUAL("clinic-box.local", cert.info.dns_names[1].c_str());
  STRCMP_EQUAL("localhost", cert.info.dns_names[2].c_str());
  CHECK_TRUE(cert.info.ip_addresses == names.addresses);
  CHECK_FALSE(cert.imported);
  CHECK_FALSE(cert.info.is_ca);
  STRCMP_EQUAL("EC", cert.info.key_type.c_str());
  CHECK_TRUE(
      tls::CheckKeyMatchesCertificate(cert.chain_pem, cert.key_pem).ok());
}

TEST(WebCertificate, ValidFor825DaysFromAnHourAgo) {
  int64_t now = clock.NowSeconds();
  WebCertificate cert = Load(true);
  LONGS_EQUAL(now - 3600, cert.info.not_before);
  LONGS_EQUAL(now - 3600 + 825 * kDay, cert.info.not_after);
  LONGS_EQUAL(824, cert.expires_in_days);
  CHECK_FALSE(cert.warn_expiry);
}

TEST(WebCertificate, LaterLoadsReturnTheStoredOneAlsoToAnotherProcess) {
  WebCertificate first = Load(true);
  WebCertificate again = Load(false);
  STRCMP_EQUAL(first.info.sha256_fingerprint.c_str(),
               again.info.sha256_fingerprint.c_str());
  STRCMP_EQUAL(first.key_pem.c_str(), again.key_pem.c_str());
  std::unique_ptr<Store> other;
  Store::Options options;
  options.path = dir.File("bridge.db");
  options.clock = &clock;
  CHECK_TRUE(Store::Open(options, &other).ok());
  deps.store = other.get();
  WebCertificate from_other = Load(false);
  STRCMP_EQUAL(first.chain_pem.c_str(), from_other.chain_pem.c_str());
}

TEST(WebCertificate, AFullyQualifiedHostIsFoundByItsFirstLabelDotLocal) {
  names.host_name = "box.clinic.lan";
  WebCertificate cert = Load(true);
  LONGS_EQUAL(3, cert.info.dns_names.size());
  STRCMP_EQUAL("box.clinic.lan", cert.info.dns_names[0].c_str());
  STRCMP_EQUAL("box.local", cert.info.dns_names[1].c_str());
}

TEST(WebCertificate, AHostNameTooLongForACommonNameIsStillASan) {
  names.host_name = std::string(70, 'a');
  WebCertificate cert = Load(true);
  STRCMP_EQUAL("telemed-bridge", cert.info.common_name.c_str());
  STRCMP_EQUAL(names.host_name.c_str(), cert.info.dns_names[0].c_str());
}

TEST(WebCertificate, AHostNameThatIsNoDnsNameIsLeftOut) {
  names.host_name = "bad name,CN=x";
  WebCertificate cert = Load(true);
  STRCMP_EQUAL("telemed-bridge", cert.info.common_name.c_str());
  LONGS_EQUAL(1, cert.info.dns_names.size());
  STRCMP_EQUAL("localhost", cert.info.dns_names[0].c_str());
}

TEST(WebCertificate, TheKeyIsSealedInTheDatabaseFile) {
  WebCertificate cert = Load(true);
  store.reset();  // closing checkpoints the WAL into the file
  std::string bytes =
      ReadFile(dir.File("bridge.db")) + ReadFile(dir.File("bridge.db-wal"));
  CHECK_TRUE(bytes.find("BEGIN CERTIFICATE") != std::string::npos);
  CHECK_TRUE(bytes.find("PRIVATE KEY") == std::string::npos);
  std::string body = cert.key_pem.substr(cert.key_pem.find('\n') + 1, 40);
  CHECK_TRUE(bytes.find(body) == std::string::npos);
}

// After `zoom forget` the database is bound to a new secret key: the key
// sealed under the old one cannot be opened any more.
TEST(WebCertificate, OneMadeHereUnderAForgottenSecretKeyIsReplaced) {
  WebCertificate old = Load(true);
  std::unique_ptr<SecretKey> new_key = KeyOf(8);
  SecretBox new_box(new_key.get(), random.get());
  deps.box = &new_box;
  WebCertificate fresh = Load(/*expect_created=*/true);
  CHECK_TRUE(old.info.sha256_fingerprint != fresh.info.sha256_fingerprint);
  STRCMP_EQUAL(fresh.info.sha256_fingerprint.c_str(),
               Load(false).info.sha256_fingerprint.c_str());
}

TEST(WebCertificate, AnImportedOneUnderAForgottenSecretKeyIsAnError) {
  int64_t now = clock.NowSeconds();
  tls::CertificateAndKey own = SelfSigned(now - kDay, now + kDay);
  CHECK_TRUE(TryImport(own.cert_pem, own.key_pem).ok());
  std::unique_ptr<SecretKey> new_key = KeyOf(8);
  SecretBox new_box(new_key.get(), random.get());
  deps.box = &new_box;
  WebCertificate cert;
  bool created = false;
  Status s = LoadOrCreate(deps, names, &cert, &created);
  STRCMP_EQUAL("web_certificate_corrupt", s.reason().c_str());
  STRCMP_CONTAINS("web cert --import", s.message().c_str());
  CHECK_FALSE(created);
  // Renew is the way out (as Import is).
  CHECK_TRUE(Renew(deps, names, &cert).ok());
  CHECK_FALSE(Load(false).imported);
}

TEST(WebCertificate, WarnsThirtyDaysBeforeItExpires) {
  WebCertificate cert = Load(true);
  clock.SetMicros((cert.info.not_after - 30 * kDay) * 1000000);
  cert = Load(false);
  LONGS_EQUAL(30, cert.expires_in_days);
  CHECK_FALSE(cert.warn_expiry);
  clock.AdvanceSeconds(1);
  cert = Load(false);
  LONGS_EQUAL(29, cert.expires_in_days);
  CHECK_TRUE(cert.warn_expiry);
}

TEST(WebCertificate, AnExpiredGeneratedCertificateIsReplaced) {
  WebCertificate old = Load(true);
  clock.SetMicros((old.info.not_after + 1) * 1000000);
  WebCertificate fresh = Load(true);
  CHECK_TRUE(old.info.sha256_fingerprint != fresh.info.sha256_fingerprint);
  LONGS_EQUAL(824, fresh.expires_in_days);
}

TEST(WebCertificate, RenewReplacesItWithANewOne) {
  WebCertificate old = Load(true);
  names.addresses = {"192.0.2.8"};
  WebCertificate renewed;
  CHECK_TRUE(Renew(deps, names, &renewed).ok());
  CHECK_TRUE(old.info.sha256_fingerprint != renewed.info.sha256_fingerprint);
  STRCMP_EQUAL("192.0.2.8", renewed.info.ip_addresses[0].c_str());
  STRCMP_EQUAL(renewed.info.sha256_fingerprint.c_str(),
               Load(false).info.sha256_fingerprint.c_str());
}

TEST(WebCertificate, ImportsAnRsaCertificateAndKeepsItsChain) {
  clock.SetMicros(kIn2027 * 1000000);
  Load(true);
  tls::CertificateAndKey intermediate = SelfSigned(kIn2027, kIn2027 + kDay);
  WebCertificate cert;
  Status s = Import(
      deps, std::string(tls::testdata::kRsa2048Cert) + intermediate.cert_pem,
      tls::testdata::kRsa2048Key, &cert);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(cert.imported);
  LONGS_EQUAL(2, cert.info.chain_length);
  WebCertificate loaded = Load(false);
  CHECK_TRUE(loaded.imported);
  STRCMP_EQUAL(tls::testdata::kRsa2048Fingerprint,
               loaded.info.sha256_fingerprint.c_str());
  STRCMP_EQUAL(
      (std::string(tls::testdata::kRsa2048Cert) + intermediate.cert_pem)
          .c_str(),
      loaded.chain_pem.c_str());
  CHECK_TRUE(
      tls::CheckKeyMatchesCertificate(loaded.chain_pem, loaded.key_pem).ok());
  WebCertificate renewed;
  CHECK_TRUE(Renew(deps, names, &renewed).ok());
  CHECK_FALSE(Load(false).imported);
}

TEST(WebCertificate, AKeyPastedIntoTheCertificateFileIsNotKeptInClear) {
  int64_t now = clock.NowSeconds();
  tls::CertificateAndKey own = SelfSigned(now - kDay, now + kDay);
  WebCertificate cert;
  CHECK_TRUE(Import(deps, own.cert_pem + own.key_pem, own.key_pem, &cert).ok());
  STRCMP_EQUAL(own.cert_pem.c_str(), cert.chain_pem.c_str());
  store.reset();
  std::string bytes =
      ReadFile(dir.File("bridge.db")) + ReadFile(dir.File("bridge.db-wal"));
  CHECK_TRUE(bytes.find("PRIVATE KEY") == std::string::npos);
}

TEST(WebCertificate, RefusesAKeyThatDoesNotMatchAndKeepsTheOldOne) {
  WebCertificate old = Load(true);
  int64_t now = clock.NowSeconds();
  tls::CertificateAndKey one = SelfSigned(now - kDay, now + kDay);
  tls::CertificateAndKey two = SelfSigned(now - kDay, now + kDay);
  Status s = TryImport(one.cert_pem, two.key_pem);
  STRCMP_EQUAL("key_mismatch", s.reason().c_str());
  STRCMP_EQUAL("key", s.field().c_str());
  STRCMP_EQUAL("the key does not match the certificate", s.message().c_str());
  STRCMP_EQUAL(old.info.sha256_fingerprint.c_str(),
               Load(false).info.sha256_fingerprint.c_str());
}

TEST(WebCertificate, RefusesAnExpiredCertificateNamingTheDay) {
  // 2024-12-01 to 2025-01-01T12:00:00Z; the clock says 2026-01-01.
  tls::CertificateAndKey old = SelfSigned(1733011200, 1735732800);
  Status s = TryImport(old.cert_pem, old.key_pem);
  STRCMP_EQUAL("certificate_expired", s.reason().c_str());
  STRCMP_EQUAL("certificate", s.field().c_str());
  STRCMP_EQUAL("the certificate expired on 2025-01-01", s.message().c_str());
}

TEST(WebCertificate, RefusesACertificateNotYetValid) {
  Status s = TryImport(tls::testdata::kRsa2048Cert, tls::testdata::kRsa2048Key);
  STRCMP_EQUAL("certificate_not_yet_valid", s.reason().c_str());
  STRCMP_CONTAINS("2026-12-03", s.message().c_str());
}

TEST(WebCertificate, RefusesAWeakRsaKeyACaAndWhatIsNoCertificate) {
  clock.SetMicros(kIn2027 * 1000000);
  Status s = TryImport(tls::testdata::kRsa1024Cert, tls::testdata::kRsa1024Key);
  STRCMP_EQUAL("key_too_weak", s.reason().c_str());
  STRCMP_EQUAL("the RSA key has 1024 bits; at least 2048 are needed",
               s.message().c_str());
  tls::CertificateSpec spec;
  spec.common_name = "Clinic CA";
  spec.not_before = kIn2027 - kDay;
  spec.not_after = kIn2027 + kDay;
  tls::CertificateAndKey ca;
  CHECK_TRUE(tls::GenerateCa(spec, random.get(), &ca).ok());
  STRCMP_EQUAL("certificate_not_for_servers",
               TryImport(ca.cert_pem, ca.key_pem).reason().c_str());
  s = TryImport(tls::testdata::kRsa2048Key, tls::testdata::kRsa2048Key);
  STRCMP_EQUAL("certificate_unreadable", s.reason().c_str());
  STRCMP_EQUAL("certificate", s.field().c_str());
  s = TryImport(tls::testdata::kRsa2048Cert,
                tls::testdata::kRsa2048EncryptedKey);
  STRCMP_EQUAL("key_encrypted", s.reason().c_str());
}

TEST(WebCertificate, ADamagedRowOfOneMadeHereIsReplacedNotACrash) {
  for (const char* row : {"generated\nno pem", "", "imported", "other\n"}) {
    CHECK_TRUE(store->PutSetting("web.certificate", row).ok());
    Load(/*expect_created=*/true);
  }
}

TEST(WebCertificate, ADamagedImportedRowIsAnError) {
  std::string row = std::string("imported\nno pem") + '\0' + "sealed";
  CHECK_TRUE(store->PutSetting("web.certificate", row).ok());
  WebCertificate cert;
  bool created = false;
  STRCMP_EQUAL("web_certificate_corrupt",
               LoadOrCreate(deps, names, &cert, &created).reason().c_str());
}

// The daemon's first start and `web cert` at once: the second waits for
// the first's certificate instead of making and storing another.
TEST(WebCertificate, WaitsForAnotherProcessMakingItAndReadsIts) {
  HookClock hook_clock;
  deps.clock = &hook_clock;
  HoldCreateLease("other", hook_clock);
  WebCertificate theirs;
  hook_clock.on_sleep = [&] {
    CHECK_TRUE(Renew(deps, names, &theirs).ok());
    CHECK_TRUE(store->ReleaseLease("web.certificate.create", "other").ok());
  };
  WebCertificate mine;
  bool created = true;
  Status s = LoadOrCreate(deps, names, &mine, &created);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_FALSE(created);
  STRCMP_EQUAL(theirs.info.sha256_fingerprint.c_str(),
               mine.info.sha256_fingerprint.c_str());
}

// A holder that died: its lease lapses and the certificate gets made.
TEST(WebCertificate, MakesItOnceALeaseLeftByADeadProcessLapses) {
  HookClock hook_clock;
  deps.clock = &hook_clock;
  HoldCreateLease("dead", hook_clock);
  WebCertificate cert;
  bool created = false;
  Status s = LoadOrCreate(deps, names, &cert, &created);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(created);
  CHECK_TRUE(hook_clock.sleeps >= 300);
}

// The real host: at least the loopback address, never a link-local one.
TEST(WebCertificate, ReadHostNamesFindsLoopbackAndNoLinkLocal) {
  HostNames real;
  CHECK_TRUE(ReadHostNames(&real).ok());
  CHECK_FALSE(real.host_name.empty());
  bool loopback = false;
  for (const std::string& address : real.addresses) {
    loopback = loopback || address == "127.0.0.1" || address == "::1";
    CHECK_TRUE(address.compare(0, 5, "fe80:") != 0);
  }
  CHECK_TRUE(loopback);
}

}  // namespace web
}  // namespace telemed
