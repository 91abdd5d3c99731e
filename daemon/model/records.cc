// The words records.h's enums are written as (API, CLI, store) and the
// equality that makes a repeated PUT a no-op.
#include "model/records.h"

namespace telemed {

const char* AuthModeName(AuthMode mode) {
  switch (mode) {
    case AuthMode::kS2s:
      return "s2s";
    case AuthMode::kOauth:
      return "oauth";
  }
  return "s2s";  // unreachable: the switch covers every enumerator
}

bool ParseAuthMode(const std::string& text, AuthMode* out) {
  if (text == "s2s") {
    *out = AuthMode::kS2s;
  } else if (text == "oauth") {
    *out = AuthMode::kOauth;
  } else {
    return false;
  }
  return true;
}

const char* SyncStatusName(SyncStatus status) {
  switch (status) {
    case SyncStatus::kPending:
      return "pending";
    case SyncStatus::kSynced:
      return "synced";
    case SyncStatus::kFailed:
      return "failed";
  }
  return "pending";  // unreachable: the switch covers every enumerator
}

bool AppointmentRequest::operator==(const AppointmentRequest& other) const {
  return id == other.id && doctor_id == other.doctor_id &&
         start_time == other.start_time &&
         duration_minutes == other.duration_minutes &&
         timezone == other.timezone && topic == other.topic &&
         cancelled == other.cancelled;
}

}  // namespace telemed
