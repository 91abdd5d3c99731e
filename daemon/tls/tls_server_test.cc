#include "tls/tls_server.h"

#include <CppUTest/TestHarness.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "support/tls_test_server.h"
#include "zoom/https_transport.h"

namespace telemed {
namespace tls {
namespace {

using std::chrono::milliseconds;
using test::TlsTestServer;

// A TCP connection to 127.0.0.1:port whose reads give up after 5 s.
int ConnectRaw(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  LONGS_EQUAL(
      0, connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)));
  timeval timeout = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

Status Get(const TlsTestServer& server, milliseconds connect_timeout) {
  HttpsTransport::Options options;
  options.ca_file = server.ca_file();
  options.connect_timeout = connect_timeout;
  std::unique_ptr<HttpsTransport> transport;
  Status s = HttpsTransport::Open(options, &transport);
  if (!s.ok()) return s;
  HttpRequest request;
  request.method = "GET";
  request.url = server.Url("/hello");
  HttpResponse response;
  s = transport->Send(request, &response);
  if (s.ok() && response.body != "hello") {
    return Status::Internal("wrong_body", response.body);
  }
  return s;
}

}  // namespace

TEST_GROUP(TlsServer) {
  void setup() override {
    TlsTestServer::Options options;
    options.handshake_timeout = milliseconds(300);
    options.worker_threads = 1;
    server_ = std::make_unique<TlsTestServer>(options);
    server_->server().Get("/hello",
                          [](const httplib::Request&, httplib::Response& res) {
                            res.set_content("hello", "text/plain");
                          });
    server_->Start();
  }
  std::unique_ptr<TlsTestServer> server_;
};

TEST(TlsServer, DropsClientThatNeverStartsHandshake) {
  int fd = ConnectRaw(server_->port());
  auto start = std::chrono::steady_clock::now();
  char byte;
  ssize_t got = recv(fd, &byte, 1, 0);
  auto waited = std::chrono::steady_clock::now() - start;
  close(fd);
  LONGS_EQUAL(0, got);  // closed by the server, not our 5 s timeout
  CHECK_TRUE(waited < std::chrono::seconds(3));
}

TEST(TlsServer, SilentClientDoesNotHoldOnlyWorker) {
  int silent = ConnectRaw(server_->port());
  // The one worker is busy with the silent client until its deadline.
  Status s = Get(*server_, milliseconds(3000));
  close(silent);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(TlsServer, ClosesConnectionSpeakingPlainHttp) {
  int fd = ConnectRaw(server_->port());
  const char request[] = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  send(fd, request, sizeof(request) - 1, MSG_NOSIGNAL);
  char buffer[256];
  ssize_t got;
  std::string answer;
  while ((got = recv(fd, buffer, sizeof(buffer), 0)) > 0)
    answer.append(buffer, got);
  close(fd);
  LONGS_EQUAL(0, got);  // closed, not timed out
  CHECK_TRUE(answer.find("hello") == std::string::npos);
  CHECK_TRUE(Get(*server_, milliseconds(3000)).ok());
}

TEST_GROUP(TlsServerOpen) {
  void setup() override {
    ca_ = TlsTestServer::MakeCa("CA");
    other_ = TlsTestServer::MakeCa("Other");
  }
  Status Open(const std::string& cert, const std::string& key) {
    TlsServer::Options options;
    options.cert_chain_pem = cert;
    options.key_pem = key;
    std::unique_ptr<TlsServer> server;
    return TlsServer::Open(options, &server);
  }
  CertificateAndKey ca_, other_;
};

TEST(TlsServerOpen, AcceptsMatchingCertificateAndKey) {
  Status s = Open(ca_.cert_pem, ca_.key_pem);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(TlsServerOpen, RefusesKeyOfAnotherCertificate) {
  STRCMP_EQUAL("tls_credentials_invalid",
               Open(ca_.cert_pem, other_.key_pem).reason().c_str());
}

TEST(TlsServerOpen, RefusesUnparsablePem) {
  STRCMP_EQUAL("tls_credentials_invalid",
               Open("not pem", ca_.key_pem).reason().c_str());
  STRCMP_EQUAL("tls_credentials_invalid",
               Open(ca_.cert_pem, "not pem").reason().c_str());
}

TEST(TlsServerOpen, RefusesMissingFiles) {
  TlsServer::Options options;
  options.cert_chain_file = "/nonexistent/cert.pem";
  options.key_file = "/nonexistent/key.pem";
  std::unique_ptr<TlsServer> server;
  STRCMP_EQUAL("tls_credentials_invalid",
               TlsServer::Open(options, &server).reason().c_str());
}

}  // namespace tls
}  // namespace telemed
