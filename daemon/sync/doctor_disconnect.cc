#include "sync/doctor_disconnect.h"

#include <string>
#include <vector>

#include "base/log.h"
#include "model/records.h"
#include "secrets/secret_box.h"
#include "store/clinic_records.h"
#include "store/doctor_grants.h"
#include "store/grant_revokes.h"
#include "sync/planner.h"
#include "zoom/revoke_queue.h"
#include "zoom/user_token_source.h"

namespace telemed {

namespace {

// The host key of an OAuth doctor's meetings (sync/planner.h).
std::string OauthHostOf(const std::string& doctor_id) {
  Doctor doctor;
  doctor.id = doctor_id;
  doctor.auth = AuthMode::kOauth;
  return DoctorHost(doctor);
}

// Queues the revoke of `grant`, purges the grant, then asks Zoom: new work
// stops before Zoom is waited for, and a crash anywhere loses no revoke. A
// refresh token that does not open (the key file was replaced) cannot be
// revoked by anyone: the grant is purged all the same, and the log says so.
Status RevokeAndPurge(const OAuthConnectDeps& deps, const DoctorGrant& grant,
                      int64_t now) {
  const RevokeDeps revoke = RevokeDepsOf(deps);
  std::string token;
  const Status opened = deps.box->Open(GrantPurpose("refresh", grant.doctor_id),
                                       grant.sealed_refresh_token, &token);
  PendingRevoke entry;
  Status s = opened.ok()
                 ? QueueRevoke(revoke, grant.doctor_id, token, now, &entry)
                 : Status::OK();
  WipeString(&token);
  if (!s.ok()) return s;
  if (!opened.ok() && deps.logger != nullptr) {
    deps.logger->Error(
        "doctor %s's Zoom grant could not be opened to revoke it (%s): it is "
        "purged here; the doctor can remove the app in Zoom",
        grant.doctor_id.c_str(), opened.ToString().c_str());
  }
  s = deps.grants->PurgeGrant(grant.doctor_id);
  // Unavailable: the row is gone (its bytes overwritten), only the WAL's
  // truncation waited for a reader; the next purge or revoke truncates it.
  if (s.code() == Status::Code::kUnavailable) s = Status::OK();
  if (!s.ok() || !opened.ok()) return s;
  return TryRevoke(revoke, &entry, now);
}

Status CheckOauthDoctor(const OAuthConnectDeps& deps,
                        const std::string& doctor_id) {
  Doctor doctor;
  Status s = deps.records->GetDoctor(doctor_id, &doctor);
  if (s.ok() && doctor.auth != AuthMode::kOauth) {
    return Status::Conflict(
        "doctor_not_oauth",
        "doctor " + doctor_id +
            " uses the clinic's Zoom account (auth s2s): nothing to "
            "disconnect",
        "auth");
  }
  return s;
}

// Drops the doctor's connect links and OAuth attempts: a connection begun
// before a disconnect does not finish after it (its callback finds no
// attempt, so no code is exchanged and no grant stored). Even when the
// doctor is not connected: that is how a link handed out is withdrawn.
Status DropConnectionsUnderWay(const OAuthConnectDeps& deps,
                               const std::string& doctor_id) {
  int dropped = 0;
  Status s = deps.grants->DropDoctorOAuthSteps(doctor_id, &dropped);
  if (s.ok() && dropped > 0 && deps.logger != nullptr) {
    deps.logger->Info("doctor %s's %d connection steps under way were dropped",
                      doctor_id.c_str(), dropped);
  }
  return s;
}

// Marks the grant disconnecting: the token source hands out no token for
// new work from here on, and a refresh in flight cannot commit. The mark is
// conditional on the generation read, so of two disconnects at once one
// marks the grant and goes on, and the other finds it disconnecting (or
// purged) and leaves it to the first: the grant is revoked once. *grant
// is the grant as it is then; *marked false when another did it, and then
// *state the doctor's state it left.
Status StopNewWork(const OAuthConnectDeps& deps, DoctorGrant* grant,
                   bool* marked, std::string* state) {
  const std::string doctor_id = grant->doctor_id;
  *marked = false;
  // A refresh committed between the read and the mark: again, on the
  // grant as it is now (a refresh holds the doctor's lease, so this ends).
  for (int tries = 0; tries < 5; ++tries) {
    bool applied = false;
    Status s = deps.grants->SetGrantState(doctor_id, grant->generation,
                                          GrantState::kDisconnecting, &applied);
    bool found = false;
    if (s.ok()) s = deps.grants->GetGrant(doctor_id, grant, &found);
    if (!s.ok()) return s;
    *marked = applied && found;
    if (applied || !found || grant->state == GrantState::kDisconnecting) {
      if (!*marked && found) *state = GrantStateName(grant->state);
      return s;
    }
  }
  return Status::Unavailable(
      "busy",
      "doctor " + doctor_id + "'s Zoom grant keeps changing; try again");
}

}  // namespace

Status DisconnectDoctor(const OAuthConnectDeps& deps,
                        const std::string& doctor_id, bool delete_meetings,
                        int64_t now, DisconnectResult* out) {
  *out = DisconnectResult();
  Status s = CheckOauthDoctor(deps, doctor_id);
  if (s.ok()) s = DropConnectionsUnderWay(deps, doctor_id);
  DoctorGrant grant;
  bool found = false;
  if (s.ok()) s = deps.grants->GetGrant(doctor_id, &grant, &found);
  if (!s.ok() || !found) return s;
  out->was_connected = true;
  if (grant.state == GrantState::kDisconnecting) {
    out->state = GrantStateName(grant.state);
    return s;
  }
  bool marked = false;
  s = StopNewWork(deps, &grant, &marked, &out->state);
  if (!s.ok() || !marked) return s;
  // A create in doubt may still make a meeting: the grant stays
  // disconnecting for it too (DeleteLateMeetings queues it). Counted before
  // the queueing: a create recorded in between is then queued here.
  int in_doubt = 0;
  if (delete_meetings) {
    s = deps.revokes->CountCreatesInDoubt(OauthHostOf(doctor_id), &in_doubt);
    if (s.ok()) {
      s = deps.revokes->QueueDoctorMeetingDeletions(
          doctor_id, OauthHostOf(doctor_id), &out->meetings_to_delete);
    }
  }
  if (s.ok() && out->meetings_to_delete + in_doubt > 0) {
    out->state = GrantStateName(GrantState::kDisconnecting);
    if (deps.logger != nullptr) {
      deps.logger->Info(
          "doctor %s disconnected from Zoom: deleting %d meetings first",
          doctor_id.c_str(), out->meetings_to_delete);
    }
    return s;
  }
  if (s.ok()) s = RevokeAndPurge(deps, grant, now);
  if (s.ok() && deps.logger != nullptr) {
    deps.logger->Info("doctor %s disconnected from Zoom", doctor_id.c_str());
  }
  return s;
}

Status DropGrantOfRemovedDoctor(const OAuthConnectDeps& deps,
                                const std::string& doctor_id, int64_t now) {
  DoctorGrant grant;
  bool found = false;
  Status s = DropConnectionsUnderWay(deps, doctor_id);
  if (s.ok()) s = deps.grants->GetGrant(doctor_id, &grant, &found);
  if (!s.ok() || !found) return s;
  return RevokeAndPurge(deps, grant, now);
}

Status FinishDisconnects(const OAuthConnectDeps& deps, int64_t now,
                         int* purged) {
  *purged = 0;
  std::vector<DoctorGrant> grants;
  Status s = deps.grants->ListGrants(&grants);
  for (size_t i = 0; s.ok() && i < grants.size(); ++i) {
    const DoctorGrant& grant = grants[i];
    if (grant.state != GrantState::kDisconnecting) continue;
    int queued = 0, in_doubt = 0;
    const std::string host = OauthHostOf(grant.doctor_id);
    s = deps.revokes->CountCreatesInDoubt(host, &in_doubt);
    if (s.ok()) s = deps.revokes->CountQueuedDeletions(host, &queued);
    const bool due = queued + in_doubt == 0 ||
                     now - grant.updated_at >= kDisconnectGraceSeconds;
    if (!s.ok() || !due) continue;
    s = RevokeAndPurge(deps, grant, now);
    *purged += s.ok() ? 1 : 0;
  }
  return s;
}

Status DeleteLateMeetings(DoctorGrants* grants, GrantRevokes* revokes,
                          const std::string& doctor_id, int* queued) {
  *queued = 0;
  DoctorGrant grant;
  bool found = false;
  Status s = grants->GetGrant(doctor_id, &grant, &found);
  if (!s.ok() || !found || grant.state != GrantState::kDisconnecting) return s;
  return revokes->QueueDoctorMeetingDeletions(doctor_id, OauthHostOf(doctor_id),
                                              queued);
}

}  // namespace telemed
