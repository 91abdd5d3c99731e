// StoreImpl: the SQLite Store, backing every role interface Store joins
// (its methods are `override`s of the roles'). Internal to store/ (store.cc
// holds the connections, doctors, appointments and the change feed;
// api_keys.cc the API keys; admin_accounts.cc the admin page's account,
// sessions and audit log; appointment_list.cc the admin page's appointment
// list; sync_state.cc the sync engine's tasks;
// deletions.cc the deletion queue; doctor_grants.cc the OAuth grants; backup.cc
// online backups; settings.cc settings, the key fingerprint, leases and daily
// Zoom counts; rows.h the row readers they share).
//
// Connections: one write connection in a GroupCommitter, so this process's
// writers queue in memory instead of spinning on SQLite's busy handler and
// concurrent writes share one COMMIT (fsync), and a pool of read
// connections, so reads never wait behind a write's fsync (WAL lets readers
// see the last commit while a writer works). Other processes contend
// through SQLite's file locks and the busy timeout.
//
// Locks: no two of the committer's, readers_mu_, wait_mu_, listener_mu_
// and use_mu_ are ever held at once, so there is no lock order to get
// wrong. file_mu_ is a leaf: taken inside the committer's (its check before
// COMMIT) and never around another.
#ifndef TELEMED_STORE_STORE_IMPL_H_
#define TELEMED_STORE_STORE_IMPL_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/mutex.h"
#include "store/group_committer.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace telemed {

class StoreImpl final : public Store {
 public:
  explicit StoreImpl(const Options& options);
  // Writes pending API-key last-use notes.
  ~StoreImpl() override;

  // Opens the write connection, migrates, sets the pragmas and file modes.
  // `created`: Open just built the file (else a file without the bridge's
  // schema is refused rather than initialised).
  Status Init(bool created);

  // Transactions this store committed (for tests).
  uint64_t commits() const { return writer_->commits(); }

  Status PutDoctor(const Doctor& doctor, WriteOutcome* outcome) override;
  Status GetDoctor(const std::string& id, Doctor* out) override;
  Status ListDoctors(std::vector<Doctor>* out) override;
  Status RemoveDoctor(const std::string& id, Doctor* removed,
                      int* appointments_removed) override;
  Status PutAppointment(const AppointmentRequest& request,
                        WriteOutcome* outcome, Appointment* stored) override;
  Status CancelAppointment(const std::string& id, Appointment* stored) override;
  Status GetAppointment(const std::string& id, Appointment* out) override;
  // appointment_list.cc
  Status ListAppointments(const AppointmentQuery& query,
                          std::vector<Appointment>* out, bool* more) override;
  Status ListChanges(uint64_t after, int limit, std::vector<Appointment>* out,
                     uint64_t* next_cursor) override;
  uint64_t LatestChangeSeq() override;
  bool WaitForChangeAfter(uint64_t after,
                          std::chrono::milliseconds timeout) override;
  void CancelWaits() override;
  void SetWriteListener(std::function<void()> listener) override
      EXCLUDES(listener_mu_);
  Status PurgeEnded(int retention_days, int* purged) override;
  Status PurgeExpiredOAuthSteps(int* purged) override;  // oauth_attempts.cc

  Status CreateApiKey(const std::string& name, RandomSource* random,
                      std::string* key_out) override;
  Status ListApiKeys(std::vector<ApiKeyInfo>* out) override;
  Status RevokeApiKey(const std::string& name) override;
  Status AuthenticateApiKey(const std::string& key,
                            std::string* name_out) override;
  Status FlushApiKeyUse() override;
  Status Checkpoint(int* wal_frames, int* checkpointed) override
      EXCLUDES(checkpoint_mu_);
  void ReleaseMemory() override EXCLUDES(readers_mu_, checkpoint_mu_);
  Status CheckFile() override EXCLUDES(file_mu_);

  // admin_accounts.cc
  Status GetAdminPasswordHash(std::string* hash, bool* found) override;
  Status CreateAdmin(const std::string& setup_code_sha256,
                     const std::string& password_hash) override;
  Status PutSetupCode(const std::string& code_sha256,
                      int64_t expires_at) override;
  Status SetAdminPassword(const std::string& password_hash) override;
  Status AddSession(const AdminSession& session) override;
  Status GetSession(const std::string& id_sha256, AdminSession* out,
                    bool* found) override;
  Status TouchSession(const std::string& id_sha256,
                      int64_t last_seen_at) override;
  Status EndSession(const std::string& id_sha256) override;
  Status EndOtherSessions(const std::string& except_sha256) override;
  Status PurgeSessions(int64_t created_before, int64_t seen_before) override;
  Status AddAuditEntry(const AuditEntry& entry) override;
  Status ListAuditEntries(int64_t before_id, int limit,
                          std::vector<AuditEntry>* out) override;
  Status PurgeAuditEntries(int keep_days, int* purged) override;

  // backup.cc
  Status WriteBackup(const std::string& path) override;

  // doctor_grants.cc
  Status GetGrant(const std::string& doctor_id, DoctorGrant* out,
                  bool* found) override;
  Status ListGrants(std::vector<DoctorGrant>* out) override;
  Status PutGrant(const DoctorGrant& grant, int64_t* generation) override;
  Status UpdateGrantTokens(const std::string& doctor_id, int64_t expected,
                           const std::string& sealed_access_token,
                           const std::string& sealed_refresh_token,
                           int64_t access_expires_at, bool* applied,
                           int64_t* generation) override;
  Status SetGrantState(const std::string& doctor_id, int64_t expected,
                       GrantState state, bool* applied) override;
  Status PurgeGrant(const std::string& doctor_id) override;

  // grant_revokes.cc
  Status QueueRevoke(const PendingRevoke& revoke, int64_t* id) override;
  Status ListDueRevokes(int64_t now, int limit,
                        std::vector<PendingRevoke>* out) override;
  Status RescheduleRevoke(const PendingRevoke& revoke) override;
  Status CompleteRevoke(int64_t id) override;
  Status QueueDoctorMeetingDeletions(const std::string& doctor_id,
                                     const std::string& host,
                                     int* queued) override;
  Status CountQueuedDeletions(const std::string& host, int* count) override;
  Status CountCreatesInDoubt(const std::string& host, int* count) override;

  // oauth_attempts.cc
  Status AddConnectLink(const std::string& id_sha256, const OAuthAttempt& link,
                        int64_t now) override;
  Status FindConnectLink(const std::string& id_sha256, int64_t now,
                         OAuthAttempt* out, bool* found) override;
  Status SpendConnectLink(const std::string& id_sha256, int64_t now,
                          OAuthAttempt* out, bool* found) override;
  Status AddOAuthAttempt(const std::string& state_sha256,
                         const OAuthAttempt& attempt, int64_t now) override;
  Status TakeOAuthAttempt(const std::string& state_sha256, int64_t now,
                          OAuthAttempt* out, bool* found) override;
  Status DropDoctorOAuthSteps(const std::string& doctor_id,
                              int* dropped) override;

  // sync_state.cc
  Status ListDueSyncTasks(int64_t now, int limit,
                          const std::vector<std::string>& exclude,
                          std::vector<SyncTask>* out) override;
  Status NextSyncDeadline(int64_t* when, bool* has_any) override;
  Status GetSyncTask(const std::string& id, SyncTask* out) override;
  Status CommitSyncTask(const SyncTaskWrite& write, SyncWriteResult* result,
                        SyncTask* current) override;
  Status CommitSyncTasks(const std::vector<SyncTaskWrite>& writes,
                         std::vector<SyncWriteResult>* results) override;
  Status RequeueAppointment(const std::string& id) override;
  Status RequeueFailed(int* count) override;
  Status CountSyncQueue(int* pending, int* failed, int* deletions) override;

  // deletions.cc
  Status ListDueDeletions(int64_t now, int limit,
                          const std::vector<std::string>& exclude,
                          std::vector<PendingDeletion>* out) override;
  Status CompleteDeletion(const std::string& meeting_id) override;
  Status RescheduleDeletion(const PendingDeletion& deletion) override;

  // settings.cc
  Status AddZoomWrite(const std::string& host, int64_t utc_day,
                      int* count) override;
  Status GetZoomWrites(const std::string& host, int64_t utc_day,
                       int* count) override;
  Status GetDatabaseId(std::string* out) override;
  Status GetSetting(const std::string& name, std::string* value,
                    bool* found) override;
  Status PutSetting(const std::string& name, const std::string& value) override;
  Status DeleteSettings(const std::string& prefix) override;
  Status BindKeyFingerprint(const std::string& fingerprint,
                            const std::string& key_path) override;
  Status UnbindKeyFingerprint() override;
  Status TryTakeLease(const std::string& name, const std::string& owner,
                      int64_t now, int64_t until, bool* taken) override;
  Status ReleaseLease(const std::string& name,
                      const std::string& owner) override;
  Status GetLeaseOwner(const std::string& name, std::string* owner,
                       bool* found) override;
  Status TakeOverLease(const std::string& name, const std::string& gone_owner,
                       const std::string& owner, int64_t until,
                       bool* taken) override;

 private:
  // Runs `body` (a GroupCommitter::Body) in a write transaction, shared
  // with concurrent writes, and notifies the write listener once it
  // committed a change.
  Status Write(const GroupCommitter::Body& body);

  // Runs `body` on a pooled read connection.
  template <typename Body>
  Status Read(Body&& body) EXCLUDES(readers_mu_);

  // A configured connection to options_.path. A file gone meanwhile is
  // CheckFile()'s error, never an empty new file.
  Status OpenConnection(bool read_only, SqliteDb* out) EXCLUDES(file_mu_);
  Status RestrictFileModes() const;
  // Copies the whole WAL into the file and truncates it (a purge's last
  // step); Unavailable("wal_busy") when a reader kept it from finishing.
  Status TruncateWal() EXCLUDES(checkpoint_mu_);
  // Records which file options_.path names now (see CheckFile).
  Status NoteFileIdentity() EXCLUDES(file_mu_);
  // Notes a use of api_keys.id `id`; true when the notes are due to be
  // written (a minute since the last flush).
  bool NoteKeyUse(int64_t id) EXCLUDES(use_mu_);
  // Records that `seq` was committed and wakes the waiters.
  void NoteChangeSeq(uint64_t seq) EXCLUDES(wait_mu_);
  void NotifyWriteListener() EXCLUDES(listener_mu_);

  const Options options_;

  // The identity of the file the store opened (set by Init), and the
  // verdict once it was found gone.
  Mutex file_mu_;
  dev_t file_dev_ GUARDED_BY(file_mu_) = 0;
  ino_t file_ino_ GUARDED_BY(file_mu_) = 0;
  Status file_lost_ GUARDED_BY(file_mu_);

  // Set by Init, before the store is shared.
  std::unique_ptr<GroupCommitter> writer_;

  // The connection Checkpoint() uses; opened on first use.
  Mutex checkpoint_mu_;
  SqliteDb checkpointer_ GUARDED_BY(checkpoint_mu_);

  Mutex readers_mu_;
  // Read connections kept open between reads: enough for the API's busy
  // keep-alive clients (two reads a request) so none is opened per request,
  // which would also lose its prepared statements.
  static constexpr size_t kMaxIdleReaders = 16;
  // Idle read connections ReleaseMemory keeps open (a quiet clinic's
  // polling needs no more).
  static constexpr size_t kIdleReadersKept = 2;
  std::vector<SqliteDb> idle_readers_ GUARDED_BY(readers_mu_);

  Mutex listener_mu_;
  std::function<void()> write_listener_ GUARDED_BY(listener_mu_);

  Mutex wait_mu_;
  CondVar wait_cv_{&wait_mu_};
  uint64_t latest_seq_ GUARDED_BY(wait_mu_) = 0;
  bool waits_cancelled_ GUARDED_BY(wait_mu_) = false;

  // Last use per api_keys.id, not yet written (unix seconds).
  Mutex use_mu_;
  std::map<int64_t, int64_t> pending_use_ GUARDED_BY(use_mu_);
  int64_t last_use_flush_ GUARDED_BY(use_mu_) = 0;
};

template <typename Body>
Status StoreImpl::Read(Body&& body) {
  SqliteDb db;
  {
    MutexLock lock(&readers_mu_);
    if (!idle_readers_.empty()) {
      db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  Status s;
  if (db.get() == nullptr) s = OpenConnection(/*read_only=*/true, &db);
  if (!s.ok()) return s;
  s = body(&db);
  MutexLock lock(&readers_mu_);
  // A burst of readers opens connections beyond this; they close on return
  // rather than each keeping a page cache alive.
  if (idle_readers_.size() < kMaxIdleReaders) {
    idle_readers_.push_back(std::move(db));
  }
  return s;
}

}  // namespace telemed

#endif  // TELEMED_STORE_STORE_IMPL_H_
