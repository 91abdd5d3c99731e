#include "zoom/revoke_queue.h"

#include <algorithm>
#include <string>
#include <vector>

#include "base/log.h"
#include "secrets/secret_box.h"
#include "store/grant_revokes.h"

namespace telemed {

namespace {

constexpr int kRoundLimit = 50;
constexpr int64_t kFirstWaitSeconds = 60;
constexpr int64_t kLongestWaitSeconds = 6 * 3600;

enum class Tried { kDone, kLater };

// One try of `token`: done when Zoom took it or refused it; later when
// Zoom could not be used (*why says so).
Tried TryToken(const RevokeDeps& deps, const std::string& token,
               std::string* why) {
  OAuthApp app;
  bool configured = false;
  Status s = LoadOAuthApp(deps.settings, *deps.box, &app, &configured);
  if (s.ok() && !configured) {
    *why = "oauth_app_not_configured";
    return Tried::kLater;
  }
  ZoomFailure failure = ZoomFailure::kNone;
  if (s.ok()) s = RevokeUserToken(deps.oauth, app, token, &failure);
  WipeString(&app.client_secret);
  if (s.ok() || failure == ZoomFailure::kRefused) return Tried::kDone;
  *why = s.reason();
  return Tried::kLater;
}

// Records the outcome of a try of `entry`.
Status Settle(const RevokeDeps& deps, PendingRevoke* entry, Tried tried,
              const std::string& why, int64_t now, RevokeRound* round) {
  if (tried == Tried::kDone) {
    ++round->revoked;
    Status s = deps.revokes->CompleteRevoke(entry->id);
    // Unavailable: the row is gone (its bytes overwritten) and only the
    // WAL's truncation waited for another connection's read; the next
    // purge or completed revoke truncates it.
    return s.code() == Status::Code::kUnavailable ? Status::OK() : s;
  }
  ++round->waiting;
  entry->attempts += 1;
  entry->next_attempt_at = now + RevokeBackoffSeconds(entry->attempts);
  entry->last_error = why;
  if (deps.logger != nullptr && entry->attempts == 1) {
    deps.logger->Warning(
        "revoking doctor %s's Zoom grant failed (%s): tried again later",
        entry->doctor_id.c_str(), why.c_str());
  }
  return deps.revokes->RescheduleRevoke(*entry);
}

// Opens and tries `entry`. A token that does not open (the key file was
// replaced) waits like one Zoom did not take, so it never holds up the
// entries behind it.
Status TryEntry(const RevokeDeps& deps, PendingRevoke* entry, int64_t now,
                RevokeRound* round) {
  std::string token;
  Status s = deps.box->Open(RevokePurpose(entry->doctor_id),
                            entry->sealed_token, &token);
  std::string why = s.reason();
  const Tried tried = s.ok() ? TryToken(deps, token, &why) : Tried::kLater;
  WipeString(&token);
  return Settle(deps, entry, tried, why, now, round);
}

}  // namespace

std::string RevokePurpose(const std::string& doctor_id) {
  return "zoom.oauth.revoke:" + doctor_id;
}

int64_t RevokeBackoffSeconds(int attempts) {
  int64_t wait = kFirstWaitSeconds;
  for (int i = 1; i < attempts && wait < kLongestWaitSeconds; ++i) wait *= 2;
  return std::min(wait, kLongestWaitSeconds);
}

Status QueueRevoke(const RevokeDeps& deps, const std::string& doctor_id,
                   const std::string& refresh_token, int64_t now,
                   PendingRevoke* entry) {
  *entry = PendingRevoke();
  entry->doctor_id = doctor_id;
  entry->next_attempt_at = now;
  Status s = deps.box->Seal(RevokePurpose(doctor_id), refresh_token,
                            &entry->sealed_token);
  return s.ok() ? deps.revokes->QueueRevoke(*entry, &entry->id) : s;
}

Status TryRevoke(const RevokeDeps& deps, PendingRevoke* entry, int64_t now) {
  RevokeRound round;
  return TryEntry(deps, entry, now, &round);
}

Status RevokeOrQueue(const RevokeDeps& deps, const std::string& doctor_id,
                     const std::string& refresh_token, int64_t now) {
  PendingRevoke entry;
  Status s = QueueRevoke(deps, doctor_id, refresh_token, now, &entry);
  return s.ok() ? TryRevoke(deps, &entry, now) : s;
}

Status RetryDueRevokes(const RevokeDeps& deps, int64_t now, RevokeRound* out) {
  *out = RevokeRound();
  std::vector<PendingRevoke> due;
  Status s = deps.revokes->ListDueRevokes(now, kRoundLimit, &due);
  if (!s.ok()) return s;
  // Each entry is tried even when an earlier one could not be recorded;
  // the first such error is returned.
  for (PendingRevoke& entry : due) {
    Status tried = TryEntry(deps, &entry, now, out);
    if (s.ok()) s = tried;
  }
  return s;
}

}  // namespace telemed
