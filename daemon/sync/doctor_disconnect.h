// Disconnecting an OAuth doctor's own Zoom account, the one function the
// front ends share (the API's POST .../disconnect and DELETE, the page's
// Disconnect and Remove, `doctor disconnect` and `doctor remove`).
//
// A disconnect stops all new Zoom work for the doctor at once, and revokes
// the grant at Zoom through zoom/revoke_queue.h (kept and retried when Zoom
// cannot take it):
//   - without deleting meetings: the revoke is queued and the grant purged
//     at once (DoctorGrants::PurgeGrant: secure_delete, WAL truncated);
//   - with delete_meetings: every meeting of the doctor's appointments goes
//     to the deletion queue and the appointment loses it (pending, so that
//     a reconnect creates a new one, once); the grant is `disconnecting`,
//     usable for those deletions only (UserTokenSource::GetDeletionToken),
//     and FinishDisconnects purges it once none is queued or
//     kDisconnectGraceSeconds after the disconnect, whichever comes first.
//     A create that was at Zoom at that moment (in doubt, so not queued)
//     keeps the grant disconnecting too; the meeting it makes is queued
//     when the engine records it (DeleteLateMeetings).
// Meetings kept stay on the appointments; any later work of the doctor's
// waits pending with doctor_not_connected, as for a doctor who never
// connected, until the doctor connects again.
#ifndef TELEMED_SYNC_DOCTOR_DISCONNECT_H_
#define TELEMED_SYNC_DOCTOR_DISCONNECT_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "zoom/oauth_connect.h"
#include "zoom/user_token_source.h"

namespace telemed {

class DoctorGrants;
class GrantRevokes;

struct DisconnectResult {
  // False when the doctor had no grant: nothing was done (a disconnect is
  // idempotent). A grant already disconnecting is left as it is.
  bool was_connected = false;
  // Meetings queued for deletion by this call.
  int meetings_to_delete = 0;
  // The doctor's OAuth state after the call: "disconnecting" while its
  // meetings' deletions are pending, else "not_connected".
  std::string state = "not_connected";
};

// Disconnects `doctor_id` (see above). Errors: NotFound "doctor_not_found";
// Conflict "doctor_not_oauth" (an s2s doctor, field "auth"); the bridge's
// own (database, secret key). Zoom's answer is never an error: a revoke it
// could not take waits in the queue.
Status DisconnectDoctor(const OAuthConnectDeps& deps,
                        const std::string& doctor_id, bool delete_meetings,
                        int64_t now, DisconnectResult* out);

// After the doctor was removed from the store (RemoveDoctor, which leaves
// appointments and meetings as it always did): revokes and purges its grant
// when it had one.
Status DropGrantOfRemovedDoctor(const OAuthConnectDeps& deps,
                                const std::string& doctor_id, int64_t now);

// Purges every disconnecting grant with no deletion of its meetings queued
// and no create in doubt, or disconnected kDisconnectGraceSeconds or more
// before `now` (deletions still queued then wait for a reconnect). *purged
// counts them.
Status FinishDisconnects(const OAuthConnectDeps& deps, int64_t now,
                         int* purged);

// After the sync engine recorded a create (or a lost create's look-up) of
// OAuth doctor `doctor_id`: when the doctor's grant is disconnecting (a
// disconnect with delete_meetings came while the create was at Zoom, and
// skipped it, being in doubt), its new meeting goes to the deletion queue
// as the disconnect's did, in the same transaction-safe way, so each is
// queued once whichever of the two sees it first. *queued counts them.
Status DeleteLateMeetings(DoctorGrants* grants, GrantRevokes* revokes,
                          const std::string& doctor_id, int* queued);

}  // namespace telemed

#endif  // TELEMED_SYNC_DOCTOR_DISCONNECT_H_
