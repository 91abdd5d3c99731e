// The daemon's runtime: DaemonImpl builds its parts in dependency order as
// members (so they are torn down in reverse), serves until a stop request,
// then stops them in the order that loses nothing acknowledged.
#include "service/daemon.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "api/server.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/log_ring.h"
#include "base/posix_error.h"
#include "config/daemon_lock.h"
#include "config/data_dir.h"
#include "service/admin_page.h"
#include "service/api_probe.h"
#include "service/daily_backup.h"
#include "service/housekeeping.h"
#include "service/listen_error.h"
#include "service/notifier.h"
#include "service/shutdown.h"
#include "service/shutdown_signals.h"
#include "service/store_session.h"
#include "service/sync_stack.h"
#include "service/zoom_session.h"
#include "web/system_routes.h"
#include "zoom/oauth_connect.h"

namespace telemed {

namespace {

// From the first SIGTERM to exit at the latest: under systemd's default
// TimeoutStopSec (90 s) by far, and under the 10 s a supervisor or an
// operator at a terminal should have to wait (8 s leaves room for the exit
// itself on a slow box, or in a sanitizer build).
constexpr std::chrono::seconds kShutdownDeadline(8);
// How long the watchdog's request to the API may take, for the connect and
// again for the answer: far beyond a healthy answer (under a millisecond),
// well within the unit's WatchdogSec=30s.
constexpr std::chrono::seconds kApiProbeTimeout(5);

// Quotes `text` for a POSIX shell when it holds anything but safe characters.
std::string ShellQuote(const std::string& text) {
  static const char kSafe[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:=@,";
  if (!text.empty() && text.find_first_not_of(kSafe) == std::string::npos) {
    return text;
  }
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

void LogStartup(const Config& config, const std::string& program, int port,
                Logger* logger) {
  ListenAddress bound{config.listen.host, port};
  logger->Info("listening on http://%s", FormatListenAddress(bound).c_str());
  logger->Info("create an API key with: %s apikey create NAME --data-dir %s",
               ShellQuote(program).c_str(),
               ShellQuote(AbsolutePath(config.data_dir)).c_str());
  if (!IsLoopbackHost(config.listen.host)) {
    logger->Warning(
        "%s can be reached from other machines over plain HTTP: API keys "
        "cross the network in clear; listen on 127.0.0.1 and let other "
        "machines use the HTTPS listener (--https-listen)",
        config.listen.host.c_str());
  }
}

const char* SignalName(int signo) {
  return signo == SIGINT ? "SIGINT" : "SIGTERM";
}

// Starts the clean stop; true for the first request only.
bool RequestStop(Shutdown* shutdown, Notifier* notifier, const Status& why) {
  if (!shutdown->Request(why)) return false;
  notifier->Notify("STOPPING=1\nSTATUS=stopping: finishing requests in flight");
  return true;
}

// The first SIGTERM or SIGINT stops cleanly; a second one means the
// operator will not wait, and exiting at once loses nothing acknowledged
// (every acknowledged write was committed with synchronous=FULL).
ShutdownSignals::Handlers SignalHandlers(Shutdown* shutdown, Notifier* notifier,
                                         Logger* logger) {
  ShutdownSignals::Handlers handlers;
  handlers.on_stop = [shutdown, notifier, logger](int signo) {
    logger->Info(
        "stopping on %s: finishing requests in flight (at most %lld "
        "s; a second signal exits at once)",
        SignalName(signo), static_cast<long long>(kShutdownDeadline.count()));
    RequestStop(shutdown, notifier, Status::OK());
  };
  handlers.on_again = [logger](int signo) {
    logger->Warning(
        "second %s: exiting now; every acknowledged write is "
        "already on disk",
        SignalName(signo));
    _exit(EXIT_FAILURE);
  };
  handlers.on_hangup = [logger] {
    logger->Info(
        "SIGHUP ignored: there is no configuration to reload "
        "(restart the bridge to apply new flags)");
  };
  return handlers;
}

// The hard deadline: clients or Zoom calls that outlast it are cut off.
// The exit code is the one the clean stop would have had (the CLI's 0 or 1).
void ExitPastDeadline(const Status& why, const std::string& step,
                      Logger* logger) {
  logger->Warning(
      "shutdown still waiting for %s after %lld s: exiting now; "
      "every acknowledged write is already on disk",
      step.c_str(), static_cast<long long>(kShutdownDeadline.count()));
  _exit(why.ok() ? EXIT_SUCCESS : EXIT_FAILURE);
}

// A key file we may not read names its owner and mode and who we run as.
Status ExplainKeyAccess(const Status& s, const std::string& key_path) {
  if (s.code() != Status::Code::kPermissionDenied || key_path.empty()) {
    return s;
  }
  return Status::PermissionDenied(s.reason(), "cannot read the key file " +
                                                  DescribeAccess(key_path) +
                                                  " (" + s.message() + ")");
}

// The process-wide settings a daemon needs before its first file or thread.
Status PrepareProcess() {
  // Files we create (database, WAL, journal) are for our user alone, and a
  // core dump must not spill API key hashes or patient data.
  umask(077);
  // glibc gives each busy thread its own malloc arena (up to 8 per core),
  // each holding freed memory: two arenas keep the appliance's RSS small at
  // no measurable cost for a daemon of this size.
  mallopt(M_ARENA_MAX, 2);
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return PosixError("prctl(PR_SET_DUMPABLE)", errno);
  }
  return Status::OK();
}

class DaemonImpl final : public Daemon {
 public:
  DaemonImpl(const Config& config, const Options& options);
  // The page's certificate watch calls the API server, which goes first.
  ~DaemonImpl() override {
    if (admin_page_) admin_page_->Stop();
  }

  Status Start();
  Status Run() override;

 private:
  Status LockDataDir();
  Status OpenDatabase();
  Status OpenZoom();
  Status OpenListeners();
  void FillOAuthConnect();
  // The HTTPS listener and the admin page behind it, when configured.
  Status OpenAdminPage();
  Status ListenHttps();
  // A failure of the HTTPS listener: fatal when its address was given,
  // a warning (and no listener) for the built-in default.
  Status HttpsFailed(const Status& why);
  void AnnounceListening();
  ListenAddress BoundAddress() const;
  Housekeeping::Options HousekeepingOptions();
  StatusLine::Options StatusLineOptions();
  Watchdog::Options WatchdogOptions();
  void Serve();
  Status StopInOrder();

  const Config config_;
  const Options options_;
  // Every line goes through the ring (the admin page's System screen shows
  // the last ones) on to options.logger.
  RealClock log_clock_;
  LogRing log_ring_;
  Logger* const logger_;
  // READY=1, STATUS=, WATCHDOG=1 and STOPPING=1 all go through it.
  SystemdNotifier notifier_;
  // Members in the order they are built: each uses only those above it.
  Shutdown shutdown_;
  std::unique_ptr<ShutdownSignals> signals_;
  std::unique_ptr<DaemonLock> lock_;
  StoreSession session_;
  // Opened as the `zoom` commands open it (service/zoom_session.h), so that
  // both reach Zoom with the same key, endpoints and CAs.
  ZoomSession zoom_;
  // What the front ends connect doctors' own Zoom accounts with.
  OAuthConnectDeps oauth_connect_;
  // Reading the key before root is dropped (LockDataDir): its verdict.
  Status key_preloaded_;
  // Behind the HTTPS listener; outlives the API server that calls it.
  std::unique_ptr<AdminPage> admin_page_;
  // The front ends' listeners: the local API, and the HTTPS listener that
  // serves the admin page and the API to other machines.
  std::unique_ptr<ApiServer> api_;
  SyncStack sync_;
};

DaemonImpl::DaemonImpl(const Config& config, const Options& options)
    : config_(config),
      options_(options),
      log_ring_(options.logger, &log_clock_),
      logger_(&log_ring_),
      shutdown_(kShutdownDeadline,
                [logger = options.logger](const Status& why,
                                          const std::string& step) {
                  ExitPastDeadline(why, step, logger);
                }) {}

Status DaemonImpl::Start() {
  shutdown_.Enter("the daemon to start");
  Status s = ShutdownSignals::Block(&signals_);
  if (s.ok()) s = LockDataDir();
  if (!s.ok()) return s;
  // Signals that came meanwhile were kept pending; they are served now.
  signals_->StartWaiting(SignalHandlers(&shutdown_, &notifier_, logger_));
  s = OpenDatabase();
  if (s.ok()) s = OpenZoom();
  if (s.ok()) s = OpenListeners();
  if (s.ok()) s = OpenAdminPage();
  if (!s.ok()) return s;
  AnnounceListening();
  return sync_.Start(config_, &session_, &zoom_, logger_);
}

// Takes the data dir (one daemon per data dir) before anything else there.
// The key is read first: PrepareDataDir drops root for the service user,
// and the installed key (/etc/telemed-bridge) is root's alone. Its error is
// told after the lock's (OpenZoom), so a second daemon still hears whose the
// data dir is.
Status DaemonImpl::LockDataDir() {
  key_preloaded_ = PreloadSecretKey(config_, &zoom_);
  Status s = PrepareDataDir(config_.data_dir, config_.service_user);
  if (s.ok()) s = DaemonLock::Acquire(config_.data_dir, &lock_);
  return s;
}

Status DaemonImpl::OpenDatabase() {
  StoreOpening how;
  how.create_if_missing = true;
  how.background_checkpoints = true;
  Status s = OpenStore(config_, &session_, how);
  if (s.ok() && session_.created) {
    logger_->Info("created a new database at %s",
                  session_.database_path.c_str());
  }
  return s;
}

Status DaemonImpl::OpenZoom() {
  // A wrong or lost key file must not take the clinic's API down with it.
  Status s = key_preloaded_;
  if (s.ok()) {
    s = OpenZoomSession(config_, &session_, &zoom_,
                        KeyMismatch::kServeWithoutZoom);
  }
  if (!s.ok()) return ExplainKeyAccess(s, zoom_.key_path);
  if (!zoom_.key_refused.ok()) {
    logger_->Error(
        "Zoom is refused until this is fixed (the local API keeps "
        "running; appointments fail with zoom_credentials_invalid): "
        "%s",
        zoom_.key_refused.message().c_str());
  }
  return Status::OK();
}

void DaemonImpl::FillOAuthConnect() {
  OAuthConnectDeps& deps = oauth_connect_;
  deps.records = session_.store.get();
  deps.grants = session_.store.get();
  deps.settings = session_.store.get();
  deps.box = zoom_.box.get();
  deps.random = zoom_.random.get();
  deps.public_url = PublicUrl(config_);
  deps.oauth = OAuthEndpoint{zoom_.oauth_url, zoom_.client->transport(),
                             &session_.clock};
  deps.api_base_url = zoom_.api_url;
  deps.user_tokens = zoom_.client->user_tokens();
  deps.match_email = config_.oauth_match_email;
  deps.revokes = session_.store.get();
  deps.logger = logger_;
}

// Binds every front end's listener before READY=1, so that a client told
// the daemon is up finds it listening. The admin page's listener, when it
// exists, is bound here too.
Status DaemonImpl::OpenListeners() {
  FillOAuthConnect();
  ApiServer::Options options;
  options.zoom = zoom_.client->api();
  options.doctors = zoom_.client.get();
  options.oauth_connect = &oauth_connect_;
  options.host = config_.listen.host;
  options.port = config_.listen.port;
  options.store = session_.store.get();
  options.logger = logger_;
  options.clock = &session_.clock;
  Status s = ApiServer::Open(options, &api_);
  // ApiServer::Open's only IoError is an address it could not bind.
  if (s.code() == Status::Code::kIoError) {
    return Status::IoError(
        s.reason(),
        ExplainListenFailure(config_.listen, "--listen", s.message()));
  }
  return s;
}

Status DaemonImpl::OpenAdminPage() {
  if (!config_.https_enabled) return Status::OK();
  // A download cut short by a kill left its temporary file behind.
  int removed = 0;
  Status s = web::RemoveDownloadLeftovers(config_.data_dir, &removed);
  if (!s.ok()) logger_->Warning("%s", s.message().c_str());
  AdminPage::Options page;
  page.config = &config_;
  page.session = &session_;
  page.zoom = &zoom_;
  page.log = &log_ring_;
  page.logger = logger_;
  page.started_at = session_.clock.NowSeconds();
  page.oauth_connect = &oauth_connect_;  // filled by OpenListeners
  s = AdminPage::Open(page, &admin_page_);
  if (s.code() == Status::Code::kUnavailable) {
    // The key's refusal is logged already; the API runs on without the page.
    logger_->Error("%s", s.message().c_str());
    return Status::OK();
  }
  return s.ok() ? ListenHttps() : HttpsFailed(s);
}

// The admin page is open: its listener, and the certificate's watch.
Status DaemonImpl::ListenHttps() {
  ApiServer::HttpsOptions https;
  https.host = config_.https_listen.host;
  https.port = config_.https_listen.port;
  https.tls = admin_page_->tls();
  https.serve_other = [page = admin_page_.get()](const httplib::Request& req,
                                                 httplib::Response* res) {
    page->Serve(req, res);
  };
  Status s = api_->ListenHttps(https);
  if (s.code() == Status::Code::kIoError) {
    s = Status::IoError(
        s.reason(), ExplainListenFailure(config_.https_listen, "--https-listen",
                                         s.message()));
  }
  if (!s.ok()) return HttpsFailed(s);
  // `web cert --renew` / `--import` take effect without a restart.
  admin_page_->WatchCertificate(
      [api = api_.get()](std::shared_ptr<const tls::ServerTlsConfig> tls) {
        api->SetHttpsTls(std::move(tls));
      });
  return s;
}

Status DaemonImpl::HttpsFailed(const Status& why) {
  if (config_.https_listen_given) return why;
  logger_->Warning(
      "no admin page: %s (set TELEMED_HTTPS_LISTEN to another address, or "
      "off)",
      why.message().c_str());
  if (admin_page_) admin_page_->Stop();
  return Status::OK();
}

// The lock file and the log say where the daemon listens (for `status`).
void DaemonImpl::AnnounceListening() {
  Status s = lock_->Describe(FormatListenAddress(BoundAddress()),
                             session_.clock.NowSeconds());
  if (!s.ok()) logger_->Warning("%s", s.message().c_str());
  LogStartup(config_, options_.program, api_->port(), logger_);
  if (api_->https_port() > 0) {
    ListenAddress https{config_.https_listen.host, api_->https_port()};
    logger_->Info("admin page on https://%s/ (and the API under /api/v1)",
                  FormatListenAddress(https).c_str());
  }
}

ListenAddress DaemonImpl::BoundAddress() const {
  return ListenAddress{config_.listen.host, api_->port()};
}

Housekeeping::Options DaemonImpl::HousekeepingOptions() {
  Housekeeping::Options options;
  options.store = session_.store.get();
  options.logger = logger_;
  options.retention_days = config_.retention_days;
  options.activity = [this] { return api_->activity(); };
  options.request_stop = [this](const Status& why) {
    return RequestStop(&shutdown_, &notifier_, why);
  };
  options.zoom_watch.store = session_.store.get();
  options.zoom_watch.tokens = zoom_.client->s2s();
  options.zoom_watch.api = zoom_.client->api();
  options.zoom_watch.clock = &session_.clock;
  options.zoom_watch.logger = logger_;
  options.daily_backup.clock = &session_.clock;
  options.daily_backup.dir = BackupsDir(config_.data_dir);
  options.daily_backup.keep = config_.backup_keep;
  options.status_line = StatusLineOptions();
  options.watchdog = WatchdogOptions();
  options.oauth_connect = &oauth_connect_;
  return options;
}

StatusLine::Options DaemonImpl::StatusLineOptions() {
  StatusLine::Options options;
  options.store = session_.store.get();
  options.notifier = &notifier_;
  options.listening = FormatListenAddress(BoundAddress());
  options.zoom_key_refused = !zoom_.key_refused.ok();
  options.stopping = [this] { return shutdown_.requested(); };
  return options;
}

// Alive means: the API answers over its own listener, and the sync runner
// turns (service/watchdog.h).
Watchdog::Options DaemonImpl::WatchdogOptions() {
  Watchdog::Options options;
  options.notifier = &notifier_;
  options.clock = &session_.clock;
  options.logger = logger_;
  options.api_answers = [bound = BoundAddress()] {
    return ProbeApi(bound, kApiProbeTimeout);
  };
  options.runner_turns = [this] { return sync_.runner_turns(); };
  options.stopping = [this] { return shutdown_.requested(); };
  return options;
}

Status DaemonImpl::Run() {
  shutdown_.Attach([this] { api_->Stop(); });
  notifier_.Notify("READY=1");
  Housekeeping housekeeping(HousekeepingOptions());
  Serve();
  shutdown_.Enter("housekeeping (purge, checkpoint, Zoom check, backup)");
  housekeeping.Stop();
  return StopInOrder();
}

// Serves the front ends until a stop request. A second listener (the
// admin page) would run on its own thread here, stopped by the same Attach.
void DaemonImpl::Serve() {
  shutdown_.Enter("API requests in flight (slow or idle clients)");
  // A request that came before Attach already stopped the server, and Run
  // would then wait for a Stop that never comes.
  if (!shutdown_.requested()) api_->Run();
  shutdown_.Attach(nullptr);
}

// After the listeners and the housekeeping: Zoom calls in flight finish and
// last-use times reach the database, all within the Shutdown's deadline.
Status DaemonImpl::StopInOrder() {
  // Bounded by the deadline: a create cut off there is found again by its
  // marker at the next start (docs/sync.md, "Exactly once"), never made
  // twice.
  shutdown_.Enter("Zoom calls in flight");
  if (admin_page_) admin_page_->Stop();
  sync_.Stop();
  shutdown_.Enter("the database");
  Status flushed = session_.store->FlushApiKeyUse();
  return shutdown_.reason().ok() ? flushed : shutdown_.reason();
}

}  // namespace

Status Daemon::Open(const Config& config, const Options& options,
                    std::unique_ptr<Daemon>* out) {
  Status s = PrepareProcess();
  if (!s.ok()) return s;
  auto daemon = std::make_unique<DaemonImpl>(config, options);
  s = daemon->Start();
  if (s.ok()) *out = std::move(daemon);
  return s;
}

}  // namespace telemed
