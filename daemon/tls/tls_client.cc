#include "tls/tls_client.h"

#include <arpa/inet.h>
#include <mbedtls/asn1.h>
#include <mbedtls/x509.h>
#include <netdb.h>
#include <poll.h>

#include <cstring>

#include "tls/tls_client_config.h"
#include "tls/tls_session.h"
#include "tls/tls_stream.h"

namespace telemed {
namespace tls {

namespace {

using Kind = TlsClient::Failure::Kind;

// How long close_notify may take before the socket is closed anyway.
constexpr std::chrono::milliseconds kCloseNotifyTimeout(500);

std::chrono::microseconds Micros(time_t sec, time_t usec) {
  return std::chrono::seconds(sec) + std::chrono::microseconds(usec);
}

// Fills `ip` with the binary address when `host` is an IPv4 or IPv6
// literal; returns its length, or 0 for a DNS name.
size_t ParseIpLiteral(const std::string& host,
                      std::array<unsigned char, 16>* ip) {
  if (inet_pton(AF_INET, host.c_str(), ip->data()) == 1) return 4;
  if (inet_pton(AF_INET6, host.c_str(), ip->data()) == 1) return 16;
  return 0;
}

bool HasIpSan(const mbedtls_x509_crt& crt, const unsigned char* ip,
              size_t length) {
  constexpr int kIpTag =
      MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_IP_ADDRESS;
  for (const mbedtls_x509_sequence* name = &crt.subject_alt_names;
       name != nullptr; name = name->next) {
    const mbedtls_x509_buf& buf = name->buf;
    if (buf.tag == kIpTag && buf.len == length &&
        memcmp(buf.p, ip, length) == 0) {
      return true;
    }
  }
  return false;
}

// mbedTLS's multi-line verification report as one line.
std::string VerifyText(uint32_t flags) {
  char text[512] = "";
  mbedtls_x509_crt_verify_info(text, sizeof(text), "", flags);
  std::string line;
  for (const char* c = text; *c != '\0'; ++c) {
    if (*c != '\n')
      line += *c;
    else if (c[1] != '\0')
      line += "; ";
  }
  return line;
}

// The certificate problems a person can act on, named in plain words,
// then mbedTLS's own report.
std::string CertificateProblem(const std::string& host, uint32_t flags) {
  std::string words;
  auto add = [&words](const std::string& text) {
    words += (words.empty() ? "" : "; ") + text;
  };
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    add("issued by a CA this machine does not trust (unknown CA)");
  }
  if (flags & MBEDTLS_X509_BADCERT_EXPIRED) {
    add("expired (or this machine's clock is wrong)");
  }
  if (flags & MBEDTLS_X509_BADCERT_FUTURE) {
    add("not valid yet (or this machine's clock is wrong)");
  }
  if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) {
    add("made for another name than " + host + " (wrong name)");
  }
  if (words.empty()) words = VerifyText(flags);
  return "the TLS certificate of " + host + " is not accepted: " + words +
         ". For a server with its own CA give that CA's PEM file with "
         "--ca-file; for Zoom itself install the ca-certificates package";
}

// httplib reports a failed name lookup like any failed connect: ask the
// resolver again to tell the two apart in the message.
bool ResolvesNot(const std::string& host, std::string* why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  int ret = getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (result != nullptr) freeaddrinfo(result);
  if (ret == 0) return false;
  *why = gai_strerror(ret);
  return true;
}

}  // namespace

TlsClient::TlsClient(const std::string& host, int port, TlsClientConfig* config)
    : httplib::ClientImpl(host, port), config_(config) {
  ip_length_ = ParseIpLiteral(host, &ip_);
  set_keep_alive(true);
  set_tcp_nodelay(true);
}

TlsClient::~TlsClient() {
  // The base destructor would only reach the base shutdown_ssl.
  std::lock_guard<std::mutex> lock(socket_mutex_);
  shutdown_ssl(socket_, /*shutdown_gracefully=*/true);
}

TlsClient::Failure TlsClient::TakeFailure() {
  MutexLock lock(&failure_mu_);
  Failure failure = std::move(failure_);
  failure_ = Failure();
  return failure;
}

void TlsClient::RecordFailure(Failure::Kind kind, const std::string& message) {
  MutexLock lock(&failure_mu_);
  failure_.kind = kind;
  failure_.message = message;
}

bool TlsClient::create_and_connect_socket(Socket& socket,
                                          httplib::Error& error) {
  if (!httplib::ClientImpl::create_and_connect_socket(socket, error)) {
    bool timed_out = error == httplib::Error::ConnectionTimeout;
    std::string why;
    if (!timed_out && ip_length_ == 0 && ResolvesNot(host_, &why)) {
      RecordFailure(Kind::kConnect,
                    "cannot find the host " + host_ + " (DNS: " + why +
                        "): check the name in the Zoom URL and the "
                        "machine's DNS settings");
      return false;
    }
    RecordFailure(timed_out ? Kind::kTimeout : Kind::kConnect,
                  "cannot connect to " + host_and_port_ + ": " +
                      httplib::to_string(error) +
                      ": check the machine's network, firewall (outgoing "
                      "HTTPS, port 443) and proxy");
    return false;
  }
  if (StartTls(socket, &error)) return true;
  // Closed here so the next send() cannot reuse it as plain HTTP.
  shutdown_socket(socket);
  close_socket(socket);
  return false;
}

bool TlsClient::StartTls(const Socket& socket, httplib::Error* error) {
  SetNoDelay(socket.sock);
  const mbedtls_ssl_config* conf = nullptr;
  std::unique_ptr<TlsSession> session;
  Status s = config_->Prepare(&conf);
  if (s.ok()) s = TlsSession::Open(conf, socket.sock, &session);
  if (!s.ok()) {
    *error = httplib::Error::SSLLoadingCerts;
    RecordFailure(Kind::kTls, s.message());
    return false;
  }
  ConfigureHostCheck(session->ssl());
  auto timeout = Micros(connection_timeout_sec_, connection_timeout_usec_);
  int ret = session->Handshake(DeadlineIn(timeout));
  session_ = std::move(session);
  if (ret == 0) return true;
  RecordHandshakeFailure(ret, error);
  session_.reset();
  return false;
}

void TlsClient::ConfigureHostCheck(mbedtls_ssl_context* ssl) {
  if (ip_length_ == 0) {
    // mbedTLS 2.28 silently skips the host-name check unless it is told the
    // name, even with verification required. This also
    // sends SNI. It fails only on allocation, which the handshake reports.
    mbedtls_ssl_set_hostname(ssl, host_.c_str());
    return;
  }
  // An IP literal: no SNI (RFC 6066 allows only DNS names there), and
  // mbedTLS cannot match IP-address SANs, so the callback does.
  mbedtls_ssl_set_verify(ssl, &TlsClient::VerifyIpSan, this);
}

int TlsClient::VerifyIpSan(void* client, mbedtls_x509_crt* crt, int depth,
                           uint32_t* flags) {
  auto* self = static_cast<TlsClient*>(client);
  if (depth == 0 && !HasIpSan(*crt, self->ip_.data(), self->ip_length_)) {
    *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
  }
  return 0;
}

void TlsClient::RecordHandshakeFailure(int ret, httplib::Error* error) {
  if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
    *error = httplib::Error::SSLServerVerification;
    uint32_t flags = mbedtls_ssl_get_verify_result(session_->ssl());
    RecordFailure(Kind::kVerify, CertificateProblem(host_, flags));
    return;
  }
  *error = httplib::Error::SSLConnection;
  if (session_->bio()->timed_out()) {
    RecordFailure(Kind::kTimeout,
                  "TLS handshake with " + host_and_port_ + " timed out");
    return;
  }
  RecordFailure(Kind::kTls,
                MbedtlsErrorText(ret, "TLS handshake with " + host_and_port_));
}

void TlsClient::shutdown_ssl(Socket& /*socket*/, bool shutdown_gracefully) {
  if (session_ != nullptr && shutdown_gracefully) {
    session_->Close(kCloseNotifyTimeout);
  }
  session_.reset();
}

bool TlsClient::ReconnectIfStale() {
  std::lock_guard<std::mutex> lock(socket_mutex_);
  // Between requests an HTTP/1.1 server sends nothing, so anything to read
  // (close_notify, EOF, junk) means this connection cannot carry another.
  if (session_ != nullptr && !session_->HasBufferedData() &&
      PollFd(session_->fd(), POLLIN, std::chrono::milliseconds(0)) == 0) {
    return true;
  }
  shutdown_ssl(socket_, /*shutdown_gracefully=*/false);
  shutdown_socket(socket_);
  close_socket(socket_);
  httplib::Error error = httplib::Error::Success;
  return create_and_connect_socket(socket_, error);
}

bool TlsClient::process_socket(
    const Socket& /*socket*/,
    std::function<bool(httplib::Stream& strm)> callback) {
  if (!ReconnectIfStale()) return false;
  // Only this thread uses the session until send() returns (httplib holds
  // request_mutex_), so the pointer stays valid for the callback.
  TlsSession* session;
  {
    std::lock_guard<std::mutex> lock(socket_mutex_);
    session = session_.get();
  }
  TlsStream stream(session, Micros(read_timeout_sec_, read_timeout_usec_),
                   Micros(write_timeout_sec_, write_timeout_usec_));
  if (callback(stream)) return true;
  if (stream.timed_out()) {
    RecordFailure(Kind::kTimeout, "no answer from " + host_and_port_ +
                                      " within " +
                                      std::to_string(read_timeout_sec_) + " s");
  } else {
    RecordFailure(Kind::kIo, "connection to " + host_and_port_ +
                                 " broke during the request");
  }
  return false;
}

}  // namespace tls
}  // namespace telemed
