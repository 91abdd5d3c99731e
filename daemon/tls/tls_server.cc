#include "tls/tls_server.h"

#include <mbedtls/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "tls/random_callback.h"
#include "tls/tls_session.h"
#include "tls/tls_stream.h"

#if !defined(MBEDTLS_THREADING_C)
#error "TlsServer shares one mbedtls_ssl_config across threads"
#endif

namespace telemed {
namespace tls {

namespace {

using std::chrono::milliseconds;

// How long close_notify may take before the socket is closed anyway.
constexpr milliseconds kCloseNotifyTimeout(500);
// How often an idle connection looks whether the server is stopping.
constexpr milliseconds kStopCheckInterval(50);

Status CredentialsError(int ret, const std::string& what) {
  return Status::InvalidArgument("tls_credentials_invalid",
                                 MbedtlsErrorText(ret, what));
}

// mbedTLS parses PEM only with its terminating NUL counted in the length.
const unsigned char* PemBytes(const std::string& pem) {
  return reinterpret_cast<const unsigned char*>(pem.c_str());
}

std::chrono::microseconds Micros(time_t sec, time_t usec) {
  return std::chrono::seconds(sec) + std::chrono::microseconds(usec);
}

}  // namespace

TlsServer::TlsServer(const Options& options)
    : handshake_timeout_(options.handshake_timeout) {
  int threads = std::max(1, options.worker_threads);
  new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  set_tcp_nodelay(true);
  set_keep_alive_max_count(std::max<size_t>(1, options.keep_alive_max_count));
  set_keep_alive_timeout(options.keep_alive_timeout_sec);
}

TlsServer::~TlsServer() = default;

int TlsServer::BindToAnyPort(const std::string& host) {
  int port = bind_to_any_port(host);
  // listen() again on a listening socket only changes its backlog. Done
  // here, on the binding thread, before listen_after_bind runs: from the
  // listen thread it would race with stop() closing the socket.
  socket_t sock = svr_sock_;
  if (port > 0 && sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
  return port;
}

Status TlsServer::Open(const Options& options,
                       std::unique_ptr<TlsServer>* out) {
  std::unique_ptr<TlsServer> server(new TlsServer(options));
  server->random_ = options.random;
  if (server->random_ == nullptr) {
    Status s = RealRandom::Open(&server->own_random_);
    if (!s.ok()) return s;
    server->random_ = server->own_random_.get();
  }
  Status s = server->LoadCredentials(options);
  if (s.ok()) s = server->ConfigureTls();
  if (!s.ok()) return s;
  *out = std::move(server);
  return Status::OK();
}

Status TlsServer::LoadCredentials(const Options& options) {
  int ret = options.cert_chain_pem.empty()
                ? mbedtls_x509_crt_parse_file(chain_.get(),
                                              options.cert_chain_file.c_str())
                : mbedtls_x509_crt_parse(chain_.get(),
                                         PemBytes(options.cert_chain_pem),
                                         options.cert_chain_pem.size() + 1);
  if (ret != 0) return CredentialsError(ret, "loading the certificate chain");
  ret = options.key_pem.empty()
            ? mbedtls_pk_parse_keyfile(key_.get(), options.key_file.c_str(),
                                       nullptr)
            : mbedtls_pk_parse_key(key_.get(), PemBytes(options.key_pem),
                                   options.key_pem.size() + 1, nullptr, 0);
  if (ret != 0) return CredentialsError(ret, "loading the private key");
  ret = mbedtls_pk_check_pair(&chain_.get()->pk, key_.get());
  if (ret != 0) return CredentialsError(ret, "matching key and certificate");
  return Status::OK();
}

Status TlsServer::ConfigureTls() {
  mbedtls_ssl_config* conf = config_.get();
  int ret = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_SERVER,
                                        MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return MbedtlsStatus(ret, "preparing TLS server settings");
  mbedtls_ssl_conf_rng(conf, FillFromRandomSource, random_);
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                               MBEDTLS_SSL_MINOR_VERSION_3);  // TLS 1.2
  ret = mbedtls_ssl_conf_own_cert(conf, chain_.get(), key_.get());
  if (ret != 0) return MbedtlsStatus(ret, "installing the certificate");
  return Status::OK();
}

bool TlsServer::process_and_close_socket(socket_t sock) {
  SetNoDelay(sock);
  bool served = false;
  std::unique_ptr<TlsSession> session;
  if (TlsSession::Open(config_.get(), sock, &session).ok() &&
      session->Handshake(DeadlineIn(handshake_timeout_)) == 0) {
    served = ServeRequests(session.get());
    session->Close(kCloseNotifyTimeout);
  }
  session.reset();
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return served;
}

bool TlsServer::ServeRequests(TlsSession* session) {
  TlsStream stream(session, Micros(read_timeout_sec_, read_timeout_usec_),
                   Micros(write_timeout_sec_, write_timeout_usec_));
  bool ok = false;
  for (size_t left = keep_alive_max_count_;
       left > 0 && WaitForRequest(*session); --left) {
    bool connection_closed = false;
    // The last allowed request is answered with "Connection: close".
    ok = process_request(stream, left == 1, connection_closed, nullptr);
    if (!ok || connection_closed) break;
  }
  return ok;
}

bool TlsServer::WaitForRequest(const TlsSession& session) const {
  SteadyTime deadline =
      DeadlineIn(std::chrono::seconds(keep_alive_timeout_sec_));
  while (svr_sock_ != INVALID_SOCKET) {
    if (session.HasBufferedData()) return true;
    auto left = std::chrono::duration_cast<milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    int ready =
        PollFd(session.fd(), POLLIN, std::min(left, kStopCheckInterval));
    if (ready != 0) return ready > 0;
  }
  return false;
}

}  // namespace tls
}  // namespace telemed
