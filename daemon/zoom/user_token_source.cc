#include "zoom/user_token_source.h"

#include <algorithm>
#include <utility>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/random.h"
#include "secrets/secret_box.h"
#include "store/doctor_grants.h"
#include "store/grant_revokes.h"
#include "store/settings_store.h"
#include "zoom/revoke_queue.h"
#include "zoom/token_lease.h"

namespace telemed {

namespace {

// Another process's token is used while it has this long left.
constexpr int64_t kBorrowMinimumSeconds = 30;

Status Fail(ZoomFailure kind, Status status, ZoomFailure* failure) {
  *failure = status.ok() ? ZoomFailure::kNone : kind;
  return status;
}

Status NoApp(ZoomFailure* failure) {
  return Fail(ZoomFailure::kNotConfigured,
              Status::Validation("oauth_app_not_configured",
                                 "no Zoom OAuth app is configured: run "
                                 "'telemed-bridge zoom oauth-app'"),
              failure);
}

std::string LeaseName(const std::string& doctor_id) {
  return "zoom.oauth.refresh." + doctor_id;
}

// The doctor's grant, for ZoomApi: calls made for one doctor (only its
// meetings' deletions when `deletions`).
class DoctorTokens final : public TokenSource {
 public:
  DoctorTokens(UserTokenSource* source, const std::string& doctor_id,
               bool deletions)
      : source_(source), doctor_id_(doctor_id), deletions_(deletions) {}
  using TokenSource::GetToken;
  Status GetToken(std::string* token, ZoomFailure* failure) override {
    return deletions_ ? source_->GetDeletionToken(doctor_id_, token, failure)
                      : source_->GetToken(doctor_id_, token, failure);
  }
  void Invalidate(const std::string& token) override {
    source_->Invalidate(doctor_id_, token);
  }
  using TokenSource::CheckUsable;
  Status CheckUsable(ZoomFailure* failure) override {
    return source_->CheckUsable(doctor_id_, failure);
  }

 private:
  UserTokenSource* const source_;
  const std::string doctor_id_;
  const bool deletions_;
};

}  // namespace

std::string GrantPurpose(const char* which, const std::string& doctor_id) {
  return std::string("zoom.oauth.") + which + "_token:" + doctor_id;
}

struct UserTokenSource::Grant {
  DoctorGrant row;
  std::string access_token;  // opened
  ~Grant() { WipeString(&access_token); }
};

UserTokenSource::DoctorSlot* UserTokenSource::SlotOf(
    const std::string& doctor_id) {
  MutexLock lock(&mu_);
  std::unique_ptr<DoctorSlot>& slot = slots_[doctor_id];
  if (slot == nullptr) slot = std::make_unique<DoctorSlot>();
  return slot.get();
}

Status UserTokenSource::GetToken(const std::string& doctor_id,
                                 std::string* token, ZoomFailure* failure) {
  if (!options_.refused.ok()) {
    return Fail(ZoomFailure::kKeyMismatch, options_.refused, failure);
  }
  DoctorSlot* slot = SlotOf(doctor_id);
  MutexLock lock(&slot->mu);
  Grant grant;
  Status s = LoadGrant(doctor_id, &grant, failure);
  if (!s.ok()) return s;
  const int64_t left =
      grant.row.access_expires_at - options_.clock->NowSeconds();
  const bool refused = slot->invalidated == Sha256Hex(grant.access_token);
  if (left > options_.renew_margin_seconds && !refused) {
    *token = grant.access_token;
    return Fail(ZoomFailure::kNone, s, failure);
  }
  bool another_refreshes = false;
  s = Refresh(grant, token, failure, &another_refreshes);
  if (s.ok()) slot->invalidated.clear();
  // Another process holds the refresh, or the token endpoint could not be
  // used: the old token still serves while it has some life left and Zoom
  // did not refuse it (the refresh is tried again on the next call).
  const bool transient =
      another_refreshes || *failure == ZoomFailure::kTokenUnavailable;
  if (!s.ok() && transient && !refused && left >= kBorrowMinimumSeconds) {
    *token = grant.access_token;
    return Fail(ZoomFailure::kNone, Status::OK(), failure);
  }
  return s;
}

void UserTokenSource::Invalidate(const std::string& doctor_id,
                                 const std::string& token) {
  DoctorSlot* slot = SlotOf(doctor_id);
  MutexLock lock(&slot->mu);
  slot->invalidated = Sha256Hex(token);
}

Status UserTokenSource::LoadUsableRow(const std::string& doctor_id,
                                      DoctorGrant* out, ZoomFailure* failure) {
  bool found = false;
  Status s = options_.grants->GetGrant(doctor_id, out, &found);
  if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
  if (!found || out->state == GrantState::kDisconnecting) {
    return Fail(ZoomFailure::kNotConnected,
                Status::Validation("doctor_not_connected",
                                   "doctor " + doctor_id +
                                       " has not connected a Zoom account"),
                failure);
  }
  if (out->state == GrantState::kReconnectNeeded) {
    return Fail(ZoomFailure::kReconnectNeeded,
                Status::Unauthenticated(
                    "doctor_reconnect_needed",
                    "Zoom no longer accepts doctor " + doctor_id +
                        "'s connection: the doctor must connect again"),
                failure);
  }
  return Fail(ZoomFailure::kNone, s, failure);
}

Status UserTokenSource::LoadGrant(const std::string& doctor_id, Grant* out,
                                  ZoomFailure* failure) {
  Status s = LoadUsableRow(doctor_id, &out->row, failure);
  if (!s.ok()) return s;
  return Fail(
      ZoomFailure::kNone,
      options_.box->Open(GrantPurpose("access", doctor_id),
                         out->row.sealed_access_token, &out->access_token),
      failure);
}

Status UserTokenSource::CheckUsable(const std::string& doctor_id,
                                    ZoomFailure* failure) {
  if (!options_.refused.ok()) {
    return Fail(ZoomFailure::kKeyMismatch, options_.refused, failure);
  }
  DoctorGrant row;
  Status s = LoadUsableRow(doctor_id, &row, failure);
  if (!s.ok()) return s;
  OAuthApp app;
  bool configured = false;
  s = LoadOAuthAppIds(options_.settings, &app, &configured);
  if (s.ok() && !configured) return NoApp(failure);
  return Fail(ZoomFailure::kNone, s, failure);
}

// Takes the doctor's lease (or says another process refreshes), then
// refreshes from the grant as it is under the lease.
Status UserTokenSource::Refresh(const Grant& grant, std::string* token,
                                ZoomFailure* failure, bool* another_refreshes) {
  const std::string& doctor_id = grant.row.doctor_id;
  const TokenLeaseDeps lease{
      options_.settings, options_.random,
      options_.processes != nullptr ? options_.processes : &real_processes_};
  const int64_t now = options_.clock->NowSeconds();
  std::string owner;
  bool taken = false;
  Status s = TakeTokenLease(lease, LeaseName(doctor_id), now,
                            now + options_.lease_seconds, &owner, &taken);
  if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
  if (!taken) {
    *another_refreshes = true;
    return Fail(ZoomFailure::kTokenRenewing,
                Status::Unavailable("zoom_token_renewing",
                                    "another process is refreshing doctor " +
                                        doctor_id + "'s Zoom token"),
                failure);
  }
  // Another process may have committed a new pair since `grant` was read.
  Grant current;
  s = LoadGrant(doctor_id, &current, failure);
  if (s.ok() && current.row.generation != grant.row.generation &&
      current.row.access_expires_at - now > options_.renew_margin_seconds) {
    *token = current.access_token;
  } else if (s.ok()) {
    s = RefreshLeased(current, token, failure);
  }
  options_.settings->ReleaseLease(LeaseName(doctor_id), owner);
  return s;
}

Status UserTokenSource::RefreshLeased(const Grant& grant, std::string* token,
                                      ZoomFailure* failure) {
  const std::string& doctor_id = grant.row.doctor_id;
  OAuthApp app;
  bool configured = false;
  Status s = LoadOAuthApp(options_.settings, *options_.box, &app, &configured);
  if (s.ok() && !configured) return NoApp(failure);
  std::string refresh_token;
  if (s.ok()) {
    s = options_.box->Open(GrantPurpose("refresh", doctor_id),
                           grant.row.sealed_refresh_token, &refresh_token);
  }
  if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
  OAuthEndpoint endpoint{options_.oauth_base_url, options_.transport,
                         options_.clock};
  UserTokens fresh;
  s = RefreshUserTokens(endpoint, app, refresh_token, &fresh, failure);
  WipeString(&refresh_token);
  WipeString(&app.client_secret);
  if (*failure == ZoomFailure::kReconnectNeeded) {
    Status marked = MarkReconnectNeeded(grant);
    return marked.ok() ? s : Fail(ZoomFailure::kNone, marked, failure);
  }
  bool applied = false;
  if (s.ok())
    s = Fail(ZoomFailure::kNone, CommitTokens(grant, fresh, &applied), failure);
  if (s.ok() && applied) *token = fresh.access_token;
  // The grant changed under the refresh (a reconnect or a disconnect):
  // what is stored now wins.
  if (s.ok() && !applied) {
    s = Fail(ZoomFailure::kNone, LetGoOfFreshPair(grant, fresh), failure);
  }
  Grant now;
  if (s.ok() && !applied) s = LoadGrant(doctor_id, &now, failure);
  if (s.ok() && !applied) *token = now.access_token;
  WipeString(&fresh.access_token);
  WipeString(&fresh.refresh_token);
  return s;
}

Status UserTokenSource::CommitTokens(const Grant& grant,
                                     const UserTokens& fresh, bool* applied) {
  const std::string& doctor_id = grant.row.doctor_id;
  std::string access, refresh;
  Status s = options_.box->Seal(GrantPurpose("access", doctor_id),
                                fresh.access_token, &access);
  if (s.ok()) {
    s = options_.box->Seal(GrantPurpose("refresh", doctor_id),
                           fresh.refresh_token, &refresh);
  }
  int64_t generation = 0;
  if (s.ok()) {
    s = options_.grants->UpdateGrantTokens(doctor_id, grant.row.generation,
                                           access, refresh, fresh.expires_at,
                                           applied, &generation);
  }
  return s;
}

Status UserTokenSource::MarkReconnectNeeded(const Grant& grant) {
  bool applied = false;
  return options_.grants->SetGrantState(grant.row.doctor_id,
                                        grant.row.generation,
                                        GrantState::kReconnectNeeded, &applied);
}

// Zoom rotated the grant's refresh token, but the grant changed before the
// pair was committed: the fresh refresh token is the only live one, and
// nothing stores it. A disconnect revokes the old one, which Zoom refuses
// (rotated), so the fresh one is revoked here:
//   - the grant is gone (disconnected, the doctor removed) or now holds
//     another Zoom user's connection: at once (RevokeOrQueue);
//   - the grant is disconnecting: once its grace ends, the latest its
//     purge comes, since revoking ends the Zoom user's grant with the app,
//     access token included, and that token deletes the doctor's meetings
//     meanwhile;
//   - the same Zoom user connected again: never, as a reconnect's callback
//     never revokes the same user's old grant (zoom/oauth_connect.cc):
//     revoking it may end the new one.
Status UserTokenSource::LetGoOfFreshPair(const Grant& refreshed,
                                         const UserTokens& fresh) {
  const std::string& doctor_id = refreshed.row.doctor_id;
  DoctorGrant current;
  bool found = false;
  Status s = options_.grants->GetGrant(doctor_id, &current, &found);
  if (!s.ok() || options_.revokes == nullptr) return s;
  const bool same_user =
      found && current.zoom_user_id == refreshed.row.zoom_user_id;
  const bool disconnecting =
      same_user && current.state == GrantState::kDisconnecting;
  if (same_user && !disconnecting) return s;
  RevokeDeps revoke;
  revoke.revokes = options_.revokes;
  revoke.settings = options_.settings;
  revoke.box = options_.box;
  revoke.oauth = OAuthEndpoint{options_.oauth_base_url, options_.transport,
                               options_.clock};
  const int64_t now = options_.clock->NowSeconds();
  if (!disconnecting) {
    return RevokeOrQueue(revoke, doctor_id, fresh.refresh_token, now);
  }
  PendingRevoke entry;
  return QueueRevoke(
      revoke, doctor_id, fresh.refresh_token,
      std::max(now, current.updated_at + kDisconnectGraceSeconds), &entry);
}

Status UserTokenSource::StoreNewGrant(const std::string& doctor_id,
                                      const UserTokens& tokens,
                                      const ZoomUser& user,
                                      int64_t* generation) {
  if (!options_.refused.ok()) return options_.refused;
  DoctorGrant grant;
  grant.doctor_id = doctor_id;
  grant.access_expires_at = tokens.expires_at;
  grant.zoom_user_id = user.id;
  grant.zoom_email = user.email;
  grant.connected_at = options_.clock->NowSeconds();
  Status s =
      options_.box->Seal(GrantPurpose("access", doctor_id), tokens.access_token,
                         &grant.sealed_access_token);
  if (s.ok()) {
    s = options_.box->Seal(GrantPurpose("refresh", doctor_id),
                           tokens.refresh_token, &grant.sealed_refresh_token);
  }
  if (s.ok()) s = options_.grants->PutGrant(grant, generation);
  return s;
}

std::unique_ptr<TokenSource> UserTokenSource::ForDoctor(
    const std::string& doctor_id) {
  return std::make_unique<DoctorTokens>(this, doctor_id, false);
}

std::unique_ptr<TokenSource> UserTokenSource::ForDeletions(
    const std::string& doctor_id) {
  return std::make_unique<DoctorTokens>(this, doctor_id, true);
}

Status UserTokenSource::GetDeletionToken(const std::string& doctor_id,
                                         std::string* token,
                                         ZoomFailure* failure) {
  bool found = false;
  DoctorGrant row;
  Status s = options_.grants->GetGrant(doctor_id, &row, &found);
  if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
  if (!found || row.state != GrantState::kDisconnecting) {
    return GetToken(doctor_id, token, failure);
  }
  DoctorSlot* slot = SlotOf(doctor_id);
  MutexLock lock(&slot->mu);
  std::string opened;
  s = options_.box->Open(GrantPurpose("access", doctor_id),
                         row.sealed_access_token, &opened);
  if (!s.ok()) return Fail(ZoomFailure::kNone, s, failure);
  const int64_t left = row.access_expires_at - options_.clock->NowSeconds();
  if (left < kBorrowMinimumSeconds || slot->invalidated == Sha256Hex(opened)) {
    WipeString(&opened);
    return Fail(ZoomFailure::kNotConnected,
                Status::Validation(
                    "doctor_not_connected",
                    "doctor " + doctor_id + " was disconnected from Zoom"),
                failure);
  }
  *token = std::move(opened);
  return Fail(ZoomFailure::kNone, s, failure);
}

}  // namespace telemed
