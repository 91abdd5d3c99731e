// web cert [--pem | --renew | --import CERT KEY]: the admin page's HTTPS
// certificate (web/web_certificate.h). Shown, printed as PEM, replaced by a
// new self-signed one, or by the clinic's own.
//
// A running daemon notices a changed certificate by itself and serves it
// within 30 s (service/admin_page.h): no restart.
#include <fstream>
#include <iostream>
#include <string>
#include <utility>

#include "base/time_format.h"
#include "cli/command.h"
#include "cli/table.h"
#include "config/daemon_lock.h"
#include "secrets/secret_box.h"
#include "service/zoom_session.h"
#include "web/web_certificate.h"

namespace telemed {
namespace cli {

namespace {

// A certificate chain or key file is a few KiB; anything this long is the
// wrong file.
constexpr size_t kMaxPemBytes = 1 << 20;

enum class Mode { kShow, kPem, kRenew, kImport };

// One of --pem, --renew and --import; --import with CERT and KEY, the others
// with no file.
Status ChooseMode(const ParsedArgs& args, Mode* mode) {
  static const std::pair<const char*, Mode> kSwitches[] = {
      {"pem", Mode::kPem}, {"renew", Mode::kRenew}, {"import", Mode::kImport}};
  int chosen = 0;
  *mode = Mode::kShow;
  for (const auto& [flag, flag_mode] : kSwitches) {
    if (args.Flag(flag) == nullptr) continue;
    *mode = flag_mode;
    ++chosen;
  }
  if (chosen > 1) {
    return Status::InvalidArgument(
        "usage", "give only one of --pem, --renew and --import");
  }
  bool files = !args.positionals.empty();
  if (*mode == Mode::kImport && args.positionals.size() != 2) {
    return Status::InvalidArgument("usage", "--import needs CERT and KEY");
  }
  if (*mode != Mode::kImport && files) {
    return Status::InvalidArgument("usage",
                                   "CERT and KEY go with --import only");
  }
  return Status::OK();
}

Status ReadPemFile(const std::string& what, const std::string& path,
                   std::string* out) {
  std::ifstream file(path, std::ios::binary);
  if (file) {
    out->resize(kMaxPemBytes + 1);
    file.read(&(*out)[0], static_cast<std::streamsize>(out->size()));
    out->resize(static_cast<size_t>(file.gcount()));
  }
  if (!file && !file.eof()) {
    return Status::IoError("io_error",
                           "cannot read the " + what + " file " + path);
  }
  if (out->size() > kMaxPemBytes) {
    return Status::InvalidArgument(
        "usage", "the " + what + " file " + path +
                     " is larger than 1 MiB: it is not a PEM " + what);
  }
  return Status::OK();
}

// The files first: run as root, OpenStore gives up root (see data_dir.h),
// and the clinic's key file may be root's alone.
Status ReadImportFiles(const Context& context, std::string* cert_pem,
                       std::string* key_pem) {
  Status s = ReadPemFile("certificate", context.args.positionals[0], cert_pem);
  if (s.ok()) s = ReadPemFile("key", context.args.positionals[1], key_pem);
  return s;
}

// The key before the store for the same reason (cli/zoom_commands.cc).
Status OpenSessions(const Context& context, StoreSession* store,
                    ZoomSession* zoom) {
  Status s = PreloadSecretKey(context.config, zoom);
  if (s.ok()) s = OpenStoreForSetup(context, store);
  if (s.ok()) s = OpenZoomSession(context.config, store, zoom);
  return s;
}

// Does what `mode` asks; *changed says whether the stored certificate
// changed (made, renewed or imported).
Status Apply(Mode mode, const web::WebCertificateDeps& deps, std::ostream* err,
             const std::string& cert_pem, const std::string& key_pem,
             web::WebCertificate* cert, bool* changed) {
  web::HostNames names;
  Status read_names =
      mode == Mode::kImport ? Status::OK() : web::ReadHostNames(&names);
  *changed = mode == Mode::kRenew || mode == Mode::kImport;
  Status s;
  bool replaced_imported = false;
  if (mode == Mode::kRenew) {
    s = web::Renew(deps, names, cert, &replaced_imported);
  } else if (mode == Mode::kImport) {
    s = web::Import(deps, cert_pem, key_pem, cert);
  } else {
    s = web::LoadOrCreate(deps, names, cert, changed);
  }
  if (s.ok() && replaced_imported) {
    *err << kProgramName
         << ": warning: this replaced the imported certificate; browsers that "
            "were sent Strict-Transport-Security with it refuse a self-signed "
            "one for up to a year: import a new certificate for them instead\n";
  }
  if (s.ok() && *changed && !read_names.ok()) {
    *err << kProgramName << ": warning: " << read_names.message()
         << "; the new certificate names no IP address\n";
  }
  return s;
}

std::string Day(int64_t unix_seconds) {
  return FormatRfc3339Utc(unix_seconds).substr(0, 10);
}

std::string JoinNames(const tls::CertificateInfo& info) {
  std::string text;
  for (const auto* list : {&info.dns_names, &info.ip_addresses}) {
    for (const std::string& name : *list) {
      text += (text.empty() ? "" : ", ") + name;
    }
  }
  return text.empty() ? "(none)" : text;
}

void PrintCertificate(const Context& context, const web::WebCertificate& cert) {
  std::ostream& out = *context.out;
  const tls::CertificateInfo& info = cert.info;
  out << "fingerprint:   SHA-256 " << info.sha256_fingerprint << "\n"
      << "expires:       " << FormatRfc3339Utc(info.not_after) << " (";
  if (cert.expires_in_days >= 0) {
    out << "in " << cert.expires_in_days << " days)\n";
  } else {
    out << "expired)\n";
  }
  out << "source:        "
      << (cert.imported ? "imported" : "generated here (self-signed)") << "\n"
      << "subject:       " << EscapeControls(info.common_name) << "\n"
      << "names:         " << EscapeControls(JoinNames(info)) << "\n";
  if (!cert.warn_expiry) return;
  out << "WARNING: the certificate "
      << (cert.expires_in_days >= 0 ? "expires on " + Day(info.not_after)
                                    : "expired on " + Day(info.not_after))
      << ": " << (cert.imported ? "import a new one or run '" : "run '")
      << context.program << " web cert --renew'\n";
}

// What to say about the daemon after the stored certificate changed.
void PrintServiceHint(const Context& context, std::ostream& report) {
  LockHolder holder;
  if (!DaemonLock::Inspect(context.config.data_dir, &holder).ok() ||
      !holder.running) {
    return;
  }
  report << "A daemon serves this data dir (PID " << holder.pid
         << "): the running service uses it within 30 s; connections open "
            "now keep the old one until they close.\n";
}

const char* ChangeLine(Mode mode) {
  switch (mode) {
    case Mode::kImport:
      return "Imported the certificate for the admin page.\n";
    case Mode::kRenew:
      return "Made a new self-signed certificate for the admin page; "
             "browsers will show its new fingerprint.\n";
    default:
      return "Made a self-signed certificate for the admin page.\n";
  }
}

}  // namespace

int RunWebCert(const Context& context) {
  Mode mode = Mode::kShow;
  Status s = ChooseMode(context.args, &mode);
  if (!s.ok()) {
    Fail(context, s.message());
    return kExitUsage;
  }
  std::string cert_pem, key_pem;
  if (mode == Mode::kImport) s = ReadImportFiles(context, &cert_pem, &key_pem);
  StoreSession store;
  ZoomSession zoom;
  if (s.ok()) s = OpenSessions(context, &store, &zoom);
  web::WebCertificate cert;
  bool changed = false;
  if (s.ok()) {
    web::WebCertificateDeps deps{store.store.get(), zoom.box.get(),
                                 &store.clock, zoom.random.get()};
    s = Apply(mode, deps, context.err, cert_pem, key_pem, &cert, &changed);
  }
  WipeString(&key_pem);
  WipeString(&cert.key_pem);
  if (!s.ok()) return Fail(context, s.message());
  // --pem prints the PEM alone, for a pipe; what happened goes to stderr.
  std::ostream& report = mode == Mode::kPem ? *context.err : *context.out;
  if (changed) report << ChangeLine(mode);
  if (mode == Mode::kPem) {
    *context.out << cert.chain_pem;
  } else {
    PrintCertificate(context, cert);
  }
  if (changed) PrintServiceHint(context, report);
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
