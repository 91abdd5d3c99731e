#include "support/tls_test_server.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "base/clock.h"
#include "base/random.h"
#include "tls/tls_server.h"

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
    : ca_(MakeCa("Telemed Test CA")), ca_file_(dir_.File("ca.pem")) {
  WriteFile(ca_file_, ca_.cert_pem);
  tls::CertificateSpec spec = SpecFor("telemed test server");
  spec.dns_names = options.dns_names;
  spec.ip_addresses = options.ip_addresses;
  if (options.expired) {
    spec.not_before -= 2 * 86400;
    spec.not_after = spec.not_before + 86400 + 3600;
  }
  tls::CertificateAndKey leaf;
  Status s = tls::GenerateLeaf(spec, ca_, SharedRandom(), &leaf);
  if (!s.ok()) Die("making the server certificate", s);
  tls::TlsServer::Options server_options;
  server_options.cert_chain_pem = leaf.cert_pem;
  server_options.key_pem = leaf.key_pem;
  server_options.handshake_timeout = options.handshake_timeout;
  server_options.keep_alive_timeout_sec = options.keep_alive_timeout_sec;
  server_options.worker_threads = options.worker_threads;
  server_options.random = SharedRandom();
  s = tls::TlsServer::Open(server_options, &server_);
  if (!s.ok()) Die("opening the server", s);
}

TlsTestServer::~TlsTestServer() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

httplib::Server& TlsTestServer::server() { return *server_; }

void TlsTestServer::Start() {
  port_ = server_->BindToAnyPort("127.0.0.1");
  if (port_ <= 0) Die("binding", Status::IoError("bind_failed", "127.0.0.1"));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() does nothing until the server runs, so wait for that.
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > give_up) {
      Die("listening", Status::IoError("listen_failed", "127.0.0.1"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
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
