#include "sync/outcome.h"

#include "zoom/rate_limiter.h"

namespace telemed {

namespace {

// An unspecified 429 this close to the cap is taken as the daily one.
constexpr int kDailyNearLimit = 90;

Outcome Make(Outcome::Kind kind, std::string code, std::string message) {
  Outcome outcome;
  outcome.kind = kind;
  outcome.code = std::move(code);
  outcome.message = std::move(message);
  return outcome;
}

std::string ZoomSaid(const ZoomError& error) {
  std::string text = "Zoom answered HTTP " + std::to_string(error.http_status);
  if (error.zoom_code != 0) text += " code " + std::to_string(error.zoom_code);
  if (!error.message.empty()) text += ": " + error.message;
  return text;
}

Outcome ClassifyRateLimit(const ZoomError& error, int host_writes_today) {
  bool daily = error.rate_limit == ZoomError::RateLimit::kDaily ||
               (error.rate_limit == ZoomError::RateLimit::kUnspecified &&
                host_writes_today >= kDailyNearLimit);
  if (daily) {
    return Make(Outcome::Kind::kDaily, "zoom_daily_limit",
                "the doctor's Zoom user reached Zoom's daily limit of " +
                    std::to_string(kZoomDailyWriteLimit) +
                    " meeting creates and updates");
  }
  return Make(Outcome::Kind::kPerSecond, "zoom_rate_limited",
              "Zoom's per-second rate limit was reached");
}

Outcome ClassifyTokenFailure(const Status& status, ZoomFailure failure) {
  if (failure == ZoomFailure::kTokenRenewing) {
    return Make(Outcome::Kind::kRenewing, "zoom_token_renewing",
                status.message());
  }
  if (failure == ZoomFailure::kNotConfigured) {
    return Make(Outcome::Kind::kPermanent, "zoom_not_configured",
                status.message());
  }
  if (status.code() == Status::Code::kUnavailable) {
    return Make(Outcome::Kind::kTransient, "zoom_unavailable",
                status.message());
  }
  return Make(Outcome::Kind::kPermanent, "zoom_credentials_invalid",
              status.message());
}

// Codes about the meeting's own state (gone, ended, started), which mean
// different things to different calls; false when `code` is none of them.
bool ClassifyMeetingState(ZoomCall call, int code, const std::string& said,
                          Outcome* out) {
  const bool deleting = call == ZoomCall::kDelete;
  if (code == 3001) {
    *out = deleting ? Make(Outcome::Kind::kDone, "", "already deleted on Zoom")
                    : Make(Outcome::Kind::kGone, "",
                           "the meeting was deleted on Zoom");
    return true;
  }
  if (code == 3007 && deleting) {
    *out = Make(Outcome::Kind::kDone, "", "the meeting has ended");
  } else if (code == 3002 && deleting) {
    *out = Make(Outcome::Kind::kInProgress, "zoom_meeting_started",
                "the meeting is in progress; deleting it after its end");
  } else if (code == 3000 && call == ZoomCall::kPatch) {
    *out =
        Make(Outcome::Kind::kPermanent, "zoom_meeting_started",
             "the meeting has already started; Zoom refuses changes: " + said);
  } else {
    return false;
  }
  return true;
}

Outcome ClassifyRefusal(ZoomCall call, const ZoomError& error) {
  const std::string said = ZoomSaid(error);
  Outcome outcome;
  if (ClassifyMeetingState(call, error.zoom_code, said, &outcome)) {
    return outcome;
  }
  switch (error.zoom_code) {
    case 124:
      return Make(Outcome::Kind::kPermanent, "zoom_credentials_invalid",
                  "Zoom refused the access token twice: " + said);
    case 4700:
    case 4711:
      return Make(Outcome::Kind::kPermanent, "zoom_scope_missing",
                  "the Zoom app lacks scopes: " + said);
    case 1001:
    case 1010:
      return Make(
          Outcome::Kind::kPermanent, "zoom_user_not_found",
          "the doctor's zoom_user is not a user of this Zoom account: " + said);
    case 3161:
      return Make(Outcome::Kind::kPermanent, "zoom_user_cannot_host",
                  "the doctor's Zoom user may not host meetings: " + said);
  }
  return Make(Outcome::Kind::kPermanent, "zoom_rejected", said);
}

}  // namespace

Outcome ClassifyZoomFailure(ZoomCall call, const Status& status,
                            const ZoomError& error, int host_writes_today) {
  if (error.failure == ZoomFailure::kRateLimited) {
    return ClassifyRateLimit(error, host_writes_today);
  }
  if (error.failure == ZoomFailure::kNoAnswer || error.no_answer) {
    return Make(Outcome::Kind::kTransient, "zoom_unavailable",
                error.message.empty() ? status.message() : error.message);
  }
  if (error.failure == ZoomFailure::kRefused) {
    return ClassifyRefusal(call, error);
  }
  return ClassifyTokenFailure(status, error.failure);
}

}  // namespace telemed
