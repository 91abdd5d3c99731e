#include "web/web_certificate_watch.h"

#include <utility>

#include "base/clock.h"
#include "base/log.h"
#include "base/time_format.h"
#include "secrets/secret_box.h"

namespace telemed {
namespace web {

namespace {

constexpr int64_t kDaySeconds = 86400;
// LogOnce's key for a failed read (versions are hex digests).
constexpr char kReadFailed[] = "read";

}  // namespace

CertificateWatch::CertificateWatch(Options options,
                                   const WebCertificate& in_use)
    : options_(std::move(options)),
      version_(in_use.version),
      not_after_(in_use.info.not_after),
      imported_(in_use.imported) {}

void CertificateWatch::Check() {
  std::string stored;
  Status s = ReadVersion(options_.deps.store, &stored);
  if (!s.ok()) {
    LogOnce(kReadFailed, s);
  } else if (last_failure_ == kReadFailed) {
    last_failure_.clear();
  }
  // One made here is made anew once it expired, as the next start would:
  // a box may run for years without a restart.
  const bool own_expired =
      !imported_ && options_.deps.clock->NowSeconds() > not_after_;
  if (s.ok() && ((!stored.empty() && stored != version_) || own_expired)) {
    TakeUpStored(stored);
  }
  WarnOfExpiry();
}

void CertificateWatch::TakeUpStored(const std::string& version) {
  WebCertificate cert;
  bool created = false;
  Status s = LoadOrCreate(options_.deps, options_.names, &cert, &created);
  if (s.ok()) s = options_.use(cert);
  WipeString(&cert.key_pem);
  if (!s.ok()) {
    // Keyed by the version: one line per certificate that cannot be used,
    // not one per look.
    LogOnce(version, s);
    return;
  }
  last_failure_.clear();
  version_ = cert.version;
  not_after_ = cert.info.not_after;
  imported_ = cert.imported;
  next_warning_ = 0;  // the new one's state is told at once
}

void CertificateWatch::WarnOfExpiry() {
  int64_t now = options_.deps.clock->NowSeconds();
  int64_t left = not_after_ - now;
  if (left >= kWarnExpiryDays * kDaySeconds || now < next_warning_) return;
  next_warning_ = now + kDaySeconds;
  const char* what = imported_ ? "import a new one or run" : "run";
  if (left < 0) {
    options_.logger->Warning(
        "the admin page's certificate expired on %s: %s 'telemed-bridge web "
        "cert --renew'",
        FormatRfc3339Utc(not_after_).c_str(), what);
    return;
  }
  options_.logger->Warning(
      "the admin page's certificate expires in %lld days (%s): %s "
      "'telemed-bridge web cert --renew'",
      static_cast<long long>(left / kDaySeconds),
      FormatRfc3339Utc(not_after_).c_str(), what);
}

void CertificateWatch::LogOnce(const std::string& key, const Status& why) {
  if (key == last_failure_) return;
  last_failure_ = key;
  options_.logger->Warning("the admin page keeps its current certificate: %s",
                           why.message().c_str());
}

}  // namespace web
}  // namespace telemed
