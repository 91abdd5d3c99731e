#include "support/tls_test_server.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "base/clock.h"
#include "base/random.h"
#include "http/json_reply.h"

namespace telemed {
namespace test {

namespace {

void Die(const std::string& what, const Status& s) {
  fprintf(stderr, "TlsTestServer: %s: %s\n", what.c_str(),
          s.ToString().c_str());
  abort();
}

// Valid from an hour ago (clock skew) for a day.
tls::CertificateSpec SpecFor(const std::string& common_name) {
  tls::CertificateSpec spec;
  int64_t now = RealClock().NowSeconds();
  spec.common_name = common_name;
  spec.not_before = now - 3600;
  spec.not_after = now + 86400;
  return spec;
}

RandomSource* SharedRandom() {
  static RandomSource* random = [] {
    std::unique_ptr<RandomSource> source;
    Status s = RealRandom::Open(&source);
    if (!s.ok()) Die("seeding", s);
    return source.release();  // lives for the test binary's lifetime
  }();
  return random;
}

}  // namespace

TlsTestServer::TlsTestServer() : TlsTestServer(Options()) {}

TlsTestServer::TlsTestServer(const Options& options)
    : options_(options),
      ca_(MakeCa("Telemed Test CA")),
      ca_file_(dir_.File("ca.pem")) {
  WriteFile(ca_file_, ca_.cert_pem);
  tls::CertificateSpec spec = SpecFor("telemed test server");
  if (options.expired) {
    spec.not_before -= 2 * 86400;
    spec.not_after = spec.not_before + 86400 + 3600;
  }
  http::LoopServer::Settings settings;
  settings.tls = MakeTls(spec);
  settings.handshake_timeout = options.handshake_timeout;
  settings.idle_timeout = std::chrono::seconds(options.keep_alive_timeout_sec);
  settings.max_workers =
      static_cast<size_t>(std::max(1, options.worker_threads));
  settings.max_connections = options.max_connections;
  settings.head = options.head;
  settings.error_body = [](int, const std::string& code,
                           const std::string& message) {
    return RenderError(code, message);
  };
  server_ = std::make_unique<http::LoopServer>(settings);
}

TlsTestServer::~TlsTestServer() { Stop(); }

std::shared_ptr<const tls::ServerTlsConfig> TlsTestServer::MakeTls(
    tls::CertificateSpec spec) const {
  spec.dns_names = options_.dns_names;
  spec.ip_addresses = options_.ip_addresses;
  tls::CertificateAndKey leaf;
  Status s = tls::GenerateLeaf(spec, ca_, SharedRandom(), &leaf);
  if (!s.ok()) Die("making the server certificate", s);
  std::shared_ptr<const tls::ServerTlsConfig> config;
  s = tls::ServerTlsConfig::Open(leaf.cert_pem, leaf.key_pem, SharedRandom(),
                                 &config);
  if (!s.ok()) Die("setting up TLS", s);
  return config;
}

httplib::Server& TlsTestServer::server() { return *server_; }

void TlsTestServer::Start() {
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) Die("binding", Status::IoError("bind_failed", "127.0.0.1"));
  server_->WidenListenBacklog();
  thread_ = std::thread([this] { server_->Serve(); });
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > give_up) {
      Die("listening", Status::IoError("listen_failed", "127.0.0.1"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void TlsTestServer::Stop() {
  if (!thread_.joinable()) return;
  server_->Stop();
  thread_.join();
}

void TlsTestServer::RenewCertificate(const std::string& common_name) {
  SetTlsConfig(MakeTls(SpecFor(common_name)));
}

void TlsTestServer::SetTlsConfig(
    std::shared_ptr<const tls::ServerTlsConfig> tls) {
  server_->SetTlsConfig(std::move(tls));
}

http::HeadLimits TlsTestServer::Limits() {
  http::HeadLimits limits;
  limits.max_body_bytes = 16 * 1024 * 1024;
  return limits;
}

std::string TlsTestServer::Url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(port_) + path;
}

tls::CertificateAndKey TlsTestServer::MakeCa(const std::string& common_name) {
  tls::CertificateAndKey ca;
  Status s = tls::GenerateCa(SpecFor(common_name), SharedRandom(), &ca);
  if (!s.ok()) Die("making a CA", s);
  return ca;
}

void TlsTestServer::WriteFile(const std::string& path,
                              const std::string& contents) {
  std::ofstream file(path, std::ios::binary);
  file << contents;
  file.close();
  if (!file) Die("writing " + path, Status::IoError("write_failed", path));
}

}  // namespace test
}  // namespace telemed
