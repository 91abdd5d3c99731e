// TlsPeer: a raw TLS client on one connection to 127.0.0.1, for tests of a
// TLS listener from outside: it sends exactly the bytes a test gives it and
// reads what comes back, so it can be what no HTTP client would be (idle,
// oversized, pipelining). With it the plain-socket helpers such tests need:
// a TCP connection that never starts its handshake, and whether the server
// closed it.
//
// Setup failures fail the running CppUTest test.
#ifndef TELEMED_TESTS_SUPPORT_TLS_PEER_H_
#define TELEMED_TESTS_SUPPORT_TLS_PEER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "base/random.h"
#include "tls/mbedtls_owners.h"
#include "tls/tls_session.h"
#include "tls/tls_stream.h"

namespace telemed {
namespace test {

// A TCP connection to 127.0.0.1:`port` whose reads give up after
// `patience`.
int ConnectTcp(int port, std::chrono::seconds patience);
// Whether the server closed `fd` (EOF or reset) rather than our read timing
// out; discards what it sent.
bool ClosedByServer(int fd);

// The start of a TLS record that announces a 512-byte ClientHello, and no
// more of it (sizeof - 1 bytes).
extern const char kHalfClientHello[12];

// "SHA-256 AB:CD:..." of a certificate's DER bytes, as browsers, `web cert`
// and the daemon's log show it.
std::string CertificateFingerprint(const unsigned char* der, size_t size);

// Client settings that accept any certificate (a test checks what it must
// itself) and offer `suites` (null: mbedTLS's defaults) within TLS
// 1.`min_minor - 1`..1.2.
class AnyServerSettings final {
 public:
  AnyServerSettings(RandomSource* random, const int* suites = nullptr,
                    int min_minor = 3);
  // TLS 1.1 at most.
  void CapAtTls11();
  // Offers only `curves` (ending in MBEDTLS_ECP_DP_NONE; must outlive this).
  void OfferCurves(const mbedtls_ecp_group_id* curves);
  const mbedtls_ssl_config* get() const { return config_.get(); }

 private:
  tls::MbedtlsSslConfig config_;
};

class TlsPeer final {
 public:
  // Connects (the handshake waits for Handshake()); reads and writes give up
  // after `patience`.
  TlsPeer(int port, const mbedtls_ssl_config* config,
          std::chrono::seconds patience = std::chrono::seconds(10));
  ~TlsPeer();
  TlsPeer(const TlsPeer&) = delete;
  TlsPeer& operator=(const TlsPeer&) = delete;

  bool Handshake();
  // Sends all of `bytes`; fails the test when the connection breaks.
  void Write(const std::string& bytes);
  // Reads until `count` times `needle` arrived, or the stream ends (then
  // *end is what the last read returned: 0 for close_notify).
  std::string ReadUntil(const std::string& needle, int count,
                        ssize_t* end = nullptr);
  // Everything until the server ends the connection (*end as ReadUntil).
  std::string ReadToEnd(ssize_t* end = nullptr);
  // The cipher suite agreed, as mbedTLS names it.
  std::string Suite();
  // The subject of the server's certificate, "CN=...".
  std::string PeerSubject();
  // CertificateFingerprint of the server's certificate ("" before the
  // handshake).
  std::string PeerFingerprint();

 private:
  const int fd_;
  const std::chrono::seconds patience_;
  std::unique_ptr<tls::TlsSession> session_;
  std::unique_ptr<tls::TlsStream> stream_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_TLS_PEER_H_
