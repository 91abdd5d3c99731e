// status: what a first-time admin asks first. Is a daemon serving this data
// dir (from its lock, see config/daemon_lock.h), is the sync queue moving,
// what did the last Zoom check say, and when was the last daily backup.
// Exits 1 when no daemon runs, so scripts and monitoring can use it as a
// probe.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "base/time_format.h"
#include "cli/command.h"
#include "cli/table.h"
#include "config/daemon_lock.h"
#include "config/data_dir.h"
#include "service/daily_backup.h"
#include "store/store.h"
#include "zoom/grant_check.h"
#include "zoom/zoom_check.h"

namespace telemed {
namespace cli {

namespace {

// "3d 4h", "2h 5m", "4m 10s", "12s": the two largest units.
std::string FormatUptime(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t units[] = {86400, 3600, 60, 1};
  const char* names[] = {"d", "h", "m", "s"};
  for (int i = 0; i < 3; ++i) {
    if (seconds >= units[i]) {
      return std::to_string(seconds / units[i]) + names[i] + " " +
             std::to_string(seconds % units[i] / units[i + 1]) + names[i + 1];
    }
  }
  return std::to_string(seconds) + "s";
}

std::string DaemonLine(const LockHolder& holder, int64_t now) {
  if (!holder.running) return "not running";
  std::string line = "running";
  if (holder.pid > 0) line += ", PID " + std::to_string(holder.pid);
  if (!holder.listen.empty()) line += ", listening on http://" + holder.listen;
  if (holder.started_at > 0) {
    line += ", up " + FormatUptime(now - holder.started_at) + " (since " +
            FormatRfc3339Utc(holder.started_at) + ")";
  } else {
    line += ", still starting";
  }
  return line;
}

Status QueueLine(SyncQueue* queue, std::string* line) {
  int pending = 0, failed = 0, deletions = 0;
  Status s = queue->CountSyncQueue(&pending, &failed, &deletions);
  *line = std::to_string(pending) + " pending, " + std::to_string(failed) +
          " failed, " + std::to_string(deletions) +
          " meeting deletion(s) waiting";
  return s;
}

// The OAuth doctors someone must act for: "; to connect: dr-2 (not
// connected), dr-3 (reconnect needed)", or "" when none waits.
Status WaitingDoctors(Store* store, std::string* out) {
  std::vector<OAuthDoctor> doctors;
  Status s = ListOAuthDoctors(store, store, &doctors);
  if (!s.ok()) return s;
  std::string names;
  for (const OAuthDoctor& entry : doctors) {
    const char* why = !entry.connected_once ? "not connected"
                      : entry.grant.state == GrantState::kReconnectNeeded
                          ? "reconnect needed"
                          : nullptr;
    if (why == nullptr) continue;
    names += (names.empty() ? "" : ", ") + entry.doctor.id + " (" + why + ")";
  }
  // Ids are stored text: printed inert.
  if (!names.empty()) *out = "; to connect: " + EscapeControls(names);
  return Status::OK();
}

std::string ZoomVerdict(const Context& context, Store* store) {
  ZoomCheckResult check;
  bool found = false;
  Status s = LoadCurrentZoomCheck(store, store, &check, &found);
  if (!s.ok()) return "unknown (" + s.message() + ")";
  if (!found) {
    return "not checked yet; run '" + context.program + " zoom test'";
  }
  std::string when = "checked " + FormatRfc3339Utc(check.checked_at) + ": ";
  if (!check.s2s_app_needed) {
    return when +
           "all well (no Server-to-Server app needed: every doctor connects "
           "their own Zoom account)";
  }
  if (!check.configured) return when + "no Zoom app configured";
  if (check.ok) return when + "all well";
  std::string failed;
  for (const ZoomCheckItem& item : check.items) {
    if (!item.ok) failed += (failed.empty() ? "" : ", ") + item.subject;
  }
  // Subjects are stored text (a doctor's Zoom user): printed inert.
  failed = EscapeControls(failed);
  return when + "FAIL (" + failed + "); run '" + context.program +
         " zoom test' for details";
}

// The stored verdict, then the OAuth doctors who must connect (their
// states are read live, as GET /api/v1/status has them).
std::string ZoomLine(const Context& context, Store* store) {
  std::string waiting;
  Status s = WaitingDoctors(store, &waiting);
  if (!s.ok()) waiting = "; doctors' connections unknown (" + s.message() + ")";
  return ZoomVerdict(context, store) + waiting;
}

// The newest daily backup, which tells whether they are being written.
std::string BackupLine(const Config& config) {
  std::string dir = AbsolutePath(BackupsDir(config.data_dir));
  std::vector<BackupFile> files;
  Status s = ListBackups(dir, &files);
  if (!s.ok()) return "unknown (" + s.message() + ")";
  if (files.empty()) return "none yet in " + dir;
  return "last " + FormatRfc3339Utc(files.back().written_at) + ", " +
         files.back().path + " (" + std::to_string(files.size()) + " kept; '" +
         std::string(kProgramName) + " backup --list')";
}

}  // namespace

int RunStatus(const Context& context) {
  const Config& config = context.config;
  LockHolder holder;
  Status s = DaemonLock::Inspect(config.data_dir, &holder);
  if (!s.ok()) return Fail(context, s.message());
  StoreSession session;
  s = OpenStore(config, &session);
  std::string queue;
  if (s.ok()) s = QueueLine(session.store.get(), &queue);
  if (!s.ok()) return Fail(context, s.message());
  std::ostream& out = *context.out;
  out << "data dir:   " << AbsolutePath(config.data_dir) << "\n"
      << "daemon:     " << DaemonLine(holder, session.clock.NowSeconds())
      << "\n"
      << "sync queue: " << queue << "\n"
      << "zoom:       " << ZoomLine(context, session.store.get()) << "\n"
      << "backups:    " << BackupLine(config) << "\n";
  if (!holder.running) {
    return Fail(context, "no daemon serves " + AbsolutePath(config.data_dir) +
                             "; start it with 'systemctl start "
                             "telemed-bridge' or '" +
                             context.program + " serve'");
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
