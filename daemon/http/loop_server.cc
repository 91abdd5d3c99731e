#include "http/loop_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/mutex.h"
#include "http/buffered_stream.h"
#include "http/byte_channel.h"
#include "http/tls_channel.h"
#include "http/worker_pool.h"
#include "tls/server_tls_config.h"
#include "tls/socket_bio.h"

namespace telemed {
namespace http {

namespace {

using std::chrono::milliseconds;
using Verdict = HeadCheck::Verdict;

// How often deadlines are looked at, and keys re-checked.
constexpr milliseconds kTick(100);
constexpr milliseconds kKeyRecheck(1000);
// How long a worker waits for the next request of a keep-alive connection
// before handing it back: a client that sends its next request as soon as
// it has an answer then costs no thread switch.
constexpr milliseconds kNextRequestGrace(2);
// Chunk-size lines and trailers a chunked body may add to its limit.
constexpr uint64_t kChunkFramingSlack = 4 * 1024;
// Connections beyond max_connections that still get their 503 (the rest
// are closed at once).
constexpr size_t kRefusedOverflow = 1024;

SteadyTime In(milliseconds delay) {
  return std::chrono::steady_clock::now() + delay;
}

const char* Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

// Many connections need many descriptors: the soft limit (often 1024) goes
// up to the hard one.
void RaiseFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Runs each accepted socket's job on the accept thread: the job only hands
// the socket to the epoll thread.
class InlineQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> job) override { job(); }
  void shutdown() override {}
};

enum class Phase {
  kHandshake,  // TLS: the handshake runs (handshake_timeout)
  kIdle,       // waiting for a request's first byte (idle_timeout)
  kHead,       // a head has begun (head_timeout)
  kWorking,    // owned by a worker; the epoll thread does not touch it
  kStalled,    // a request waits, but the client does not read its answers
               // (write_timeout)
  kDraining,   // half-closed, discarding input until EOF (drain_timeout)
};

struct Connection {
  Connection(std::unique_ptr<ByteChannel> channel_in,
             const std::atomic<bool>* stopping, milliseconds write_timeout)
      : fd(channel_in->fd()),
        channel(std::move(channel_in)),
        stream(channel.get(), stopping, write_timeout) {}
  const int fd;
  const std::unique_ptr<ByteChannel> channel;
  BufferedStream stream;
  // Guarded by ConnectionLoop::mu_ while not kWorking.
  Phase phase = Phase::kIdle;
  SteadyTime deadline;
  // The head being served (set before a worker gets the connection).
  HeadCheck head;
  // The Authorization of the last request served.
  std::string authorization;
  size_t served = 0;
  // kHandshake: whether the handshake waits to write rather than to read.
  bool handshake_writes = false;
  // Beyond max_connections: answered 503 once its handshake is done.
  bool refused = false;
};

// The settings but their TLS setup, which lives in ConnectionLoop::tls_
// alone: a swapped-out certificate and key are freed once the last
// connection using them closes.
LoopServer::Settings WithoutTls(LoopServer::Settings settings) {
  settings.tls.reset();
  return settings;
}

}  // namespace

class ConnectionLoop {
 public:
  using ServeRequest =
      std::function<bool(BufferedStream& stream, bool close, bool& closed)>;

  // The descriptors are made here, before any other thread exists: Stop()
  // may come from another thread before or while Start() runs.
  ConnectionLoop(const LoopServer::Settings& options, ServeRequest serve)
      : options_(WithoutTls(options)),
        serve_(std::move(serve)),
        epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
        wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
        tls_(options.tls) {}
  ~ConnectionLoop() {
    if (epoll_fd_ >= 0) close(epoll_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
  }

  bool Start();
  // Takes ownership of an accepted socket.
  void Add(int fd) EXCLUDES(mu_);
  void Stop();
  // After Stop: waits for the epoll thread and the workers.
  void Join();
  void SetTlsConfig(std::shared_ptr<const tls::ServerTlsConfig> tls)
      EXCLUDES(tls_mu_);

 private:
  // The channel for a new connection on `fd`; false when none could be made.
  bool MakeChannel(int fd, std::unique_ptr<ByteChannel>* channel)
      EXCLUDES(tls_mu_);
  void Run() EXCLUDES(mu_);
  void OnEvent(Connection* c);
  // TLS: the handshake's next step; then serve, refuse or close.
  void Handshake(Connection* c);
  void ReadHead(Connection* c);
  void Drain(Connection* c);
  // A head may be complete: dispatch, refuse, or wait for more.
  void Examine(Connection* c);
  void Dispatch(Connection* c) EXCLUDES(mu_);
  void Serve(Connection* c);
  // Whether the next request is (or soon is) complete in the buffer; false
  // when the connection has been handed on or closed.
  bool NextRequest(Connection* c);
  void Refuse(Connection* c, int status, const std::string& code,
              const std::string& message);
  void RefuseBusy(Connection* c);
  void HalfClose(Connection* c);
  // Gives the connection to the epoll thread in `phase` until `deadline`.
  // kStalled waits until the socket is writable, the others until readable.
  void Watch(Connection* c, Phase phase, SteadyTime deadline) EXCLUDES(mu_);
  void Close(Connection* c) EXCLUDES(mu_);
  void Sweep() EXCLUDES(mu_);
  void RecheckKeys() EXCLUDES(mu_);
  void CloseAll() EXCLUDES(mu_);

  const LoopServer::Settings options_;
  const ServeRequest serve_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> open_{0};
  const int epoll_fd_;
  const int wake_fd_;
  std::thread thread_;
  std::unique_ptr<WorkerPool> pool_;
  Mutex mu_;
  std::unordered_set<Connection*> connections_ GUARDED_BY(mu_);
  bool watching_ GUARDED_BY(mu_) = true;
  Mutex tls_mu_;
  std::shared_ptr<const tls::ServerTlsConfig> tls_ GUARDED_BY(tls_mu_);
};

bool ConnectionLoop::Start() {
  if (epoll_fd_ < 0 || wake_fd_ < 0) return false;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) != 0) return false;
  WorkerPool::Options pool;
  pool.max_threads = std::max<size_t>(1, options_.max_workers);
  pool.changes = options_.activity;
  pool_ = std::make_unique<WorkerPool>(pool);
  thread_ = std::thread([this] { Run(); });
  return true;
}

void ConnectionLoop::Stop() {
  stopping_ = true;
  uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof(one));
}

void ConnectionLoop::Join() {
  if (thread_.joinable()) thread_.join();
  if (pool_) pool_->shutdown();
}

void ConnectionLoop::Add(int fd) {
  tls::SetNoDelay(fd);
  // httplib accepts without SOCK_CLOEXEC: a program this process starts
  // must not keep its clients' connections open.
  (void)fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
  const size_t open = ++open_;
  if (open > options_.max_connections + kRefusedOverflow) {
    --open_;
    close(fd);
    return;
  }
  std::unique_ptr<ByteChannel> channel;
  if (!MakeChannel(fd, &channel)) {
    --open_;
    close(fd);
    return;
  }
  const bool tls = channel->HasOpening();
  auto* c =
      new Connection(std::move(channel), &stopping_, options_.write_timeout);
  c->phase = Phase::kWorking;  // not the epoll thread's until Watch
  c->refused = open > options_.max_connections;
  {
    MutexLock lock(&mu_);
    connections_.insert(c);
  }
  if (tls) return Watch(c, Phase::kHandshake, In(options_.handshake_timeout));
  if (c->refused) return RefuseBusy(c);
  Watch(c, Phase::kIdle, In(options_.idle_timeout));
}

bool ConnectionLoop::MakeChannel(int fd,
                                 std::unique_ptr<ByteChannel>* channel) {
  std::shared_ptr<const tls::ServerTlsConfig> tls;
  {
    MutexLock lock(&tls_mu_);
    tls = tls_;
  }
  if (tls == nullptr) {
    *channel = std::make_unique<PlainChannel>(fd);
    return true;
  }
  return TlsChannel::Make(std::move(tls), fd, channel).ok();
}

void ConnectionLoop::SetTlsConfig(
    std::shared_ptr<const tls::ServerTlsConfig> tls) {
  MutexLock lock(&tls_mu_);
  tls_ = std::move(tls);
}

void ConnectionLoop::RefuseBusy(Connection* c) {
  Refuse(c, 503, "busy", "the bridge has too many connections; try again");
}

void ConnectionLoop::Watch(Connection* c, Phase phase, SteadyTime deadline) {
  {
    MutexLock lock(&mu_);
    if (watching_) {
      c->phase = phase;
      c->deadline = deadline;
      const bool writes = phase == Phase::kStalled ||
                          (phase == Phase::kHandshake && c->handshake_writes);
      epoll_event event{};
      event.events = (writes ? EPOLLOUT : EPOLLIN) | EPOLLRDHUP | EPOLLONESHOT;
      event.data.ptr = c;
      // The first Watch adds the socket; later ones re-arm it.
      if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &event) != 0) {
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c->fd, &event);
      }
      return;
    }
  }
  Close(c);  // stopping
}

void ConnectionLoop::Close(Connection* c) {
  {
    MutexLock lock(&mu_);
    connections_.erase(c);
  }
  c->channel->SayGoodbye();
  // Out of the epoll set first: while another copy of the socket lives on
  // (a process forked meanwhile), close() alone would leave it registered,
  // and its next event would name the deleted connection.
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  delete c;
  --open_;
}

void ConnectionLoop::HalfClose(Connection* c) {
  c->channel->ShutdownWrite();
  Watch(c, Phase::kDraining, In(options_.drain_timeout));
}

void ConnectionLoop::Refuse(Connection* c, int status, const std::string& code,
                            const std::string& message) {
  std::string body = options_.error_body(status, code, message);
  std::string response =
      "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) +
      "\r\nContent-Type: application/json; charset=utf-8"
      "\r\nCache-Control: no-store\r\nConnection: close\r\n" +
      (status == 503 ? "Retry-After: 1\r\n" : "") +
      "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  // A fresh or idle socket's send buffer takes this small answer at once.
  (void)c->channel->Send(response.data(), response.size());
  HalfClose(c);
}

void ConnectionLoop::Run() {
  std::vector<epoll_event> events(128);
  SteadyTime next_sweep = In(kTick);
  SteadyTime next_key_check = In(kKeyRecheck);
  while (!stopping_) {
    int n =
        epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                   static_cast<int>(kTick.count()));
    for (int i = 0; i < n && !stopping_; ++i) {
      auto* c = static_cast<Connection*>(events[i].data.ptr);
      if (c == nullptr) {
        uint64_t count;
        (void)!read(wake_fd_, &count, sizeof(count));
        continue;
      }
      OnEvent(c);
    }
    SteadyTime now = std::chrono::steady_clock::now();
    if (now >= next_sweep) {
      Sweep();
      next_sweep = now + kTick;
    }
    if (now >= next_key_check && options_.still_authorized) {
      RecheckKeys();
      next_key_check = now + kKeyRecheck;
    }
  }
  CloseAll();
}

void ConnectionLoop::OnEvent(Connection* c) {
  Phase phase;
  {
    // Pairs with Watch: whatever the worker did to *c is visible here.
    MutexLock lock(&mu_);
    phase = c->phase;
  }
  switch (phase) {
    case Phase::kHandshake:
      return Handshake(c);
    case Phase::kDraining:
      return Drain(c);
    case Phase::kStalled:
      return Examine(c);  // it reads again
    default:
      return ReadHead(c);
  }
}

void ConnectionLoop::Handshake(Connection* c) {
  ssize_t ret = c->channel->Open();
  if (ret == ByteChannel::kWantRead || ret == ByteChannel::kWantWrite) {
    c->handshake_writes = ret == ByteChannel::kWantWrite;
    return Watch(c, Phase::kHandshake, c->deadline);
  }
  if (ret != 0) return Close(c);
  if (c->refused) return RefuseBusy(c);
  c->phase = Phase::kIdle;
  c->deadline = In(options_.idle_timeout);
  // The first request may have come with the handshake's last flight.
  ReadHead(c);
}

void ConnectionLoop::Drain(Connection* c) {
  // A bounded share per event: a client that keeps sending must not hold
  // this thread; Sweep closes it at its deadline. Over TLS the records are
  // discarded undecrypted.
  char discard[4096];
  for (int i = 0; i < 16; ++i) {
    ssize_t n = recv(c->fd, discard, sizeof(discard), MSG_DONTWAIT);
    if (n > 0) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return Close(c);  // EOF: the client has read our answer and left
  }
  Watch(c, Phase::kDraining, c->deadline);
}

void ConnectionLoop::ReadHead(Connection* c) {
  BufferedStream::Fill fill =
      c->stream.FillNow(options_.head.max_head_bytes + 1);
  if (fill == BufferedStream::Fill::kClosed) return Close(c);
  if (c->phase == Phase::kIdle && c->stream.unread_size() > 0) {
    c->phase = Phase::kHead;
    c->deadline = In(options_.head_timeout);
  }
  Examine(c);
}

void ConnectionLoop::Examine(Connection* c) {
  c->head = CheckHead(c->stream.unread_data(), c->stream.unread_size(),
                      options_.head);
  switch (c->head.verdict) {
    case Verdict::kIncomplete:
      return Watch(c, c->phase, c->deadline);
    case Verdict::kRefuse:
      return Refuse(c, c->head.status, c->head.code, c->head.message);
    case Verdict::kReady:
      return Dispatch(c);
  }
}

void ConnectionLoop::Dispatch(Connection* c) {
  {
    MutexLock lock(&mu_);
    c->phase = Phase::kWorking;
  }
  pool_->enqueue([this, c] { Serve(c); });
}

void ConnectionLoop::Serve(Connection* c) {
  do {
    HeadCheck& head = c->head;
    if (!head.head.empty()) {
      c->stream.ReplaceHead(head.head_bytes, head.head);
      head.head_bytes = head.head.size();
    }
    c->stream.BeginRequest(
        head.head_bytes,
        options_.head.max_body_bytes + (head.chunked ? kChunkFramingSlack : 0),
        In(options_.body_timeout));
    // A chunked body's end is httplib's to find: such a connection ends
    // after its answer rather than risk reading the rest as a request.
    const bool close = head.chunked || stopping_ ||
                       ++c->served >= options_.keep_alive_max_count;
    bool closed = false;
    bool ok;
    {
      BufferedStream::ScopedCurrent current(&c->stream);
      ok = serve_(c->stream, close, closed);
    }
    ok = c->stream.Flush() && ok;
    c->authorization = head.authorization;
    if (!ok) return Close(c);
    // A refusal that left its body unread must not read it as a request.
    const bool body_left = c->stream.body_bytes_read() < head.content_length;
    if (close || closed || body_left || stopping_ ||
        c->stream.failure() != BufferedStream::Failure::kNone) {
      return HalfClose(c);
    }
  } while (NextRequest(c));
}

bool ConnectionLoop::NextRequest(Connection* c) {
  // TLS: the rest of a record may hold (part of) the next head.
  if (c->stream.HasHiddenInput()) {
    c->stream.FillNow(options_.head.max_head_bytes + 1);
  }
  if (c->stream.unread_size() > 0 &&
      tls::PollFd(c->fd, POLLOUT, milliseconds(0)) == 0) {
    // Pipelined requests from a client that does not read the answers: the
    // next write would wait with this worker. The epoll thread waits
    // instead, and closes the connection after write_timeout.
    Watch(c, Phase::kStalled, In(options_.write_timeout));
    return false;
  }
  if (c->stream.unread_size() == 0) {
    BufferedStream::Fill fill = c->stream.FillWithin(
        kNextRequestGrace, options_.head.max_head_bytes + 1);
    if (fill == BufferedStream::Fill::kClosed) {
      Close(c);
      return false;
    }
    if (c->stream.unread_size() == 0) {
      Watch(c, Phase::kIdle, In(options_.idle_timeout));
      return false;
    }
  }
  c->head = CheckHead(c->stream.unread_data(), c->stream.unread_size(),
                      options_.head);
  switch (c->head.verdict) {
    case Verdict::kReady:
      return true;
    case Verdict::kIncomplete:
      Watch(c, Phase::kHead, In(options_.head_timeout));
      return false;
    case Verdict::kRefuse:
      Refuse(c, c->head.status, c->head.code, c->head.message);
      return false;
  }
  return false;
}

void ConnectionLoop::Sweep() {
  std::vector<Connection*> expired;
  SteadyTime now = std::chrono::steady_clock::now();
  {
    MutexLock lock(&mu_);
    for (Connection* c : connections_) {
      if (c->phase != Phase::kWorking && c->deadline <= now) {
        expired.push_back(c);
      }
    }
  }
  // Only this thread moves a watched connection on, so these stay watched.
  for (Connection* c : expired) {
    if (c->phase == Phase::kHead) {
      Refuse(c, 408, "request_timeout",
             "the request head did not arrive in time");
    } else {
      Close(c);
    }
  }
}

void ConnectionLoop::RecheckKeys() {
  std::map<std::string, std::vector<Connection*>> by_key;
  {
    MutexLock lock(&mu_);
    for (Connection* c : connections_) {
      if (c->phase == Phase::kIdle && !c->authorization.empty()) {
        by_key[c->authorization].push_back(c);
      }
    }
  }
  for (auto& entry : by_key) {
    if (options_.still_authorized(entry.first)) continue;
    for (Connection* c : entry.second) Close(c);
  }
}

void ConnectionLoop::CloseAll() {
  std::vector<Connection*> watched;
  {
    MutexLock lock(&mu_);
    watching_ = false;
    for (Connection* c : connections_) {
      if (c->phase != Phase::kWorking) watched.push_back(c);
    }
  }
  for (Connection* c : watched) Close(c);
}

LoopServer::LoopServer(const Settings& options)
    : loop_(std::make_unique<ConnectionLoop>(
          options, [this](BufferedStream& stream, bool close, bool& closed) {
            return process_request(stream, close, closed, nullptr);
          })) {
  new_task_queue = [] { return new InlineQueue; };
  set_keep_alive_max_count(options.keep_alive_max_count);
  set_payload_max_length(options.head.max_body_bytes);
}

LoopServer::~LoopServer() = default;

void LoopServer::WidenListenBacklog() {
  // listen() again on a listening socket only changes its backlog.
  socket_t sock = svr_sock_;
  if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
}

void LoopServer::Serve() {
  RaiseFileLimit();
  if (!loop_->Start()) return;
  listen_after_bind();
  loop_->Stop();
  loop_->Join();
}

void LoopServer::SetTlsConfig(std::shared_ptr<const tls::ServerTlsConfig> tls) {
  loop_->SetTlsConfig(std::move(tls));
}

void LoopServer::Stop() {
  loop_->Stop();
  // What httplib's stop() does, but also before its accept loop has begun
  // (stop() alone would then be lost and Serve() never return).
  socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
  if (sock != INVALID_SOCKET) {
    shutdown(sock, SHUT_RDWR);
    close(sock);
  }
}

bool LoopServer::process_and_close_socket(socket_t sock) {
  loop_->Add(sock);
  return true;
}

}  // namespace http
}  // namespace telemed
