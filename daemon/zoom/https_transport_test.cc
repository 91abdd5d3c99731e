#include "zoom/https_transport.h"

#include <CppUTest/TestHarness.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"
#include "support/tls_test_server.h"

namespace telemed {
namespace {

using test::TlsTestServer;

// Echoes what the server saw, so each test can check the round trip.
void Echo(const httplib::Request& req, httplib::Response& res) {
  res.status = req.method == "POST" ? 201 : 200;
  res.set_header("X-Reply", "yes");
  res.set_content(req.method + "|" + req.get_header_value("X-Test") + "|" +
                      req.get_header_value("Host") + "|" + req.body,
                  "text/plain");
}

void RegisterHandlers(httplib::Server& server) {
  server.Get("/echo", Echo);
  server.Post("/echo", Echo);
  server.Patch("/echo", Echo);
  server.Delete("/echo", Echo);
  // The client's port tells which connection carried the request.
  server.Get("/port", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.remote_port), "text/plain");
  });
  server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    res.set_content("late", "text/plain");
  });
}

std::unique_ptr<HttpsTransport> OpenTransport(
    const std::string& ca_file, HttpsTransport::Options options = {}) {
  options.ca_file = ca_file;
  std::unique_ptr<HttpsTransport> transport;
  Status s = HttpsTransport::Open(options, &transport);
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  return transport;
}

HttpRequest Request(const std::string& method, const std::string& url,
                    const std::string& body = "") {
  HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = {{"X-Test", "value " + method},
                     {"Content-Type", "application/json"}};
  request.body = body;
  return request;
}

// A port on 127.0.0.1 that nothing listens on (just released).
int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

void CheckFailure(const Status& s, const char* reason,
                  const std::string& message_part) {
  CHECK_TRUE_TEXT(s.code() == Status::Code::kUnavailable, s.ToString().c_str());
  STRCMP_EQUAL(reason, s.reason().c_str());
  CHECK_TRUE_TEXT(s.message().find(message_part) != std::string::npos,
                  s.ToString().c_str());
}

}  // namespace

TEST_GROUP(HttpsTransport) {
  void setup() override {
    server_ = std::make_unique<TlsTestServer>();
    RegisterHandlers(server_->server());
    server_->Start();
    transport_ = OpenTransport(server_->ca_file());
  }
  void teardown() override {
    transport_.reset();
    server_.reset();
  }

  Status Send(const HttpRequest& request) {
    return transport_->Send(request, &response_);
  }

  std::unique_ptr<TlsTestServer> server_;
  std::unique_ptr<HttpsTransport> transport_;
  HttpResponse response_;
};

TEST(HttpsTransport, RoundTripsEveryMethodWithBodyAndHeaders) {
  const char* methods[] = {"GET", "POST", "PATCH", "DELETE"};
  for (const char* method : methods) {
    std::string body = std::string("{\"m\":\"") + method + "\"}";
    // httplib servers read no body on GET, as most servers.
    if (std::string(method) == "GET") body.clear();
    Status s = Send(Request(method, server_->Url("/echo"), body));
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    LONGS_EQUAL(std::string(method) == "POST" ? 201 : 200, response_.status);
    std::string host = "127.0.0.1:" + std::to_string(server_->port());
    std::string expected =
        std::string(method) + "|value " + method + "|" + host + "|" + body;
    STRCMP_EQUAL(expected.c_str(), response_.body.c_str());
    STRCMP_EQUAL("yes", response_.Header("x-reply").c_str());
  }
}

TEST(HttpsTransport, ReportsHeaderNamesInLowerCase) {
  Status s = Send(Request("GET", server_->Url("/echo")));
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  STRCMP_EQUAL("text/plain", response_.Header("content-type").c_str());
  STRCMP_EQUAL("", response_.Header("Content-Type").c_str());
}

TEST(HttpsTransport, CarriesManyRequestsOnOneKeepAliveConnection) {
  std::set<std::string> client_ports;
  for (int i = 0; i < 200; ++i) {
    Status s = Send(Request("GET", server_->Url("/port")));
    CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
    client_ports.insert(response_.body);
  }
  LONGS_EQUAL(1, client_ports.size());
}

TEST(HttpsTransport, ServesConcurrentRequestsFromSeveralThreads) {
  constexpr int kThreads = 8;
  constexpr int kRequestsEach = 25;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequestsEach; ++i) {
        std::string body = std::to_string(t) + "-" + std::to_string(i);
        HttpResponse response;
        Status s = transport_->Send(
            Request("POST", server_->Url("/echo"), body), &response);
        size_t at = response.body.rfind('|');
        if (s.ok() && at != std::string::npos &&
            response.body.substr(at + 1) == body) {
          ++answered;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  LONGS_EQUAL(kThreads * kRequestsEach, answered.load());
}

TEST(HttpsTransport, RefusesCertificateFromAnotherCa) {
  test::TempDir dir;
  std::string other_ca = dir.File("other.pem");
  TlsTestServer::WriteFile(other_ca,
                           TlsTestServer::MakeCa("Other CA").cert_pem);
  transport_ = OpenTransport(other_ca);
  Status s = Send(Request("GET", server_->Url("/echo")));
  CheckFailure(s, "zoom_tls_failed", "certificate of 127.0.0.1");
  // The problem in words, and what to do about it.
  STRCMP_CONTAINS("(unknown CA)", s.message().c_str());
  STRCMP_CONTAINS("--ca-file", s.message().c_str());
}

TEST(HttpsTransport, NamesAHostThatDoesNotResolve) {
  Status s = Send(Request("GET", "https://no-such-host.invalid/"));
  CheckFailure(s, "zoom_unreachable",
               "cannot find the host no-such-host.invalid (DNS: ");
}

TEST(HttpsTransport, RefusesHttpUrls) {
  Status s = Send(Request("GET", "http://127.0.0.1:1/echo"));
  CHECK_TRUE(s.code() == Status::Code::kInvalidArgument);
  STRCMP_EQUAL("url_invalid", s.reason().c_str());
}

TEST(HttpsTransport, RefusesMalformedUrlsAndHeaders) {
  const char* urls[] = {
      "https://",           "https://host:0/", "https://host:99999/",
      "https://user@host/", "https://ho st/",  "https://host/a\r\nX: y",
      "https://[::1/"};
  for (const char* url : urls) {
    Status s = Send(Request("GET", url));
    STRCMP_EQUAL_TEXT("url_invalid", s.reason().c_str(), url);
  }
  HttpRequest request = Request("GET", server_->Url("/echo"));
  request.headers.push_back({"X-Evil", "a\r\nInjected: 1"});
  STRCMP_EQUAL("url_invalid", Send(request).reason().c_str());
}

TEST(HttpsTransport, ReconnectsWhenServerClosedIdleConnection) {
  TlsTestServer::Options options;
  options.keep_alive_timeout_sec = 1;
  server_ = std::make_unique<TlsTestServer>(options);
  RegisterHandlers(server_->server());
  server_->Start();
  transport_ = OpenTransport(server_->ca_file());
  CHECK_TRUE(Send(Request("GET", server_->Url("/port"))).ok());
  std::string first_port = response_.body;
  // Past the server's keep-alive timeout: it sends close_notify and closes.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  Status s = Send(Request("GET", server_->Url("/port")));
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(first_port != response_.body);
}

TEST(HttpsTransport, ReportsTimeoutWhenAnswerIsLate) {
  HttpsTransport::Options options;
  options.read_timeout = std::chrono::milliseconds(200);
  transport_ = OpenTransport(server_->ca_file(), options);
  Status s = Send(Request("GET", server_->Url("/slow")));
  CheckFailure(s, "zoom_timeout", "127.0.0.1");
}

TEST(HttpsTransport, ReportsUnreachableWhenNothingListens) {
  std::string url = "https://127.0.0.1:" + std::to_string(UnusedPort()) + "/";
  CheckFailure(Send(Request("GET", url)), "zoom_unreachable", "127.0.0.1");
}

TEST(HttpsTransport, RefusesPlainHttpPeerPromptly) {
  httplib::Server plain;
  plain.Get("/echo", Echo);
  int port = plain.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { plain.listen_after_bind(); });
  while (!plain.is_running()) std::this_thread::yield();
  auto start = std::chrono::steady_clock::now();
  std::string url = "https://127.0.0.1:" + std::to_string(port) + "/echo";
  Status s = Send(Request("GET", url));
  auto took = std::chrono::steady_clock::now() - start;
  plain.stop();
  thread.join();
  CheckFailure(s, "zoom_tls_failed", "127.0.0.1");
  // Well inside the 10 s connect timeout: the handshake fails, not waits.
  CHECK_TRUE(took < std::chrono::seconds(5));
}

TEST_GROUP(HttpsTransportHostCheck){
    Status SendTo(const TlsTestServer::Options& options,
                  const std::string& host){TlsTestServer server(options);
RegisterHandlers(server.server());
server.Start();
auto transport = OpenTransport(server.ca_file());
HttpResponse response;
std::string url =
    "https://" + host + ":" + std::to_string(server.port()) + "/echo";
return transport->Send(Request("GET", url), &response);
}  // namespace telemed
TlsTestServer::Options Names(std::vector<std::string> dns,
                             std::vector<std::string> ips) {
  TlsTestServer::Options options;
  options.dns_names = std::move(dns);
  options.ip_addresses = std::move(ips);
  return options;
}
}
;

TEST(HttpsTransportHostCheck, AcceptsIpAddressListedInCertificate) {
  Status s = SendTo(Names({}, {"127.0.0.1"}), "127.0.0.1");
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(HttpsTransportHostCheck, RefusesIpAddressNotInCertificate) {
  CheckFailure(SendTo(Names({"localhost"}, {}), "127.0.0.1"), "zoom_tls_failed",
               "certificate of 127.0.0.1");
  CheckFailure(SendTo(Names({"localhost"}, {"127.0.0.2"}), "127.0.0.1"),
               "zoom_tls_failed", "certificate of 127.0.0.1");
}

TEST(HttpsTransportHostCheck, AcceptsDnsNameListedInCertificate) {
  Status s = SendTo(Names({"localhost"}, {}), "localhost");
  CHECK_TRUE_TEXT(s.ok(), s.ToString().c_str());
}

TEST(HttpsTransportHostCheck, NamesAnExpiredCertificate) {
  TlsTestServer::Options options;
  options.expired = true;
  Status s = SendTo(options, "127.0.0.1");
  CheckFailure(s, "zoom_tls_failed", "certificate of 127.0.0.1");
  STRCMP_CONTAINS("expired", s.message().c_str());
}

TEST(HttpsTransportHostCheck, RefusesDnsNameNotInCertificate) {
  Status s = SendTo(Names({"example.org"}, {"127.0.0.1"}), "localhost");
  CheckFailure(s, "zoom_tls_failed", "certificate of localhost");
  STRCMP_CONTAINS("(wrong name)", s.message().c_str());
}

}  // namespace telemed
