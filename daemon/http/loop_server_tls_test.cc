// LoopServer serving TLS, over real sockets on 127.0.0.1 (the server is
// tests/support/tls_test_server.h): requests over TLS, the bounds a hostile
// LAN meets (handshake deadline, idle connections, plain HTTP, long heads,
// too many connections), Stop() mid-handshake, and a certificate swap.
#include <CppUTest/TestHarness.h>
#include <dirent.h>
#include <fcntl.h>
#include <mbedtls/rsa.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/x509_crt.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "http/loop_server.h"
#include "support/tls_peer.h"
#include "support/tls_test_server.h"
#include "tls/certificate.h"
#include "tls/mbedtls_owners.h"
#include "tls/random_callback.h"
#include "tls/server_tls_config.h"
#include "tls/tls_client.h"
#include "tls/tls_client_config.h"

namespace telemed {
namespace http {
namespace {

using std::chrono::milliseconds;
using test::AnyServerSettings;
using test::ClosedByServer;
using test::kHalfClientHello;
using test::TlsPeer;
using test::TlsTestServer;

constexpr std::chrono::seconds kPatience(10);

// A self-signed RSA certificate and its key, as PEM.
tls::CertificateAndKey MakeRsaCertificate(RandomSource* random) {
  tls::MbedtlsPk key;
  CHECK_EQUAL(0, mbedtls_pk_setup(key.get(),
                                  mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)));
  CHECK_EQUAL(
      0, mbedtls_rsa_gen_key(mbedtls_pk_rsa(*key.get()),
                             tls::FillFromRandomSource, random, 2048, 65537));
  tls::MbedtlsX509WriteCrt cert;
  tls::MbedtlsMpi serial;
  CHECK_EQUAL(0, mbedtls_mpi_lset(serial.get(), 1));
  mbedtls_x509write_crt_set_subject_key(cert.get(), key.get());
  mbedtls_x509write_crt_set_issuer_key(cert.get(), key.get());
  mbedtls_x509write_crt_set_md_alg(cert.get(), MBEDTLS_MD_SHA256);
  CHECK_EQUAL(0, mbedtls_x509write_crt_set_subject_name(cert.get(), "CN=rsa"));
  CHECK_EQUAL(0, mbedtls_x509write_crt_set_issuer_name(cert.get(), "CN=rsa"));
  CHECK_EQUAL(0, mbedtls_x509write_crt_set_serial(cert.get(), serial.get()));
  CHECK_EQUAL(0, mbedtls_x509write_crt_set_validity(
                     cert.get(), "20200101000000", "20991231235959"));
  unsigned char pem[8192];
  tls::CertificateAndKey out;
  CHECK_EQUAL(0, mbedtls_x509write_crt_pem(cert.get(), pem, sizeof(pem),
                                           tls::FillFromRandomSource, random));
  out.cert_pem = reinterpret_cast<char*>(pem);
  CHECK_EQUAL(0, mbedtls_pk_write_key_pem(key.get(), pem, sizeof(pem)));
  out.key_pem = reinterpret_cast<char*>(pem);
  return out;
}

// The descriptors of this process that are sockets.
[[maybe_unused]] std::set<int> SocketFds() {
  std::set<int> fds;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  while (dirent* entry = readdir(dir)) {
    char target[64] = {};
    const std::string link = std::string("/proc/self/fd/") + entry->d_name;
    if (readlink(link.c_str(), target, sizeof(target) - 1) > 0 &&
        std::string(target).rfind("socket:", 0) == 0) {
      fds.insert(atoi(entry->d_name));
    }
  }
  closedir(dir);
  return fds;
}

std::string Get(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

}  // namespace

TEST_GROUP(LoopServerTls) {
  void setup() override { Serve(Options()); }
  void teardown() override {
    client_.reset();
    server_.reset();
    client_config_.reset();
  }

  static TlsTestServer::Options Options() {
    TlsTestServer::Options options;
    options.handshake_timeout = milliseconds(300);
    options.worker_threads = 2;
    return options;
  }
  void Serve(const TlsTestServer::Options& options) {
    client_.reset();
    server_ = std::make_unique<TlsTestServer>(options);
    server_->server().Get(
        "/hello", [](const httplib::Request& req, httplib::Response& res) {
          res.set_content("hello from " + std::to_string(req.remote_port),
                          "text/plain");
        });
    server_->server().Post("/size", [](const httplib::Request& req,
                                       httplib::Response& res) {
      res.set_content("size " + std::to_string(req.body.size()), "text/plain");
    });
    server_->Start();
    tls::TlsClientConfig::Options config;
    config.ca_file = server_->ca_file();
    CHECK_TRUE(tls::TlsClientConfig::Open(config, &client_config_).ok());
    CHECK_TRUE(client_config_->Prepare(&ssl_config_).ok());
    client_ = std::make_unique<tls::TlsClient>("127.0.0.1", server_->port(),
                                               client_config_.get());
    client_->set_keep_alive(true);
    client_->set_read_timeout(kPatience.count(), 0);
  }
  std::unique_ptr<TlsPeer> Peer() {
    return std::make_unique<TlsPeer>(server_->port(), ssl_config_);
  }
  // GET /hello through the httplib client; its body ("" on failure).
  std::string Hello() {
    httplib::Result result = client_->Get("/hello");
    if (!result || result->status != 200) return "";
    return result->body;
  }

  std::unique_ptr<TlsTestServer> server_;
  std::unique_ptr<tls::TlsClientConfig> client_config_;
  const mbedtls_ssl_config* ssl_config_ = nullptr;
  std::unique_ptr<tls::TlsClient> client_;
};

TEST(LoopServerTls, AnswersRequestsOnOneKeptAliveConnection) {
  std::string first = Hello();
  STRCMP_CONTAINS("hello from ", first.c_str());
  // The same client port: the second request used the same connection.
  STRCMP_EQUAL(first.c_str(), Hello().c_str());
}

TEST(LoopServerTls, AnswersPipelinedRequestsInOrder) {
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  // Three requests in one TLS record.
  peer->Write(Get("/hello") + Get("/nothing") + Get("/hello"));
  std::string answers = peer->ReadUntil("HTTP/1.1 ", 3);
  size_t ok1 = answers.find("HTTP/1.1 200");
  size_t missing = answers.find("HTTP/1.1 404");
  size_t ok2 = answers.find("HTTP/1.1 200", ok1 + 1);
  CHECK_TRUE(ok1 != std::string::npos && missing != std::string::npos &&
             ok2 != std::string::npos);
  CHECK_TRUE(ok1 < missing && missing < ok2);
}

TEST(LoopServerTls, AnswersPipelinedRequestsBeyondBufferInOneRecord) {
  // The loop buffers at most a head's limit: the rest of the record waits
  // decrypted inside mbedTLS, where polling the socket cannot see it.
  TlsTestServer::Options options = Options();
  options.head.max_head_bytes = 1024;
  Serve(options);
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  std::string requests;
  for (int i = 0; i < 200; ++i) requests += Get("/hello");
  CHECK_TRUE(requests.size() > 4 * 1024 && requests.size() < 16 * 1024);
  peer->Write(requests);
  std::string answers = peer->ReadUntil("hello from", 200);
  size_t count = 0;
  for (size_t at = answers.find("HTTP/1.1 200"); at != std::string::npos;
       at = answers.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  LONGS_EQUAL(200, count);
}

TEST(LoopServerTls, ReadsBodyLargerThanOneRecord) {
  std::string body(200 * 1024, 'b');  // more than twelve 16 KiB records
  httplib::Result result = client_->Post("/size", body, "text/plain");
  CHECK_TRUE(result);
  LONGS_EQUAL(200, result->status);
  STRCMP_EQUAL("size 204800", result->body.c_str());
  // Body and next request in one write: the next head sits in the same
  // record as the body's end.
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  std::string small(20000, 's');
  peer->Write("POST /size HTTP/1.1\r\nHost: localhost\r\nContent-Length: " +
              std::to_string(small.size()) + "\r\n\r\n" + small +
              Get("/hello"));
  std::string answers = peer->ReadUntil("HTTP/1.1 200", 2);
  STRCMP_CONTAINS("size 20000", answers.c_str());
  STRCMP_CONTAINS("hello from", answers.c_str());
}

TEST(LoopServerTls, ClosesSilentAndHalfHelloPeersAtDeadlineServingOthers) {
  int silent = test::ConnectTcp(server_->port(), kPatience);
  int half = test::ConnectTcp(server_->port(), kPatience);
  CHECK_TRUE(send(half, kHalfClientHello, sizeof(kHalfClientHello) - 1,
                  MSG_NOSIGNAL) > 0);
  // Two workers, two stuck peers: neither holds one.
  STRCMP_CONTAINS("hello from", Hello().c_str());
  CHECK_TRUE(ClosedByServer(silent));
  CHECK_TRUE(ClosedByServer(half));
  close(silent);
  close(half);
  STRCMP_CONTAINS("hello from", Hello().c_str());
}

// Not under ThreadSanitizer: the test finds the loop's socket through
// /proc and dup()s it from its own thread, which TSan rightly reports as an
// unsynchronised use of another thread's descriptor. The use after free it
// guards against is ASan's to see.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TELEMED_UNDER_TSAN 1
#endif
#endif
#ifndef TELEMED_UNDER_TSAN
// A copy of an accepted socket outlives the loop's close (a process
// forked meanwhile holds one): the loop takes the socket out of its epoll
// set first, so the peer's next bytes wake nothing that was freed (ASan
// reports the use after free otherwise). Accepted sockets are close-on-exec,
// so a started program holds no such copy for long.
TEST(LoopServerTls, AConnectionClosedWhileACopyLivesOnIsForgotten) {
  const std::set<int> before = SocketFds();
  int half = test::ConnectTcp(server_->port(), kPatience);
  CHECK_TRUE(send(half, kHalfClientHello, sizeof(kHalfClientHello) - 1,
                  MSG_NOSIGNAL) > 0);
  std::set<int> accepted;
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (accepted.empty() && std::chrono::steady_clock::now() < deadline) {
    for (int fd : SocketFds()) {
      if (before.count(fd) == 0 && fd != half) accepted.insert(fd);
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  LONGS_EQUAL(1, accepted.size());
  const int server_fd = *accepted.begin();
  CHECK_TRUE((fcntl(server_fd, F_GETFD) & FD_CLOEXEC) != 0);
  const int copy = dup(server_fd);
  CHECK_TRUE(copy >= 0);
  // The handshake deadline closes the loop's descriptor; the copy keeps
  // the socket open.
  while (SocketFds().count(server_fd) != 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  CHECK_TRUE(SocketFds().count(server_fd) == 0);
  CHECK_TRUE(send(half, kHalfClientHello, sizeof(kHalfClientHello) - 1,
                  MSG_NOSIGNAL) > 0);
  shutdown(half, SHUT_WR);
  STRCMP_CONTAINS("hello from", Hello().c_str());
  close(copy);
  close(half);
}
#endif  // TELEMED_UNDER_TSAN

TEST(LoopServerTls, ClosesConnectionSpeakingPlainHttp) {
  int fd = test::ConnectTcp(server_->port(), kPatience);
  std::string request = Get("/hello");
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[256];
  ssize_t got;
  while ((got = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
    answer.append(buffer, static_cast<size_t>(got));
  }
  close(fd);
  CHECK_TRUE(got == 0 || errno == ECONNRESET);  // closed, not timed out
  CHECK_TRUE(answer.find("hello") == std::string::npos);
  STRCMP_CONTAINS("hello from", Hello().c_str());
}

TEST(LoopServerTls, FiftyIdleConnectionsDoNotBlockANewOne) {
  TlsTestServer::Options options = Options();
  options.worker_threads = 1;
  Serve(options);
  std::vector<std::unique_ptr<TlsPeer>> idle;
  for (int i = 0; i < 50; ++i) {
    idle.push_back(Peer());
    CHECK_TRUE(idle.back()->Handshake());
  }
  // One has a request head under way, the rest sent nothing yet.
  idle.front()->Write("GET /hello HTTP/1.1\r\n");
  STRCMP_CONTAINS("hello from", Hello().c_str());
}

TEST(LoopServerTls, StopReturnsWithConnectionsMidHandshake) {
  TlsTestServer::Options options = Options();
  options.handshake_timeout = std::chrono::minutes(10);
  Serve(options);
  std::vector<int> stuck;
  for (int i = 0; i < 5; ++i) {
    stuck.push_back(test::ConnectTcp(server_->port(), kPatience));
    send(stuck.back(), kHalfClientHello, sizeof(kHalfClientHello) - 1,
         MSG_NOSIGNAL);
  }
  int silent = test::ConnectTcp(server_->port(), kPatience);
  // The loop has taken them all once it answers another connection.
  STRCMP_CONTAINS("hello from", Hello().c_str());
  server_->Stop();
  stuck.push_back(silent);
  for (int fd : stuck) {
    CHECK_TRUE(ClosedByServer(fd));
    close(fd);
  }
}

TEST(LoopServerTls, RefusesOverLongHeadWith431AndCloseNotify) {
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  peer->Write("GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Long: " +
              std::string(20 * 1024, 'x') + "\r\n\r\n");
  ssize_t end = -9;
  std::string answer = peer->ReadUntil("never there", 1, &end);
  STRCMP_CONTAINS("HTTP/1.1 431", answer.c_str());
  STRCMP_CONTAINS("\"code\":\"headers_too_large\"", answer.c_str());
  LONGS_EQUAL(0, end);  // close_notify, not a bare FIN
}

TEST(LoopServerTls, RefusesOversizedBodyWhileClientKeepsSending) {
  auto peer = Peer();
  CHECK_TRUE(peer->Handshake());
  // Beyond the server's 16 MiB limit: refused before any body byte is read.
  peer->Write(
      "POST /size HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000"
      "\r\n\r\n");
  // The client sends on before it reads: the half-closed server drains this
  // rather than resetting the connection over its answer.
  peer->Write(std::string(256 * 1024, 'b'));
  ssize_t end = -9;
  std::string answer = peer->ReadUntil("never there", 1, &end);
  STRCMP_CONTAINS("HTTP/1.1 413", answer.c_str());
  LONGS_EQUAL(0, end);  // close_notify
}

TEST(LoopServerTls, AnswersBeyondMaxConnectionsWith503OverTls) {
  TlsTestServer::Options options = Options();
  options.max_connections = 1;
  Serve(options);
  auto first = Peer();
  CHECK_TRUE(first->Handshake());
  auto second = Peer();
  CHECK_TRUE(second->Handshake());
  std::string answer = second->ReadUntil("never there", 1);
  STRCMP_CONTAINS("HTTP/1.1 503", answer.c_str());
  STRCMP_CONTAINS("Retry-After: 1", answer.c_str());
  first->Write(Get("/hello"));
  STRCMP_CONTAINS("hello from", first->ReadUntil("hello from", 1).c_str());
}

TEST(LoopServerTls, NewConnectionsUseSwappedCertificate) {
  auto before = Peer();
  CHECK_TRUE(before->Handshake());
  STRCMP_EQUAL("CN=telemed test server", before->PeerSubject().c_str());
  server_->RenewCertificate("renewed");
  auto after = Peer();
  CHECK_TRUE(after->Handshake());
  STRCMP_EQUAL("CN=renewed", after->PeerSubject().c_str());
  // The connection made before the swap goes on with its certificate.
  before->Write(Get("/hello"));
  STRCMP_CONTAINS("hello from", before->ReadUntil("hello from", 1).c_str());
  after->Write(Get("/hello"));
  STRCMP_CONTAINS("hello from", after->ReadUntil("hello from", 1).c_str());
}

TEST_GROUP(LoopServerTlsSuites) {
  void setup() override {
    CHECK_TRUE(RealRandom::Open(&random_).ok());
    server_ = std::make_unique<TlsTestServer>();
    server_->Start();
  }
  void teardown() override { server_.reset(); }
  // Handshakes with `settings`; the suite agreed, or "" when refused.
  std::string Agree(const AnyServerSettings& settings) {
    TlsPeer peer(server_->port(), settings.get());
    return peer.Handshake() ? peer.Suite() : "";
  }
  std::unique_ptr<RandomSource> random_;
  std::unique_ptr<TlsTestServer> server_;
};

TEST(LoopServerTlsSuites, AgreesOnlyEcdheWithAeadOverTls12) {
  std::string suite = Agree(
      AnyServerSettings(random_.get(), nullptr, MBEDTLS_SSL_MINOR_VERSION_1));
  STRCMP_CONTAINS("TLS-ECDHE-ECDSA-WITH-", suite.c_str());
  const int chacha[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                        0};
  STRCMP_EQUAL("TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256",
               Agree(AnyServerSettings(random_.get(), chacha,
                                       MBEDTLS_SSL_MINOR_VERSION_3))
                   .c_str());
  const int cbc[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
                     MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256, 0};
  STRCMP_EQUAL("", Agree(AnyServerSettings(random_.get(), cbc,
                                           MBEDTLS_SSL_MINOR_VERSION_3))
                       .c_str());
  AnyServerSettings old(random_.get(), nullptr, MBEDTLS_SSL_MINOR_VERSION_1);
  old.CapAtTls11();
  STRCMP_EQUAL("", Agree(old).c_str());
}

TEST(LoopServerTlsSuites, ServesRsaCertificate) {
  tls::CertificateAndKey rsa = MakeRsaCertificate(random_.get());
  std::shared_ptr<const tls::ServerTlsConfig> config;
  Status s = tls::ServerTlsConfig::Open(rsa.cert_pem, rsa.key_pem,
                                        random_.get(), &config);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  server_->SetTlsConfig(config);
  STRCMP_CONTAINS("TLS-ECDHE-RSA-WITH-",
                  Agree(AnyServerSettings(random_.get(), nullptr,
                                          MBEDTLS_SSL_MINOR_VERSION_3))
                      .c_str());
}

// With an RSA certificate the key exchange's curve is free to choose (an
// ECDSA certificate ties it to the certificate's): only X25519, P-256 and
// P-384 are agreed.
TEST(LoopServerTlsSuites, KeyExchangeUsesOnlyTheCheapCurves) {
  tls::CertificateAndKey rsa = MakeRsaCertificate(random_.get());
  std::shared_ptr<const tls::ServerTlsConfig> config;
  CHECK_TRUE(tls::ServerTlsConfig::Open(rsa.cert_pem, rsa.key_pem,
                                        random_.get(), &config)
                 .ok());
  server_->SetTlsConfig(config);
  const mbedtls_ecp_group_id x25519[] = {MBEDTLS_ECP_DP_CURVE25519,
                                         MBEDTLS_ECP_DP_NONE};
  const mbedtls_ecp_group_id p521[] = {MBEDTLS_ECP_DP_SECP521R1,
                                       MBEDTLS_ECP_DP_NONE};
  AnyServerSettings modern(random_.get());
  modern.OfferCurves(x25519);
  STRCMP_CONTAINS("TLS-ECDHE-RSA-WITH-", Agree(modern).c_str());
  AnyServerSettings large(random_.get());
  large.OfferCurves(p521);
  STRCMP_EQUAL("", Agree(large).c_str());
}

TEST(LoopServerTlsSuites, FreesSwappedOutSetupWithItsLastConnection) {
  tls::CertificateAndKey ca = TlsTestServer::MakeCa("CA");
  tls::CertificateSpec spec;
  spec.common_name = "first";
  spec.dns_names = {"localhost"};
  spec.not_before = RealClock().NowSeconds() - 3600;
  spec.not_after = spec.not_before + 2 * 86400;
  tls::CertificateAndKey leaf;
  CHECK_TRUE(tls::GenerateLeaf(spec, ca, random_.get(), &leaf).ok());
  std::shared_ptr<const tls::ServerTlsConfig> first;
  CHECK_TRUE(tls::ServerTlsConfig::Open(leaf.cert_pem, leaf.key_pem,
                                        random_.get(), &first)
                 .ok());
  std::weak_ptr<const tls::ServerTlsConfig> watch = first;
  LoopServer::Settings settings;
  settings.tls = std::move(first);
  settings.error_body = [](int, const std::string&, const std::string&) {
    return std::string("{}");
  };
  LoopServer server(settings);
  settings.tls.reset();
  int port = server.bind_to_any_port("127.0.0.1");
  CHECK_TRUE(port > 0);
  std::thread serving([&server] { server.Serve(); });
  AnyServerSettings client(random_.get(), nullptr, MBEDTLS_SSL_MINOR_VERSION_3);
  bool handshaken;
  bool kept_while_used;
  {
    TlsPeer peer(port, client.get());
    handshaken = peer.Handshake();
    server.SetTlsConfig(nullptr);
    kept_while_used = !watch.expired();
  }
  auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!watch.expired() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  server.Stop();
  serving.join();
  CHECK_TRUE(handshaken);
  CHECK_TRUE(kept_while_used);  // its connection still used it
  CHECK_TRUE(watch.expired());
}

}  // namespace http
}  // namespace telemed
