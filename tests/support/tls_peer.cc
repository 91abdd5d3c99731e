#include "support/tls_peer.h"

#include <CppUTest/TestHarness.h>
#include <arpa/inet.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "tls/random_callback.h"

namespace telemed {
namespace test {

namespace {

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace

const char kHalfClientHello[12] =
    "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";

int ConnectTcp(int port, std::chrono::seconds patience) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  LONGS_EQUAL(
      0, connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)));
  timeval timeout = {static_cast<time_t>(patience.count()), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

bool ClosedByServer(int fd) {
  char buffer[4096];
  for (;;) {
    ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
    if (got > 0) continue;
    return got == 0 || errno == ECONNRESET;
  }
}

std::string CertificateFingerprint(const unsigned char* der, size_t size) {
  unsigned char digest[32];
  mbedtls_sha256_ret(der, size, digest, 0);
  std::string text = "SHA-256 ";
  for (size_t i = 0; i < sizeof(digest); ++i) {
    char hex[4];
    snprintf(hex, sizeof(hex), "%s%02X", i == 0 ? "" : ":", digest[i]);
    text += hex;
  }
  return text;
}

AnyServerSettings::AnyServerSettings(RandomSource* random, const int* suites,
                                     int min_minor) {
  mbedtls_ssl_config* conf = config_.get();
  CHECK_EQUAL(0, mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT,
                                             MBEDTLS_SSL_TRANSPORT_STREAM,
                                             MBEDTLS_SSL_PRESET_DEFAULT));
  mbedtls_ssl_conf_rng(conf, tls::FillFromRandomSource, random);
  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, min_minor);
  if (suites != nullptr) mbedtls_ssl_conf_ciphersuites(conf, suites);
}

void AnyServerSettings::CapAtTls11() {
  mbedtls_ssl_conf_max_version(config_.get(), MBEDTLS_SSL_MAJOR_VERSION_3,
                               MBEDTLS_SSL_MINOR_VERSION_2);
}

void AnyServerSettings::OfferCurves(const mbedtls_ecp_group_id* curves) {
  mbedtls_ssl_conf_curves(config_.get(), curves);
}

TlsPeer::TlsPeer(int port, const mbedtls_ssl_config* config,
                 std::chrono::seconds patience)
    : fd_(ConnectTcp(port, patience)), patience_(patience) {
  CHECK_TRUE(tls::TlsSession::Open(config, fd_, &session_).ok());
  mbedtls_ssl_set_hostname(session_->ssl(), "localhost");
  stream_ =
      std::make_unique<tls::TlsStream>(session_.get(), patience, patience);
}

TlsPeer::~TlsPeer() {
  stream_.reset();
  session_.reset();
  close(fd_);
}

bool TlsPeer::Handshake() {
  return session_->Handshake(tls::DeadlineIn(patience_)) == 0;
}

void TlsPeer::Write(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = stream_->write(bytes.data() + sent, bytes.size() - sent);
    CHECK_TRUE(n > 0);
    sent += static_cast<size_t>(n);
  }
}

std::string TlsPeer::ReadUntil(const std::string& needle, int count,
                               ssize_t* end) {
  std::string got;
  char buffer[16384];
  while (Count(got, needle) < count) {
    ssize_t n = stream_->read(buffer, sizeof(buffer));
    if (n <= 0) {
      if (end != nullptr) *end = n;
      break;
    }
    got.append(buffer, static_cast<size_t>(n));
  }
  return got;
}

std::string TlsPeer::ReadToEnd(ssize_t* end) {
  // No answer holds this needle: read until the stream ends.
  return ReadUntil("\x01never\x02", 1, end);
}

std::string TlsPeer::Suite() {
  return mbedtls_ssl_get_ciphersuite(session_->ssl());
}

std::string TlsPeer::PeerSubject() {
  const mbedtls_x509_crt* cert = mbedtls_ssl_get_peer_cert(session_->ssl());
  if (cert == nullptr) return "";
  char text[256];
  mbedtls_x509_dn_gets(text, sizeof(text), &cert->subject);
  return text;
}

std::string TlsPeer::PeerFingerprint() {
  const mbedtls_x509_crt* cert = mbedtls_ssl_get_peer_cert(session_->ssl());
  return cert == nullptr ? ""
                         : CertificateFingerprint(cert->raw.p, cert->raw.len);
}

}  // namespace test
}  // namespace telemed
