// TlsStream: the adapter that lets cpp-httplib frame HTTP over mbedTLS.
//
// Why this module exists: Debian bookworm's cpp-httplib 0.11 is built
// with OpenSSL and can speak TLS only through OpenSSL, while the bridge
// uses mbedTLS for all TLS (one small, auditable library for TLS, AES-GCM
// and certificates). Rather than copy or patch cpp-httplib, the bridge
// keeps it for HTTP parsing and writing and lets mbedTLS own every TLS
// byte: httplib talks to an abstract httplib::Stream, and this class is a
// Stream over an mbedTLS session. TlsClient (tls_client.h) plugs it into
// httplib's client through the virtual hooks docs/library-notes.md
// describes. The server side waits in an event loop rather than in the
// stream, so it reads through a non-blocking TLS channel instead
// (http/tls_channel.h, with its settings from server_tls_config.h);
// SocketBio (socket_bio.h) moves the raw bytes for both; certificate.h
// makes certificates for tests and the LAN page.
// No OpenSSL TLS function is ever called (libssl is only loaded because
// Debian's libcpp-httplib links it).
//
// Borrows its session, which must outlive it. One thread at a time.
#ifndef TELEMED_TLS_TLS_STREAM_H_
#define TELEMED_TLS_TLS_STREAM_H_

#include <httplib.h>

#include <chrono>
#include <string>

namespace telemed {
namespace tls {

class TlsSession;

class TlsStream final : public httplib::Stream {
 public:
  TlsStream(TlsSession* session, std::chrono::microseconds read_timeout,
            std::chrono::microseconds write_timeout);

  // True when bytes wait inside mbedTLS or on the socket within the read
  // timeout. mbedTLS is asked first: httplib reads byte by byte, and the
  // rest of a record sits decrypted in mbedTLS where poll() cannot see it
  // (polling alone stalls even a plain GET).
  bool is_readable() const override;
  bool is_writable() const override;
  // Return the byte count, 0 at the end of the stream (close_notify or
  // EOF), -1 on an error or when the timeout passed.
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

  // Whether the last failed read or write ran out of time (rather than
  // the connection breaking).
  bool timed_out() const { return timed_out_; }

 private:
  // Repeats `operation` while mbedTLS asks for more and time is left.
  template <typename Operation>
  int Retry(std::chrono::microseconds timeout, Operation operation);

  TlsSession* const session_;
  const std::chrono::microseconds read_timeout_;
  const std::chrono::microseconds write_timeout_;
  bool timed_out_ = false;
};

}  // namespace tls
}  // namespace telemed

#endif  // TELEMED_TLS_TLS_STREAM_H_
