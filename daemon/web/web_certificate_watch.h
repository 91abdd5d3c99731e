// CertificateWatch: lets the running daemon take up a certificate that
// `web cert --renew` or `web cert --import` stored meanwhile, without a
// restart, and repeats the expiry warning once a day while it applies (a
// daemon runs for months; a warning logged only at start is long gone).
//
// Each Check() reads the stored certificate's version (a digest of its
// row; nothing is unsealed) and compares it with the one in use. Only when
// it differs (or the one in use was made here and has expired: then a new
// one is made, as at a start) is the certificate loaded, unsealed and
// handed to `use`, which builds the TLS setup and serves it. A certificate that
// cannot be used is logged once and the previous one kept: a bad row never
// takes the page down.
#ifndef TELEMED_WEB_WEB_CERTIFICATE_WATCH_H_
#define TELEMED_WEB_WEB_CERTIFICATE_WATCH_H_

#include <cstdint>
#include <functional>
#include <string>

#include "base/status.h"
#include "web/web_certificate.h"

namespace telemed {

class Logger;

namespace web {

class CertificateWatch final {
 public:
  struct Options {
    WebCertificateDeps deps;  // all borrowed; must outlive the watch
    // The names a certificate made here would carry: one is made only when
    // the stored row vanished or a generated one cannot be used any more,
    // as a restart would.
    HostNames names;
    Logger* logger = nullptr;  // borrowed
    // Puts `cert` in service (its key_pem in clear, wiped after the call).
    // An error keeps the previous certificate in use.
    std::function<Status(const WebCertificate& cert)> use;
  };

  // `in_use`: the certificate served now (its version, expiry, source).
  CertificateWatch(Options options, const WebCertificate& in_use);

  // One look, as above; then the expiry warning when it is due. Logs what
  // it does; never fails. Not thread-safe: call from one thread (a timer).
  void Check();

 private:
  void TakeUpStored(const std::string& version);
  void WarnOfExpiry();
  void LogOnce(const std::string& key, const Status& why);

  const Options options_;
  std::string version_;  // of the certificate in use
  int64_t not_after_ = 0;
  bool imported_ = false;
  int64_t next_warning_ = 0;  // unix seconds: no expiry warning before
  std::string last_failure_;  // logged already; cleared by a success
};

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_WEB_CERTIFICATE_WATCH_H_
