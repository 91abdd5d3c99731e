// `telemed-bridge web cert` as an operator runs it: the admin page's
// certificate made on first use, printed, imported, renewed, and refused
// with one readable line.
#include <CppUTest/TestHarness.h>
#include <mbedtls/x509_crt.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "support/daemon_process.h"
#include "support/temp_dir.h"
#include "support/tls_peer.h"
#include "tls/certificate.h"
#include "tls/certificate_testdata.h"
#include "tls/mbedtls_owners.h"
#include "tls/tls_client.h"
#include "tls/tls_client_config.h"

namespace telemed {
namespace {

constexpr int64_t kDay = 86400;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The value after "label:" on its line of `text`.
std::string Field(const std::string& text, const std::string& label) {
  size_t at = text.find(label + ":");
  if (at == std::string::npos) return "";
  size_t start = text.find_first_not_of(' ', at + label.size() + 1);
  return text.substr(start, text.find('\n', start) - start);
}

// "SHA-256 AB:CD:..." of the first certificate of `pem`, computed here.
std::string FingerprintOf(const std::string& pem) {
  tls::MbedtlsX509Crt crt;
  LONGS_EQUAL(
      0, mbedtls_x509_crt_parse(
             crt.get(), reinterpret_cast<const unsigned char*>(pem.c_str()),
             pem.size() + 1));
  return test::CertificateFingerprint(crt.get()->raw.p, crt.get()->raw.len);
}

void CheckExit(const test::CliResult& result, int code) {
  std::string what = "stdout: " + result.out + "\nstderr: " + result.err;
  LONGS_EQUAL_TEXT(code, result.exit_code, what.c_str());
}

}  // namespace

TEST_GROUP(WebCertCli) {
  test::TempDir temp;
  std::string data_dir;
  std::unique_ptr<RandomSource> random;

  void setup() override {
    data_dir = temp.File("data");
    CHECK_TRUE(RealRandom::Open(&random).ok());
  }
  test::CliResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"web", "cert"});
    args.push_back("--data-dir");
    args.push_back(data_dir);
    return test::RunCli(args);
  }
  // Writes a self-signed certificate valid over [from, until] and its key
  // to cert.pem and key.pem; returns the certificate.
  std::string WritePair(int64_t from, int64_t until) {
    tls::CertificateAndKey made;
    CHECK_TRUE(
        tls::testdata::MakeClinicCertificate(from, until, random.get(), &made)
            .ok());
    WriteFile(temp.File("cert.pem"), made.cert_pem);
    WriteFile(temp.File("key.pem"), made.key_pem);
    return made.cert_pem;
  }
  int64_t Now() { return static_cast<int64_t>(time(nullptr)); }
};

TEST(WebCertCli, MakesTheCertificateOnceAndPrintsItsFingerprint) {
  test::CliResult first = Run({});
  CheckExit(first, 0);
  STRCMP_CONTAINS("Made a self-signed certificate", first.out.c_str());
  STRCMP_CONTAINS("generated here (self-signed)", first.out.c_str());
  STRCMP_CONTAINS("in 824 days", first.out.c_str());
  STRCMP_CONTAINS("localhost", Field(first.out, "names").c_str());
  test::CliResult again = Run({});
  CheckExit(again, 0);
  CHECK_TRUE(again.out.find("Made") == std::string::npos);
  STRCMP_EQUAL(Field(first.out, "fingerprint").c_str(),
               Field(again.out, "fingerprint").c_str());
}

TEST(WebCertCli, PemPrintsTheCertificateWhoseFingerprintIsShown) {
  test::CliResult pem = Run({"--pem"});
  CheckExit(pem, 0);
  CHECK_TRUE(pem.out.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  CHECK_TRUE(pem.out.find("PRIVATE") == std::string::npos);
  STRCMP_CONTAINS("Made a self-signed certificate", pem.err.c_str());
  test::CliResult shown = Run({});
  STRCMP_EQUAL(FingerprintOf(pem.out).c_str(),
               Field(shown.out, "fingerprint").c_str());
}

TEST(WebCertCli, TheDatabaseFileHoldsNoPrivateKeyInClear) {
  CheckExit(Run({}), 0);
  std::string bytes = ReadFile(data_dir + "/telemed-bridge.db") +
                      ReadFile(data_dir + "/telemed-bridge.db-wal");
  CHECK_TRUE(bytes.find("BEGIN CERTIFICATE") != std::string::npos);
  CHECK_TRUE(bytes.find("PRIVATE KEY") == std::string::npos);
}

TEST(WebCertCli, ImportsTheClinicsCertificateAndRenewMakesANewOne) {
  std::string cert = WritePair(Now() - kDay, Now() + 400 * kDay);
  test::CliResult imported =
      Run({"--import", temp.File("cert.pem"), temp.File("key.pem")});
  CheckExit(imported, 0);
  STRCMP_CONTAINS("Imported the certificate", imported.out.c_str());
  STRCMP_EQUAL("imported", Field(imported.out, "source").c_str());
  STRCMP_EQUAL(FingerprintOf(cert).c_str(),
               Field(imported.out, "fingerprint").c_str());
  test::CliResult renewed = Run({"--renew"});
  CheckExit(renewed, 0);
  STRCMP_EQUAL("generated here (self-signed)",
               Field(renewed.out, "source").c_str());
  CHECK_TRUE(Field(renewed.out, "fingerprint") != FingerprintOf(cert));
  // Browsers that saw HSTS with the imported one refuse a self-signed one.
  STRCMP_CONTAINS("warning: this replaced the imported certificate",
                  renewed.err.c_str());
  CHECK_TRUE(Run({"--renew"}).err.find("warning") == std::string::npos);
}

TEST(WebCertCli, WarnsWhenTheCertificateExpiresWithinThirtyDays) {
  int64_t until = Now() + 10 * kDay - 3600;  // 9 days and 23 hours
  WritePair(Now() - kDay, until);
  CheckExit(Run({"--import", temp.File("cert.pem"), temp.File("key.pem")}), 0);
  test::CliResult shown = Run({});
  CheckExit(shown, 0);
  STRCMP_CONTAINS("(in 9 days)", shown.out.c_str());
  char day[16];
  time_t t = static_cast<time_t>(until);
  strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&t));
  STRCMP_CONTAINS((std::string("WARNING: the certificate expires on ") + day +
                   ": import a new one or run '")
                      .c_str(),
                  shown.out.c_str());
  STRCMP_CONTAINS("web cert --renew'\n", shown.out.c_str());
}

TEST(WebCertCli, RefusesAKeyThatDoesNotMatchInOneLine) {
  std::string before = Field(Run({}).out, "fingerprint");
  WritePair(Now() - kDay, Now() + kDay);
  std::string other_key = ReadFile(temp.File("key.pem"));
  WritePair(Now() - kDay, Now() + kDay);
  WriteFile(temp.File("key.pem"), other_key);
  test::CliResult result =
      Run({"--import", temp.File("cert.pem"), temp.File("key.pem")});
  CheckExit(result, 1);
  STRCMP_EQUAL("telemed-bridge: the key does not match the certificate\n",
               result.err.c_str());
  STRCMP_EQUAL(before.c_str(), Field(Run({}).out, "fingerprint").c_str());
}

TEST(WebCertCli, RefusesAnExpiredCertificateNamingTheDay) {
  CheckExit(Run({}), 0);  // the database exists
  // 2024-12-01 to 2025-01-01T12:00:00Z.
  WritePair(1733011200, 1735732800);
  test::CliResult result =
      Run({"--import", temp.File("cert.pem"), temp.File("key.pem")});
  CheckExit(result, 1);
  STRCMP_EQUAL("telemed-bridge: the certificate expired on 2025-01-01\n",
               result.err.c_str());
}

// The way back after a lost key file: `zoom forget`, then a new key.
TEST(WebCertCli, ANewSecretKeyAfterZoomForgetGetsANewCertificate) {
  std::string before = Field(Run({}).out, "fingerprint");
  CheckExit(test::RunCli({"zoom", "forget", "--yes", "--data-dir", data_dir}),
            0);
  CHECK_EQUAL(0, unlink((data_dir + "/secret.key").c_str()));
  test::CliResult after = Run({});
  CheckExit(after, 0);
  STRCMP_CONTAINS("Made a self-signed certificate", after.out.c_str());
  CHECK_TRUE(Field(after.out, "fingerprint") != before);
}

TEST(WebCertCli, WrongCommandLinesExitTwo) {
  CheckExit(Run({"--import", temp.File("cert.pem")}), 2);
  CheckExit(Run({"--pem", "--renew"}), 2);
  CheckExit(Run({temp.File("cert.pem"), temp.File("key.pem")}), 2);
  test::CliResult missing =
      Run({"--import", temp.File("none.pem"), temp.File("none.key")});
  CheckExit(missing, 1);
  STRCMP_CONTAINS("cannot read the certificate file", missing.err.c_str());
}

TEST(WebCertCli, SaysTheRunningServiceTakesItUpWhileADaemonServes) {
  test::DaemonProcess::Options options;
  options.data_dir = data_dir;
  std::unique_ptr<test::DaemonProcess> daemon;
  Status s = test::DaemonProcess::Start(options, &daemon);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  test::CliResult renewed = Run({"--renew"});
  CheckExit(renewed, 0);
  STRCMP_CONTAINS("the running service uses it within 30 s",
                  renewed.out.c_str());
  CHECK_TRUE(renewed.out.find("restart") == std::string::npos);
  LONGS_EQUAL(0, daemon->Terminate());
  renewed = Run({"--renew"});
  CHECK_TRUE(renewed.out.find("running service") == std::string::npos);
}

// A client of the HTTPS listener that trusts exactly `pem` (a self-signed
// certificate naming 127.0.0.1) and keeps its connection open.
class PinnedClient {
 public:
  PinnedClient(int port, const std::string& pem) {
    tls::TlsClientConfig::Options options;
    options.ca_pem = pem;
    CHECK_TRUE(tls::TlsClientConfig::Open(options, &config_).ok());
    client_ =
        std::make_unique<tls::TlsClient>("127.0.0.1", port, config_.get());
    client_->set_keep_alive(true);
    client_->set_connection_timeout(10, 0);
    client_->set_read_timeout(10, 0);
  }
  // GET `path`; null when the connection (or its TLS) failed.
  httplib::Result Get(const std::string& path,
                      const httplib::Headers& headers = {}) {
    return client_->Get(path.c_str(), headers);
  }
  httplib::Result Post(const std::string& path, const httplib::Headers& headers,
                       const std::string& body) {
    return client_->Post(path.c_str(), headers, body, "application/json");
  }
  // GET /api/v1/health answered 200 over a connection that trusts the pin.
  bool Healthy() {
    httplib::Result result = Get("/api/v1/health");
    return result && result->status == 200;
  }

 private:
  std::unique_ptr<tls::TlsClientConfig> config_;
  std::unique_ptr<tls::TlsClient> client_;
};

TEST_GROUP(WebCertLive) {
  test::TempDir temp;
  std::unique_ptr<test::DaemonProcess> daemon;
  int https_port = 0;
  std::string data_dir;

  void setup() override {
    data_dir = temp.File("data");
    https_port = test::FreePort();
    test::DaemonProcess::Options options;
    options.data_dir = data_dir;
    options.args = {"--https-listen",
                    "127.0.0.1:" + std::to_string(https_port)};
    Status s = test::DaemonProcess::Start(options, &daemon);
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  }
  void teardown() override { LONGS_EQUAL(0, daemon->Terminate()); }
  test::CliResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"web", "cert"});
    args.push_back("--data-dir");
    args.push_back(data_dir);
    test::CliResult result = test::RunCli(args);
    CheckExit(result, 0);
    return result;
  }
  // Waits until a new connection is served `pem`. The watch looks every
  // few seconds; the CLI promises 30. `open_before` is used meanwhile, so
  // it never idles out, and must keep working throughout.
  void WaitUntilServed(const std::string& pem, PinnedClient* open_before) {
    bool served = false;
    for (int i = 0; i < 300 && !served; ++i) {
      CHECK_TRUE(open_before->Healthy());
      served = PinnedClient(https_port, pem).Healthy();
      if (!served) usleep(100 * 1000);
    }
    CHECK_TRUE_TEXT(served, daemon->Stderr().c_str());
  }
};

TEST(WebCertLive, ARenewalReachesNewConnectionsWithoutARestart) {
  std::string old_pem = Run({"--pem"}).out;
  PinnedClient open_before(https_port, old_pem);
  CHECK_TRUE(open_before.Healthy());
  STRCMP_CONTAINS("the running service uses it within 30 s",
                  Run({"--renew"}).out.c_str());
  std::string new_pem = Run({"--pem"}).out;
  CHECK_TRUE(new_pem != old_pem);
  WaitUntilServed(new_pem, &open_before);
  // A new connection gets only the new certificate; the old one still works.
  CHECK_FALSE(PinnedClient(https_port, old_pem).Healthy());
  CHECK_TRUE(open_before.Healthy());
  STRCMP_CONTAINS(("admin page certificate changed (renewed or imported): " +
                   FingerprintOf(new_pem))
                      .c_str(),
                  daemon->Stderr().c_str());
}

// The Overview's certificate is the one in use, also after a renewal.
TEST(WebCertLive, TheOverviewShowsTheCertificateInUse) {
  std::string old_pem = Run({"--pem"}).out;
  PinnedClient browser(https_port, old_pem);
  std::string code =
      test::RunCli({"admin", "setup-code", "--data-dir", data_dir}).out;
  code = code.substr(code.rfind('\n', code.size() - 2) + 1);
  code.pop_back();  // its newline
  const std::string host = "127.0.0.1:" + std::to_string(https_port);
  httplib::Headers headers = {{"Host", host}, {"Origin", "https://" + host}};
  httplib::Result made =
      browser.Post("/admin/api/setup", headers,
                   "{\"setup_code\":\"" + code +
                       "\",\"password\":\"correct horse battery\","
                       "\"confirm_password\":\"correct horse battery\"}");
  CHECK_TRUE(made);
  LONGS_EQUAL_TEXT(201, made->status, made->body.c_str());
  std::string cookie = made->get_header_value("Set-Cookie");
  headers.emplace("Cookie", cookie.substr(0, cookie.find(';')));
  httplib::Result overview = browser.Get("/admin/api/overview", headers);
  CHECK_TRUE(overview);
  STRCMP_CONTAINS(FingerprintOf(old_pem).substr(8).c_str(),
                  overview->body.c_str());

  Run({"--renew"});
  std::string new_pem = Run({"--pem"}).out;
  WaitUntilServed(new_pem, &browser);
  overview = browser.Get("/admin/api/overview", headers);
  CHECK_TRUE(overview);
  STRCMP_CONTAINS(FingerprintOf(new_pem).substr(8).c_str(),
                  overview->body.c_str());
}

// Strict-Transport-Security is sent only with an imported certificate: it
// follows the certificate in use, without a restart.
TEST(WebCertLive, AnImportWhileServingTurnsOnStrictTransportSecurity) {
  std::string old_pem = Run({"--pem"}).out;
  PinnedClient open_before(https_port, old_pem);
  httplib::Result page = open_before.Get("/");
  CHECK_TRUE(page);
  CHECK_FALSE(page->has_header("Strict-Transport-Security"));

  std::unique_ptr<RandomSource> random;
  CHECK_TRUE(RealRandom::Open(&random).ok());
  tls::CertificateSpec spec;
  spec.common_name = "clinic-box.example";
  spec.ip_addresses = {"127.0.0.1"};
  spec.not_before = time(nullptr) - kDay;
  spec.not_after = time(nullptr) + 400 * kDay;
  tls::CertificateAndKey clinic;
  CHECK_TRUE(tls::GenerateSelfSigned(spec, random.get(), &clinic).ok());
  WriteFile(temp.File("cert.pem"), clinic.cert_pem);
  WriteFile(temp.File("key.pem"), clinic.key_pem);
  Run({"--import", temp.File("cert.pem"), temp.File("key.pem")});
  WaitUntilServed(clinic.cert_pem, &open_before);
  page = PinnedClient(https_port, clinic.cert_pem).Get("/");
  CHECK_TRUE(page);
  STRCMP_EQUAL("max-age=31536000",
               page->get_header_value("Strict-Transport-Security").c_str());
}

}  // namespace telemed
