// WebCertificate: the certificate the admin page serves HTTPS with, kept in
// the database so that a backup carries it and a copied data dir does not
// reveal its key.
//
// On the daemon's first start (or the first `web cert`) the bridge makes a
// self-signed ECDSA P-256 certificate naming the box: its host name,
// `<hostname>.local`, "localhost" and every IP address it has. Browsers
// cannot check such a certificate against a CA, so the admin compares its
// SHA-256 fingerprint (printed by `web cert`, logged at start) with the
// browser's on the first visit. The clinic may import its own certificate
// (RSA or ECDSA, with its chain) instead; `Renew` goes back to a new
// self-signed one.
//
// Storage: one settings row, "web.certificate" (docs/schema.md), written in
// one statement, so the certificate and its key never get out of step. The
// private key in it is sealed with the SecretBox under the purpose
// "web.certificate_key".
#ifndef TELEMED_WEB_WEB_CERTIFICATE_H_
#define TELEMED_WEB_WEB_CERTIFICATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "tls/certificate_inspect.h"

namespace telemed {

class Clock;
class RandomSource;
class SecretBox;
class SettingsStore;

namespace web {

// How long a generated certificate is valid: 825 days, the most browsers
// accept, starting an hour before now so that a client whose clock is a
// little behind does not see it as not yet valid.
constexpr int64_t kGeneratedValidityDays = 825;
constexpr int64_t kClockSlackSeconds = 3600;
// The page warns this many days before the certificate expires.
constexpr int64_t kWarnExpiryDays = 30;
// Imported RSA keys must have at least this many bits.
constexpr size_t kMinRsaBits = 2048;

// What the generated certificate names: the box as the LAN reaches it.
struct HostNames {
  std::string host_name;               // gethostname(), e.g. "clinic-box"
  std::vector<std::string> addresses;  // IP literals: "192.0.2.7", "::1"
};

// The box's host name and the addresses of its interfaces (getifaddrs):
// IPv4 and IPv6, loopback included; link-local IPv6 (fe80::/10) is left
// out, since a browser can reach it only with a scope id ("%eth0"), which
// a certificate cannot name. getifaddrs needs a netlink socket: a service
// whose unit restricts address families must allow AF_NETLINK. When the
// addresses cannot be read, *out still holds the host name and the IoError
// says why: the caller may warn and go on with names alone.
Status ReadHostNames(HostNames* out);

// The certificate in use, as the TLS listener and the page need it.
struct WebCertificate {
  std::string chain_pem;  // the certificate, then any chain imported with it
  std::string key_pem;    // its private key in clear: WipeString when done
  tls::CertificateInfo info;  // of the certificate (the chain's first)
  bool imported = false;      // the clinic's own; false: generated here
  // Whole days from now until it expires (negative once it has).
  int64_t expires_in_days = 0;
  // It expires within kWarnExpiryDays, or has expired.
  bool warn_expiry = false;
  // Names the stored row it came from (SHA-256 hex of the row): every
  // renewal or import changes it. See ReadVersion.
  std::string version;
};

// What the functions below work with, all borrowed for the call.
struct WebCertificateDeps {
  SettingsStore* store = nullptr;
  const SecretBox* box = nullptr;
  const Clock* clock = nullptr;
  RandomSource* random = nullptr;
};

// The stored certificate. A new self-signed one for `names` is made and
// stored first (*created says so) when there is none, or when the one made
// here has expired or cannot be used (its key sealed under a secret key the
// database gave up with `zoom forget`, or a damaged row). An imported
// certificate is the clinic's to replace: it is returned even expired
// (warn_expiry set), and one that cannot be used is
// Corruption("web_certificate_corrupt") saying to import it again or renew.
// Other errors: the store's.
// REQUIRES: deps.box seals with the secret key the database is bound to
// (OpenZoomSession succeeded and its key_refused is OK): under another key
// this would replace the certificate with one nobody else can open.
Status LoadOrCreate(const WebCertificateDeps& deps, const HostNames& names,
                    WebCertificate* out, bool* created);

// Replaces the stored certificate (generated or imported) with a new
// self-signed one for `names`. *replaced_imported (when not null) says
// whether the one replaced was imported: browsers that saw
// Strict-Transport-Security with it refuse a self-signed one for a year.
Status Renew(const WebCertificateDeps& deps, const HostNames& names,
             WebCertificate* out, bool* replaced_imported = nullptr);

// Checks and stores the clinic's own certificate: `cert_pem` is the
// certificate followed by any intermediate certificates (only certificates
// are kept), `key_pem` its unencrypted private key. InvalidArgument (field
// "certificate" or "key") when it does not parse, the key does not match,
// it expired or is not yet valid at now, it is a CA or not for TLS servers,
// or an RSA key has fewer than kMinRsaBits bits; the message says which in
// plain words. Nothing is stored then.
Status Import(const WebCertificateDeps& deps, const std::string& cert_pem,
              const std::string& key_pem, WebCertificate* out);

// The version of the stored certificate (WebCertificate::version), read
// without unsealing anything: a running daemon compares it with the one it
// serves to notice a renewal or an import. Empty when none is stored.
// Errors: the store's.
Status ReadVersion(SettingsStore* store, std::string* version);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_WEB_CERTIFICATE_H_
