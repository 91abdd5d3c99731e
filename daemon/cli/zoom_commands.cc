// zoom s2s | show | forget | test: the clinic's Zoom Server-to-Server app;
// zoom oauth-app: the user-managed OAuth app doctors connect their own Zoom
// accounts to.
//
// The client secret never travels as a flag (flags show in `ps` and shell
// history): it is read from a file or stdin, sealed at once under the
// bridge's key, wiped from memory, and never printed again.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "base/time_format.h"
#include "cli/command.h"
#include "cli/table.h"
#include "cli/terminal.h"
#include "service/zoom_session.h"
#include "store/doctor_grants.h"
#include "zoom/grant_check.h"
#include "zoom/s2s_app.h"
#include "zoom/user_oauth.h"
#include "zoom/zoom_check.h"
#include "zoom/zoom_endpoints.h"

namespace telemed {
namespace cli {

namespace {

// A CA bundle stored with the app: the system's whole bundle is ~220 KiB.
constexpr size_t kMaxCaBytes = 1 << 20;

// Reads at most kMaxS2sSecretBytes + 1 bytes, so an oversized file is caught,
// straight into *out so no other buffer holds the secret.
void ReadLimited(std::istream& in, std::string* out) {
  out->resize(kMaxS2sSecretBytes + 1);
  in.read(&(*out)[0], static_cast<std::streamsize>(out->size()));
  out->resize(static_cast<size_t>(in.gcount()));
}

Status ReadSecretSource(const std::string& path, std::ostream& err,
                        std::string* out) {
  if (path != "-") {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      return Status::IoError("io_error",
                             "cannot read --client-secret-file " + path);
    }
    ReadLimited(file, out);
    return Status::OK();
  }
  if (isatty(STDIN_FILENO)) {
    err << "Paste the client secret and press Enter (it is not shown): "
        << std::flush;
    EchoOff echo_off;
    std::getline(std::cin, *out);
    err << "\n";
    return Status::OK();
  }
  ReadLimited(std::cin, out);
  return Status::OK();
}

// The secret as a file or a pipe holds it: whitespace around it (the line
// break editors and `echo` add, a space pasted along) is not part of it;
// whitespace inside it, or anything else wrong, is refused rather than
// stored and failing later at Zoom.
Status ReadClientSecret(const std::string& path, std::ostream& err,
                        std::string* secret) {
  Status s = ReadSecretSource(path, err, secret);
  if (!s.ok()) return s;
  const char* problem = NormalizeS2sSecret(secret);
  if (problem == nullptr) return Status::OK();
  WipeString(secret);
  return Status::InvalidArgument(
      "invalid_secret", std::string("the client secret read from ") +
                            (path == "-" ? "stdin" : path) + " " + problem);
}

// Zoom's ids are short printable tokens; a space or control character means
// a copy-paste went wrong.
Status CheckZoomId(const std::string& flag, const std::string& value) {
  if (IsValidS2sId(value)) return Status::OK();
  return Status::InvalidArgument("usage",
                                 "--" + flag +
                                     " must be 1 to 256 printable characters "
                                     "without spaces");
}

// The key first: run as root, OpenStore gives up root (see data_dir.h), and
// the installed key file is root's alone.
Status OpenSessions(const Context& context, StoreSession* store,
                    ZoomSession* zoom) {
  Status s = PreloadSecretKey(context.config, zoom);
  if (s.ok()) s = OpenStore(context.config, store);
  if (s.ok()) s = OpenZoomSession(context.config, store, zoom);
  return s;
}

// The Zoom URLs and CA given to `zoom s2s` (flag or environment), to be
// stored with the app; the CA as its PEM text, so the file may go away.
Status GivenEndpoints(const Config& config, ZoomEndpoints* out) {
  if (config.zoom_oauth_url_given) out->oauth_url = config.zoom_oauth_url;
  if (config.zoom_api_url_given) out->api_url = config.zoom_api_url;
  if (!config.ca_file_given) return Status::OK();
  std::ifstream file(config.ca_file, std::ios::binary);
  std::string pem((std::istreambuf_iterator<char>(file)), {});
  if (!file.good() && !file.eof()) pem.clear();
  if (pem.empty() || pem.size() > kMaxCaBytes ||
      pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Status::InvalidArgument(
        "invalid_ca_file", "--ca-file " + config.ca_file +
                               " cannot be read or holds no PEM certificate");
  }
  out->ca_pem = std::move(pem);
  return Status::OK();
}

// What `zoom s2s` found and did, for its report.
struct StoredApp {
  bool replaced = false;
  S2sCredentials previous;  // ids only
  int requeued = 0;
  std::string oauth_url;  // where the check went
};

// Asks Zoom for a token with the new credentials, at the URLs and with the
// CA the app is stored with.
Status CheckWithZoom(ZoomSession* zoom, const S2sCredentials& credentials,
                     StoreSession* store) {
  ZoomFailure failure = ZoomFailure::kNone;
  Status s = CheckS2sApp(zoom->client->transport(), zoom->oauth_url,
                         &store->clock, credentials, &failure);
  if (s.ok()) return s;
  return s.WithContext(
      "nothing was stored, because asking Zoom for a token failed (--no-check "
      "stores the app without asking)");
}

// Checks the app with Zoom (unless --no-check), stores it with the
// endpoints given, and makes the appointments that failed under the old
// settings due again.
Status StoreApp(const Context& context, const S2sCredentials& credentials,
                StoredApp* report) {
  ZoomEndpoints given;
  Status s = GivenEndpoints(context.config, &given);
  if (!s.ok()) return s;
  StoreSession store;
  ZoomSession zoom;
  // Root-only inputs (the key, the secret and CA files) before OpenStore
  // gives up root.
  s = PreloadSecretKey(context.config, &zoom);
  if (s.ok()) s = OpenStoreForSetup(context, &store);
  if (s.ok()) s = OpenZoomSession(context.config, &store, &zoom);
  bool configured = false;
  if (s.ok()) {
    s = LoadS2sCredentials(store.store.get(), *zoom.box, &report->previous,
                           &configured);
    WipeString(&report->previous.client_secret);
  }
  report->replaced = configured;
  if (!s.ok()) return s;
  // The session resolved the URLs and CA as the app will use them: the
  // given ones, else those stored with the app.
  report->oauth_url = zoom.oauth_url;
  if (context.args.Flag("no-check") == nullptr) {
    s = CheckWithZoom(&zoom, credentials, &store);
  }
  if (s.ok()) {
    s = StoreS2sApp(store.store.get(), *zoom.box, credentials, given,
                    &report->requeued);
  }
  return s;
}

// Subjects and details quote stored text (doctor ids, Zoom users).
std::string CheckLine(const ZoomCheckItem& item) {
  if (item.ok) return "ok   " + EscapeControls(item.subject) + "\n";
  return "FAIL " + EscapeControls(item.subject) + ": " +
         EscapeControls(item.detail) + "\n";
}

std::string FailedSubjects(const ZoomCheckResult& result) {
  std::string text;
  for (const ZoomCheckItem& item : result.items) {
    if (!item.ok) text += (text.empty() ? "" : ", ") + item.subject;
  }
  return text;
}

void PrintLastCheck(const Context& context, Store* store) {
  ZoomCheckResult last;
  bool found = false;
  Status s = LoadCurrentZoomCheck(store, store, &last, &found);
  std::ostream& out = *context.out;
  if (!s.ok() || !found) {
    out << "last check:    none; run '" << context.program << " zoom test'\n";
    return;
  }
  out << "last check:    " << FormatRfc3339Utc(last.checked_at) << ", "
      << (last.ok
              ? "all well"
              : "FAIL (" + EscapeControls(FailedSubjects(last)) + "); run '" +
                    context.program + " zoom test' for details")
      << "\n";
}

}  // namespace

int RunZoomS2s(const Context& context) {
  S2sCredentials credentials;
  credentials.account_id = *context.args.Flag("account-id");
  credentials.client_id = *context.args.Flag("client-id");
  for (const char* flag : {"account-id", "client-id"}) {
    Status s = CheckZoomId(flag, *context.args.Flag(flag));
    if (!s.ok()) {
      Fail(context, s.message());
      return kExitUsage;
    }
  }
  Status s = ReadClientSecret(*context.args.Flag("client-secret-file"),
                              *context.err, &credentials.client_secret);
  if (!s.ok()) return Fail(context, s.message());
  StoredApp report;
  s = StoreApp(context, credentials, &report);
  WipeString(&credentials.client_secret);
  if (!s.ok()) return Fail(context, s.message());
  std::ostream& out = *context.out;
  if (report.replaced) {
    out << "Replaced the stored Zoom app (account ID "
        << report.previous.account_id << ", client ID "
        << report.previous.client_id << ").\n";
  }
  out << "Stored the Zoom Server-to-Server app (account ID "
      << credentials.account_id << ", client ID " << credentials.client_id
      << "); the secret is encrypted.\n";
  if (context.args.Flag("no-check") == nullptr) {
    out << "Zoom issued a token for it (" << report.oauth_url << ").\n";
  }
  if (report.requeued > 0) {
    out << report.requeued << " failed appointment(s) will be retried.\n";
  }
  out << "Check the scopes and doctors now with: " << context.program
      << " zoom test (with the same --data-dir and --key-file, if you gave "
         "them)\n";
  return kExitOk;
}

int RunForgetOAuthApp(const Context& context);

int RunZoomOAuthApp(const Context& context) {
  if (context.args.Flag("forget") != nullptr) {
    return RunForgetOAuthApp(context);
  }
  OAuthApp app;
  app.client_id = *context.args.Flag("client-id");
  const std::string* redirect = context.args.Flag("redirect-url");
  if (redirect != nullptr) app.redirect_url = *redirect;
  Status s = CheckZoomId("client-id", app.client_id);
  if (s.ok() && redirect != nullptr) {
    s = CheckRedirectUrl(app.redirect_url).WithContext("--redirect-url");
  }
  if (!s.ok()) {
    Fail(context, s.message());
    return kExitUsage;
  }
  StoreSession store;
  ZoomSession zoom;
  // The key and the secret file before OpenStore gives up root.
  s = PreloadSecretKey(context.config, &zoom);
  if (s.ok()) {
    s = ReadClientSecret(*context.args.Flag("client-secret-file"), *context.err,
                         &app.client_secret);
  }
  if (s.ok()) s = OpenStoreForSetup(context, &store);
  if (s.ok()) s = OpenZoomSession(context.config, &store, &zoom);
  if (s.ok()) s = SaveOAuthApp(store.store.get(), *zoom.box, app);
  if (s.ok()) s = BumpZoomConfigVersion(store.store.get());
  WipeString(&app.client_secret);
  if (!s.ok()) return Fail(context, s.message());
  *context.out
      << "Stored the Zoom OAuth app (client ID " << app.client_id
      << "); the secret is encrypted.\n"
      << "Redirect URL: "
      << (app.redirect_url.empty()
              ? "the bridge's own, https://<this box>:8443/oauth/callback"
              : app.redirect_url)
      << ": enter exactly this in the app's redirect URL and allow "
         "list in Zoom (docs/zoom-setup.md).\n";
  return kExitOk;
}

// The OAuth app's lines of `zoom show`: ids only, never the secret.
void PrintOAuthApp(const Context& context, Store* store) {
  OAuthApp app;
  bool configured = false;
  Status s = LoadOAuthAppIds(store, &app, &configured);
  std::ostream& out = *context.out;
  if (!s.ok() || !configured) {
    out << "oauth app:     none; doctors with auth oauth need one ("
        << context.program << " zoom oauth-app)\n";
    return;
  }
  out << "oauth app:     client id " << app.client_id << ", secret set\n"
      << "redirect url:  "
      << (app.redirect_url.empty() ? "the bridge's own (default)"
                                   : app.redirect_url)
      << "\n";
}

int RunZoomShow(const Context& context) {
  StoreSession store;
  ZoomSession zoom;
  S2sCredentials credentials;
  bool configured = false;
  Status s = OpenSessions(context, &store, &zoom);
  if (s.ok()) {
    s = LoadS2sCredentials(store.store.get(), *zoom.box, &credentials,
                           &configured);
  }
  WipeString(&credentials.client_secret);
  if (!s.ok()) return Fail(context, s.message());
  std::ostream& out = *context.out;
  if (!configured) {
    out << "No Zoom Server-to-Server app is configured. Set one with: "
        << context.program
        << " zoom s2s --account-id ID --client-id ID --client-secret-file "
           "FILE\n";
  } else {
    out << "account id:    " << credentials.account_id << "\n"
        << "client id:     " << credentials.client_id << "\n"
        << "client secret: set\n";
  }
  // As this command resolved them (flag > environment > stored > default).
  out << "oauth url:     " << zoom.oauth_url << "\n"
      << "api url:       " << zoom.api_url << "\n"
      << "trusted CAs:   " << zoom.ca_source << "\n";
  PrintOAuthApp(context, store.store.get());
  PrintLastCheck(context, store.store.get());
  return kExitOk;
}

// Forgetting cannot be undone (the secret is needed to enter the app
// again): at a terminal it asks; elsewhere --yes says it was meant.
// `command` names it, `app` what goes.
Status ConfirmForget(const Context& context, const std::string& command,
                     const std::string& app) {
  if (context.args.Flag("yes") != nullptr) return Status::OK();
  if (!isatty(STDIN_FILENO)) {
    return Status::InvalidArgument(
        "usage", command + " removes the " + app +
                     "'s credentials for good; run it at a terminal to "
                     "confirm, or add --yes");
  }
  *context.err << "Remove the stored " << app
               << " (its client secret cannot be shown again)? Type yes to "
                  "confirm: "
               << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer == "yes" || answer == "y") return Status::OK();
  return Status::InvalidArgument("usage", "not confirmed; nothing was removed");
}

// After a forget: whether the database is free of the key, or what is
// still sealed under it and how to remove that too.
void PrintKeyState(const Context& context, bool key_released, Store* store) {
  std::ostream& out = *context.out;
  if (key_released) {
    out << "Nothing encrypted with the key file is left: any key file may be "
           "used from now on.\n";
    return;
  }
  OAuthApp oauth;
  bool oauth_stored = false;
  std::vector<DoctorGrant> grants;
  Status s = LoadOAuthAppIds(store, &oauth, &oauth_stored);
  if (s.ok()) s = store->ListGrants(&grants);
  if (!s.ok()) return;
  if (oauth_stored) {
    out << "Kept: the Zoom OAuth app for doctors' own accounts (client ID "
        << oauth.client_id << "), encrypted with the key file; remove it with '"
        << context.program << " zoom oauth-app --forget'.\n";
  }
  if (!grants.empty()) {
    out << "Kept: " << grants.size()
        << " doctor connection(s) to their own Zoom accounts, encrypted with "
           "the key file; end them with '"
        << context.program
        << " doctor disconnect ID' (or zoom oauth-app --forget --force).\n";
  }
}

int RunZoomForget(const Context& context) {
  StoreSession store;
  // The database first: a wrong --data-dir is said before any question.
  Status s = OpenStore(context.config, &store);
  if (s.ok()) s = ConfirmForget(context, "zoom forget", "Zoom app");
  // The last verdict goes with the app. When nothing sealed is left, a new
  // key file may be used from now on (the way back after losing the old
  // one).
  bool key_released = false;
  if (s.ok()) s = ForgetS2sApp(store.store.get(), &key_released);
  if (!s.ok()) return Fail(context, s.message());
  *context.out << "Removed the Zoom Server-to-Server app's credentials and its "
                  "cached token. No meetings are created or changed for S2S "
                  "doctors until an app is configured again.\n";
  PrintKeyState(context, key_released, store.store.get());
  return kExitOk;
}

// Whether `zoom oauth-app --forget` has anything to remove: an app, or
// doctors' grants left without one.
Status HasOAuthAppOrGrants(Store* store, bool* any) {
  OAuthApp app;
  bool stored = false;
  std::vector<DoctorGrant> grants;
  Status s = LoadOAuthAppIds(store, &app, &stored);
  if (s.ok()) s = store->ListGrants(&grants);
  *any = stored || !grants.empty();
  return s;
}

int RunForgetOAuthApp(const Context& context) {
  StoreSession store;
  // Needs no key: the way back after losing it works as zoom forget's.
  Status s = OpenStore(context.config, &store);
  bool any = true;
  if (s.ok()) s = HasOAuthAppOrGrants(store.store.get(), &any);
  if (s.ok() && !any) {
    *context.out << "No Zoom OAuth app is stored: nothing to remove.\n";
    return kExitOk;
  }
  if (s.ok())
    s = ConfirmForget(context, "zoom oauth-app --forget", "Zoom OAuth app");
  ForgottenOAuthApp forgotten;
  if (s.ok()) {
    s = ForgetOAuthApp(store.store.get(), context.args.Flag("force") != nullptr,
                       &forgotten);
  }
  if (s.code() == Status::Code::kConflict) {
    return Fail(context, s.message() + " (--force)");
  }
  if (!s.ok()) return Fail(context, s.message());
  std::ostream& out = *context.out;
  out << "Removed the Zoom OAuth app. Doctors with auth oauth cannot connect "
         "until one is stored again.\n";
  if (!forgotten.disconnected.empty()) {
    out << "Disconnected " << forgotten.disconnected.size()
        << " doctor(s); their tokens are deleted (not revoked at Zoom: each "
           "doctor may remove the app in their Zoom account), and their "
           "appointments wait until they connect again.\n";
  }
  if (forgotten.revokes_dropped > 0) {
    out << "Dropped " << forgotten.revokes_dropped
        << " revoke(s) of earlier connections that Zoom had not taken yet: "
           "they need the app's credentials. Those doctors may remove the "
           "app in their Zoom account.\n";
  }
  PrintKeyState(context, forgotten.key_released, store.store.get());
  return kExitOk;
}

int RunZoomTest(const Context& context) {
  StoreSession store;
  ZoomSession zoom;
  ZoomCheckResult result;
  Status s = OpenSessions(context, &store, &zoom);
  int requeued = 0;
  if (s.ok()) {
    s = TestS2sApp(store.store.get(), zoom.client->s2s(), zoom.client->api(),
                   &store.clock, &result, &requeued);
  }
  // The doctors' own connections after the app's lines; they are not part
  // of the stored verdict (see zoom/grant_check.h).
  std::vector<ZoomCheckItem> grants;
  if (s.ok()) {
    s = CheckDoctorGrants(store.store.get(), store.store.get(),
                          zoom.client.get(), &grants);
  }
  if (!s.ok()) return Fail(context, s.message());
  bool all_well = result.ok;
  for (const std::vector<ZoomCheckItem>* items : {&result.items, &grants}) {
    for (const ZoomCheckItem& item : *items) {
      *context.out << CheckLine(item);
      all_well = all_well && item.ok;
    }
  }
  if (all_well) {
    *context.out << "All well: the bridge can create meetings.\n";
    if (requeued > 0) {
      *context.out << requeued << " failed appointment(s) will be retried.\n";
    }
    return kExitOk;
  }
  *context.out << "Fix the FAIL lines above (docs/zoom-setup.md explains "
                  "each), then run '"
               << context.program << " zoom test' again.\n";
  return kExitFailure;
}

}  // namespace cli
}  // namespace telemed
