// serve: the daemon's lifecycle. Modules are locals built in dependency
// order (shutdown, signals, data dir and its lock, store, server,
// housekeeping), so they are torn down in reverse; READY=1 goes out only
// once the store is open and the socket bound, STOPPING=1 as soon as a
// signal (or a database deleted under us) asks us to stop.
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "api/server.h"
#include "base/log.h"
#include "base/posix_error.h"
#include "cli/command.h"
#include "cli/idle_memory.h"
#include "cli/listen_error.h"
#include "cli/periodic_task.h"
#include "cli/shutdown.h"
#include "cli/shutdown_signals.h"
#include "cli/sync_stack.h"
#include "cli/zoom_session.h"
#include "cli/zoom_watch.h"
#include "config/daemon_lock.h"
#include "config/data_dir.h"

namespace telemed {
namespace cli {

namespace {

constexpr std::chrono::hours kPurgeInterval(1);
constexpr std::chrono::seconds kCheckpointInterval(1);
// A quiet period this long after a burst gives the burst's memory back
// (longer than a keep-alive connection's idle timeout, 5 s).
constexpr std::chrono::seconds kIdleMemoryPeriod(6);
// How often ZoomWatch looks for changed credentials or doctors (two small
// reads); the check itself runs far less often, see cli/zoom_watch.h.
constexpr std::chrono::minutes kZoomWatchInterval(1);
// From the first SIGTERM to exit at the latest: under systemd's default
// TimeoutStopSec (90 s) by far, and under the 10 s a supervisor or an
// operator at a terminal should have to wait (8 s leaves room for the exit
// itself on a slow box, or in a sanitizer build).
constexpr std::chrono::seconds kShutdownDeadline(8);

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
        "cross the network in clear until the HTTPS listener exists; listen "
        "on 127.0.0.1 unless the network is trusted",
        config.listen.host.c_str());
  }
}

void PurgeEnded(Store* store, int retention_days, Logger* logger) {
  int purged = 0;
  Status s = store->PurgeEnded(retention_days, &purged);
  if (!s.ok()) {
    logger->Error("purging ended appointments failed: %s",
                  s.ToString().c_str());
    return;
  }
  logger->Info("purged %d appointment(s) that ended more than %d day(s) ago",
               purged, retention_days);
}

// Pings systemd's watchdog at half its interval, when the unit has one.
std::unique_ptr<PeriodicTask> StartWatchdog(Logger* logger) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return nullptr;
  logger->Info("systemd watchdog: pinging every %llu ms",
               static_cast<unsigned long long>(usec / 2000));
  auto period = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::microseconds(usec / 2));
  return std::make_unique<PeriodicTask>(period,
                                        [] { sd_notify(0, "WATCHDOG=1"); });
}

Status OpenServer(const Config& config, StoreSession* session,
                  ZoomSession* zoom, Logger* logger,
                  std::unique_ptr<ApiServer>* out) {
  ApiServer::Options options;
  options.zoom = zoom->client->api();
  options.host = config.listen.host;
  options.port = config.listen.port;
  options.store = session->store.get();
  options.logger = logger;
  options.clock = &session->clock;
  return ApiServer::Open(options, out);
}

std::unique_ptr<ZoomWatch> MakeZoomWatch(StoreSession* session,
                                         ZoomSession* zoom, Logger* logger) {
  ZoomWatch::Options options;
  options.store = session->store.get();
  options.tokens = zoom->client->s2s();
  options.api = zoom->client->api();
  options.clock = &session->clock;
  options.logger = logger;
  return std::make_unique<ZoomWatch>(options);
}

const char* SignalName(int signo) {
  return signo == SIGINT ? "SIGINT" : "SIGTERM";
}

// Starts the clean stop; true for the first request only.
bool RequestStop(Shutdown* shutdown, const Status& why) {
  if (!shutdown->Request(why)) return false;
  sd_notify(0, "STOPPING=1");
  return true;
}

// The first SIGTERM or SIGINT stops cleanly; a second one means the
// operator will not wait, and exiting at once loses nothing acknowledged
// (every acknowledged write was committed with synchronous=FULL).
ShutdownSignals::Handlers SignalHandlers(Shutdown* shutdown, Logger* logger) {
  ShutdownSignals::Handlers handlers;
  handlers.on_stop = [shutdown, logger](int signo) {
    logger->Info(
        "stopping on %s: finishing requests in flight (at most %lld "
        "s; a second signal exits at once)",
        SignalName(signo), static_cast<long long>(kShutdownDeadline.count()));
    RequestStop(shutdown, Status::OK());
  };
  handlers.on_again = [logger](int signo) {
    logger->Warning(
        "second %s: exiting now; every acknowledged write is "
        "already on disk",
        SignalName(signo));
    _exit(kExitFailure);
  };
  handlers.on_hangup = [logger] {
    logger->Info(
        "SIGHUP ignored: there is no configuration to reload "
        "(restart the bridge to apply new flags)");
  };
  return handlers;
}

// The hard deadline: clients or Zoom calls that outlast it are cut off.
// The exit code is the one the clean stop would have had.
void ExitPastDeadline(const Status& why, const std::string& step,
                      Logger* logger) {
  logger->Warning(
      "shutdown still waiting for %s after %lld s: exiting now; "
      "every acknowledged write is already on disk",
      step.c_str(), static_cast<long long>(kShutdownDeadline.count()));
  _exit(why.ok() ? kExitOk : kExitFailure);
}

// A database deleted or replaced under us: writes already fail (503); stop,
// so that the supervisor restarts the bridge on whatever file is there.
void CheckDatabaseFile(Store* store, Shutdown* shutdown, Logger* logger) {
  Status s = store->CheckFile();
  if (!s.ok() && RequestStop(shutdown, s)) {
    logger->Error("%s; stopping", s.message().c_str());
  }
}

// From the stop request to exit: housekeeping stops, the server finishes
// what is in flight, Zoom calls in flight finish, and last-use times reach
// the database, all within the Shutdown's deadline.
Status RunUntilStopped(const Config& config, StoreSession* session,
                       ZoomSession* zoom, ApiServer* server, SyncStack* sync,
                       Shutdown* shutdown, Logger* logger) {
  shutdown->Attach([server] { server->Stop(); });
  sd_notify(0, "READY=1");
  Store* store = session->store.get();
  PeriodicTask purge(kPurgeInterval, [store, &config, logger] {
    PurgeEnded(store, config.retention_days, logger);
  });
  // Checkpoints off the commit path keep a commit from paying for one.
  PeriodicTask checkpoint(kCheckpointInterval, [store, shutdown, logger] {
    CheckDatabaseFile(store, shutdown, logger);
    Status s = store->Checkpoint(nullptr, nullptr);
    if (!s.ok()) logger->Error("checkpoint failed: %s", s.ToString().c_str());
  });
  IdleMemory idle_memory(
      [server, store] { return server->activity() + store->LatestChangeSeq(); },
      [store] {
        store->ReleaseMemory();
        // Also the free pages inside malloc's arenas, not only its top.
        malloc_trim(0);
      });
  PeriodicTask release_memory(kIdleMemoryPeriod,
                              [&idle_memory] { idle_memory.Tick(); });
  // Its own thread: the first check talks to Zoom and must not hold up
  // READY or the API.
  std::unique_ptr<ZoomWatch> watch = MakeZoomWatch(session, zoom, logger);
  PeriodicTask zoom_check(kZoomWatchInterval, [&watch] { watch->Tick(); });
  std::unique_ptr<PeriodicTask> watchdog = StartWatchdog(logger);
  shutdown->Enter("API requests in flight (slow or idle clients)");
  // A request that came before Attach already stopped the server, and Run
  // would then wait for a Stop that never comes.
  if (!shutdown->requested()) server->Run();
  shutdown->Attach(nullptr);
  shutdown->Enter("housekeeping (purge, checkpoint, Zoom check)");
  purge.Stop();
  checkpoint.Stop();
  release_memory.Stop();
  zoom_check.Stop();
  // Bounded by the deadline: a create cut off there is found again by its
  // marker at the next start (docs/sync.md, "Exactly once"), never made
  // twice.
  shutdown->Enter("Zoom calls in flight");
  sync->Stop();
  shutdown->Enter("the database");
  Status flushed = session->store->FlushApiKeyUse();
  return shutdown->reason().ok() ? flushed : shutdown->reason();
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

Status OpenZoom(const Config& config, StoreSession* session, ZoomSession* zoom,
                Logger* logger) {
  // A wrong or lost key file must not take the clinic's API down with it.
  Status s =
      OpenZoomSession(config, session, zoom, KeyMismatch::kServeWithoutZoom);
  if (!s.ok()) return ExplainKeyAccess(s, zoom->key_path);
  if (!zoom->key_refused.ok()) {
    logger->Error(
        "Zoom is refused until this is fixed (the local API keeps "
        "running; appointments fail with zoom_credentials_invalid): "
        "%s",
        zoom->key_refused.message().c_str());
  }
  return Status::OK();
}

// Takes the data dir (one daemon per data dir) before anything else there.
Status LockDataDir(const Config& config, std::unique_ptr<DaemonLock>* lock) {
  Status s = PrepareDataDir(config.data_dir);
  if (s.ok()) s = DaemonLock::Acquire(config.data_dir, lock);
  return s;
}

Status OpenDatabase(const Config& config, StoreSession* session,
                    Logger* logger) {
  StoreOpening how;
  how.create_if_missing = true;
  how.background_checkpoints = true;
  Status s = OpenStore(config, session, how);
  if (s.ok() && session->created) {
    logger->Info("created a new database at %s",
                 session->database_path.c_str());
  }
  return s;
}

Status Listen(const Config& config, StoreSession* session, ZoomSession* zoom,
              Logger* logger, std::unique_ptr<ApiServer>* server) {
  Status s = OpenServer(config, session, zoom, logger, server);
  if (s.reason() == "listen_failed") {
    return Status::IoError(s.reason(),
                           ExplainListenFailure(config.listen, s.message()));
  }
  return s;
}

Status Serve(const Config& config, const std::string& program, Logger* logger) {
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
  Shutdown shutdown(kShutdownDeadline,
                    [logger](const Status& why, const std::string& step) {
                      ExitPastDeadline(why, step, logger);
                    });
  shutdown.Enter("the daemon to start");
  std::unique_ptr<ShutdownSignals> signals;
  Status s = ShutdownSignals::Block(&signals);
  std::unique_ptr<DaemonLock> lock;
  if (s.ok()) s = LockDataDir(config, &lock);
  if (!s.ok()) return s;
  // Signals that came meanwhile were kept pending; they are served now.
  signals->StartWaiting(SignalHandlers(&shutdown, logger));
  StoreSession session;
  s = OpenDatabase(config, &session, logger);
  ZoomSession zoom;
  if (s.ok()) s = OpenZoom(config, &session, &zoom, logger);
  std::unique_ptr<ApiServer> server;
  if (s.ok()) s = Listen(config, &session, &zoom, logger, &server);
  if (!s.ok()) return s;
  ListenAddress bound{config.listen.host, server->port()};
  s = lock->Describe(FormatListenAddress(bound), session.clock.NowSeconds());
  if (!s.ok()) logger->Warning("%s", s.message().c_str());
  LogStartup(config, program, server->port(), logger);
  SyncStack sync;
  s = sync.Start(config, &session, &zoom, logger);
  if (!s.ok()) return s;
  return RunUntilStopped(config, &session, &zoom, server.get(), &sync,
                         &shutdown, logger);
}

}  // namespace

int RunServe(const Context& context) {
  StderrLogger logger;
  Status s = Serve(context.config, context.program, &logger);
  if (!s.ok()) {
    logger.Error("%s", s.message().c_str());
    return kExitFailure;
  }
  logger.Info("stopped");
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
