#include "service/zoom_watch.h"

#include <cstdlib>
#include <vector>

#include "base/clock.h"
#include "base/log.h"
#include "secrets/secret_box.h"
#include "store/store.h"
#include "zoom/s2s_token_source.h"

namespace telemed {

namespace {

std::string FailedItems(const ZoomCheckResult& result) {
  std::string text;
  for (const ZoomCheckItem& item : result.items) {
    if (item.ok) continue;
    if (!text.empty()) text += "; ";
    text += item.subject + ": " + item.detail;
  }
  return text;
}

}  // namespace

std::string SummarizeZoomCheck(const ZoomCheckResult& result) {
  if (!result.ok) return "FAIL: " + FailedItems(result);
  if (!result.s2s_app_needed) {
    return "ok (no Server-to-Server app needed: every doctor connects their "
           "own Zoom account)";
  }
  int doctors = 0;
  for (const ZoomCheckItem& item : result.items) {
    if (item.subject.rfind("doctor ", 0) == 0) ++doctors;
  }
  return "ok (credentials, scopes, " + std::to_string(doctors) + " doctor(s))";
}

void ZoomWatch::Tick() {
  std::string inputs;
  Status s = ReadInputs(&inputs);
  if (!s.ok()) {
    options_.logger->Error("zoom check: reading the configuration failed: %s",
                           s.ToString().c_str());
    return;
  }
  if (IsDue(inputs)) RunCheck(inputs);
}

Status ZoomWatch::ReadInputs(std::string* out) {
  Status s = ReadZoomConfigVersion(options_.store, out);
  std::vector<Doctor> doctors;
  if (s.ok()) s = options_.store->ListDoctors(&doctors);
  if (!s.ok()) return s;
  // OAuth doctors count too: the check reports them. Ids and Zoom users
  // cannot hold a newline (the API's rules), so the
  // joined text is unambiguous.
  for (const Doctor& doctor : doctors) {
    *out += "\n" + doctor.id + "\t" + AuthModeName(doctor.auth) + "\t" +
            doctor.zoom_user;
  }
  return Status::OK();
}

bool ZoomWatch::IsDue(const std::string& inputs) const {
  if (!has_run_ || inputs != last_inputs_) return true;
  int64_t age = options_.clock->NowSeconds() - last_run_at_;
  return age >= (last_ok_ ? options_.recheck_ok_seconds
                          : options_.recheck_failed_seconds);
}

void ZoomWatch::RunCheck(const std::string& inputs) {
  ZoomCheckResult result;
  Status s = RunZoomCheck(options_.store, options_.tokens, options_.api,
                          options_.clock, CheckToken::kStored, &result);
  if (s.ok()) s = SaveZoomCheck(options_.store, result);
  const bool healed = has_run_ && !last_ok_ && s.ok() && result.ok;
  // A failed run is retried after the short interval, like a failing verdict.
  has_run_ = true;
  last_ok_ = s.ok() && result.ok;
  last_run_at_ = options_.clock->NowSeconds();
  last_inputs_ = inputs;
  if (!s.ok()) {
    options_.logger->Error("zoom check failed: %s", s.ToString().c_str());
    return;
  }
  // A fresh install has no app yet: that is a step still to take, not a
  // fault to warn about.
  Severity severity =
      result.ok || !result.configured ? Severity::kInfo : Severity::kWarning;
  options_.logger->Log(severity, "zoom check: %s",
                       SummarizeZoomCheck(result).c_str());
  if (healed) RetryFailed();
  if (!result.configured) DropCachedToken();
}

// After `zoom forget` the token held in memory would otherwise keep
// serving the sync engine until it expires, up to an hour. With no app
// stored, GetToken hands out only that cached token and never calls Zoom.
void ZoomWatch::DropCachedToken() {
  std::string token;
  if (options_.tokens->GetToken(&token).ok()) {
    options_.tokens->Invalidate(token);
  }
  WipeString(&token);
}

// The admin fixed something in Zoom itself (a scope, a user), which no
// store write announces: appointments that failed on it may work now.
void ZoomWatch::RetryFailed() {
  int count = 0;
  Status s = options_.store->RequeueFailed(&count);
  if (!s.ok()) {
    options_.logger->Error("zoom check: retrying failed appointments: %s",
                           s.ToString().c_str());
    return;
  }
  if (count > 0) {
    options_.logger->Info(
        "zoom check: all well again; retrying %d failed "
        "appointment(s)",
        count);
  }
}

}  // namespace telemed
