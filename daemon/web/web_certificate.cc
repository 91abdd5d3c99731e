#include "web/web_certificate.h"

#include <algorithm>
#include <cctype>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/random.h"
#include "base/time_format.h"
#include "secrets/secret_box.h"
#include "store/settings_store.h"
#include "tls/certificate.h"

namespace telemed {
namespace web {

namespace {

constexpr char kSetting[] = "web.certificate";
constexpr char kKeyPurpose[] = "web.certificate_key";
constexpr char kGenerated[] = "generated";
constexpr char kImported[] = "imported";
// The lease among processes on making a certificate: held for at most
// kCreateLeaseSeconds; a waiter tries every kCreateWaitMicros, in all a
// little longer than a lease lasts.
constexpr char kCreateLease[] = "web.certificate.create";
constexpr int64_t kCreateLeaseSeconds = 30;
constexpr int64_t kCreateWaitMicros = 100000;
constexpr int kCreateLeaseAttempts = 400;
constexpr int64_t kDaySeconds = 86400;
// The common name when the host name cannot be one.
constexpr char kFallbackName[] = "telemed-bridge";
constexpr size_t kMaxCommonName = 64;

// A host name usable as a DNS name: labels of letters, digits and '-'.
bool IsDnsName(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' ||
      name.back() == '.' || name.find("..") != std::string::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.';
  });
}

void AddOnce(const std::string& value, std::vector<std::string>* list) {
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->push_back(value);
  }
}

// The names a browser on the LAN may use for the box: its host name, the
// name mDNS (Avahi) answers for, "localhost", and its addresses.
tls::CertificateSpec SpecFor(const HostNames& names, int64_t now) {
  tls::CertificateSpec spec;
  const std::string& host = names.host_name;
  // X.509 bounds a common name to 64 characters; the SANs carry any name.
  spec.common_name =
      IsDnsName(host) && host.size() <= kMaxCommonName ? host : kFallbackName;
  if (IsDnsName(host)) {
    AddOnce(host, &spec.dns_names);
    // mDNS answers for the first label: "box.clinic.lan" is "box.local".
    AddOnce(host.substr(0, host.find('.')) + ".local", &spec.dns_names);
  }
  AddOnce("localhost", &spec.dns_names);
  for (const std::string& address : names.addresses) {
    AddOnce(address, &spec.ip_addresses);
  }
  spec.not_before = now - kClockSlackSeconds;
  spec.not_after = spec.not_before + kGeneratedValidityDays * kDaySeconds;
  return spec;
}

int64_t FloorDays(int64_t seconds) {
  return seconds >= 0 ? seconds / kDaySeconds
                      : -((-seconds + kDaySeconds - 1) / kDaySeconds);
}

// Fills out->info and the expiry fields from out->chain_pem.
Status Describe(const Clock& clock, WebCertificate* out) {
  Status s = tls::InspectCertificate(out->chain_pem, &out->info);
  if (!s.ok()) return s;
  int64_t left = out->info.not_after - clock.NowSeconds();
  out->expires_in_days = FloorDays(left);
  out->warn_expiry = left < kWarnExpiryDays * kDaySeconds;
  return Status::OK();
}

Status Corrupt(const std::string& why) {
  return Status::Corruption(
      "web_certificate_corrupt",
      "the imported certificate of the admin page " + why +
          ": import it again with 'telemed-bridge web cert --import CERT KEY' "
          "or make a self-signed one with 'telemed-bridge web cert --renew'");
}

// The row: "generated" or "imported", '\n', the chain's PEM, a NUL (which
// PEM never holds), then the sealed key. Sets cert->version once stored.
Status Save(const WebCertificateDeps& deps, WebCertificate* cert) {
  std::string sealed;
  Status s = deps.box->Seal(kKeyPurpose, cert->key_pem, &sealed);
  if (!s.ok()) return s;
  std::string row = std::string(cert->imported ? kImported : kGenerated) +
                    "\n" + cert->chain_pem + '\0' + sealed;
  s = deps.store->PutSetting(kSetting, row);
  if (s.ok()) cert->version = Sha256Hex(row);
  return s;
}

Status Parse(const WebCertificateDeps& deps, const std::string& row,
             WebCertificate* out) {
  size_t newline = row.find('\n');
  size_t nul = row.find('\0');
  if (newline == std::string::npos || nul == std::string::npos ||
      nul < newline) {
    return Corrupt("is not in the form this version writes");
  }
  std::string source = row.substr(0, newline);
  if (source != kGenerated && source != kImported) {
    return Corrupt("has an unknown source '" + source + "'");
  }
  out->imported = source == kImported;
  out->version = Sha256Hex(row);
  out->chain_pem = row.substr(newline + 1, nul - newline - 1);
  Status s = deps.box->Open(kKeyPurpose, row.substr(nul + 1), &out->key_pem);
  if (!s.ok()) {
    return Corrupt(
        "cannot be read: its key is sealed under a secret key this database "
        "no longer uses (after 'zoom forget'), or the row is damaged");
  }
  s = Describe(*deps.clock, out);
  if (s.ok()) s = tls::CheckKeyMatchesCertificate(out->chain_pem, out->key_pem);
  if (!s.ok()) return Corrupt("cannot be used (" + s.message() + ")");
  return Status::OK();
}

Status Generate(const WebCertificateDeps& deps, const HostNames& names,
                WebCertificate* out) {
  tls::CertificateAndKey made;
  Status s = tls::GenerateSelfSigned(SpecFor(names, deps.clock->NowSeconds()),
                                     deps.random, &made);
  if (!s.ok()) return s;
  WebCertificate cert;
  cert.chain_pem = made.cert_pem;
  cert.key_pem = made.key_pem;
  WipeString(&made.key_pem);
  s = Describe(*deps.clock, &cert);
  if (s.ok()) s = Save(deps, &cert);
  if (s.ok()) *out = cert;
  WipeString(&cert.key_pem);
  return s;
}

std::string Day(int64_t unix_seconds) {
  return FormatRfc3339Utc(unix_seconds).substr(0, 10);
}

Status Refuse(const std::string& reason, const std::string& message,
              const std::string& field) {
  return Status::InvalidArgument(reason, message, field);
}

// What makes a certificate unfit for the page, beyond its key matching.
Status CheckImportable(const tls::CertificateInfo& info, int64_t now) {
  if (now > info.not_after) {
    return Refuse("certificate_expired",
                  "the certificate expired on " + Day(info.not_after),
                  "certificate");
  }
  if (now < info.not_before) {
    return Refuse("certificate_not_yet_valid",
                  "the certificate is valid only from " + Day(info.not_before) +
                      " (is this box's clock right?)",
                  "certificate");
  }
  // Firefox refuses a CA certificate as a server's (what `openssl req
  // -x509` makes unless told basicConstraints=CA:FALSE).
  if (info.is_ca) {
    return Refuse("certificate_not_for_servers",
                  "the certificate is a CA certificate (basicConstraints "
                  "CA:TRUE), not a server's",
                  "certificate");
  }
  if (!info.server_usage) {
    return Refuse("certificate_not_for_servers",
                  "the certificate is not for TLS servers (its key usage "
                  "lacks serverAuth or digitalSignature)",
                  "certificate");
  }
  if (info.key_type != "EC" && info.key_type != "RSA") {
    return Refuse("key_type_unsupported",
                  "the certificate's key is " + info.key_type +
                      "; only EC and RSA keys are supported",
                  "key");
  }
  if (info.key_type == "RSA" && info.key_bits < kMinRsaBits) {
    return Refuse("key_too_weak",
                  "the RSA key has " + std::to_string(info.key_bits) +
                      " bits; at least " + std::to_string(kMinRsaBits) +
                      " are needed",
                  "key");
  }
  return Status::OK();
}

// A tls/ check's error, blamed on `field`.
Status Blame(const Status& s, const std::string& field) {
  return Refuse(s.reason(), s.message(), field);
}

// Reads the stored certificate into *out; *usable false when there is none
// or it must be made anew. An imported certificate is the clinic's to
// replace: returned even expired, and an error when it cannot be used. One
// made here is made anew once it expired or cannot be used (its key sealed
// under a secret key given up with `zoom forget`, a damaged row).
Status LoadUsable(const WebCertificateDeps& deps, WebCertificate* out,
                  bool* usable) {
  *usable = false;
  std::string row;
  bool found = false;
  Status s = deps.store->GetSetting(kSetting, &row, &found);
  if (!s.ok() || !found) return s;
  WipeString(&out->key_pem);
  *out = WebCertificate();
  s = Parse(deps, row, out);
  if (out->imported) {
    *usable = s.ok();
    return s;
  }
  *usable = s.ok() && deps.clock->NowSeconds() <= out->info.not_after;
  if (!*usable) WipeString(&out->key_pem);
  return Status::OK();
}

// Takes the lease on making the certificate, waiting for another process
// that holds it (a P-256 key takes milliseconds; the lease lapses by
// itself if its holder dies).
Status TakeCreateLease(const WebCertificateDeps& deps, std::string* owner) {
  uint8_t bytes[16];
  Status s = deps.random->Fill(bytes, sizeof(bytes));
  if (!s.ok()) return s;
  *owner = HexEncode(bytes, sizeof(bytes));
  for (int attempt = 0; attempt < kCreateLeaseAttempts; ++attempt) {
    int64_t now = deps.clock->NowSeconds();
    bool taken = false;
    s = deps.store->TryTakeLease(kCreateLease, *owner, now,
                                 now + kCreateLeaseSeconds, &taken);
    if (!s.ok() || taken) return s;
    deps.clock->SleepUntilMicros(deps.clock->NowMicros() + kCreateWaitMicros);
  }
  return Status::Unavailable(
      "web_certificate_busy",
      "another process has been making the admin page's certificate for too "
      "long; try again");
}

}  // namespace

Status LoadOrCreate(const WebCertificateDeps& deps, const HostNames& names,
                    WebCertificate* out, bool* created) {
  *created = false;
  bool usable = false;
  Status s = LoadUsable(deps, out, &usable);
  if (!s.ok() || usable) return s;
  // The daemon's first start and `web cert` run beside it must not both
  // make one: the first writer would serve or show a certificate the
  // database no longer holds. The lease's holder makes it; the others wait
  // and read it.
  std::string owner;
  s = TakeCreateLease(deps, &owner);
  if (!s.ok()) return s;
  s = LoadUsable(deps, out, &usable);
  if (s.ok() && !usable) {
    *created = true;
    s = Generate(deps, names, out);
  }
  deps.store->ReleaseLease(kCreateLease, owner);
  return s;
}

Status Renew(const WebCertificateDeps& deps, const HostNames& names,
             WebCertificate* out, bool* replaced_imported) {
  if (replaced_imported != nullptr) {
    std::string row;
    bool found = false;
    Status s = deps.store->GetSetting(kSetting, &row, &found);
    if (!s.ok()) return s;
    *replaced_imported =
        found && row.rfind(std::string(kImported) + "\n", 0) == 0;
  }
  return Generate(deps, names, out);
}

Status Import(const WebCertificateDeps& deps, const std::string& cert_pem,
              const std::string& key_pem, WebCertificate* out) {
  WebCertificate cert;
  cert.imported = true;
  Status s = tls::NormalizeCertificateChain(cert_pem, &cert.chain_pem);
  if (!s.ok()) return Blame(s, "certificate");
  // The chain parsed just now: what can fail here is the key.
  s = tls::CheckKeyMatchesCertificate(cert.chain_pem, key_pem);
  if (!s.ok()) return Blame(s, "key");
  s = Describe(*deps.clock, &cert);
  if (s.ok()) s = CheckImportable(cert.info, deps.clock->NowSeconds());
  if (!s.ok()) return s;
  cert.key_pem = key_pem;
  s = Save(deps, &cert);
  if (s.ok()) *out = cert;
  WipeString(&cert.key_pem);
  return s;
}

Status ReadVersion(SettingsStore* store, std::string* version) {
  version->clear();
  std::string row;
  bool found = false;
  Status s = store->GetSetting(kSetting, &row, &found);
  if (s.ok() && found) *version = Sha256Hex(row);
  return s;
}

}  // namespace web
}  // namespace telemed
