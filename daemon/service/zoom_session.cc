#include "service/zoom_session.h"

#include <errno.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "service/store_session.h"
#include "zoom/zoom_endpoints.h"

namespace telemed {

namespace {

KeyLocation LocateKey(const Config& config) {
  return ResolveKeyPath(config.key_file, nullptr,
                        config.credentials_directory.empty()
                            ? nullptr
                            : config.credentials_directory.c_str(),
                        config.default_key_file, config.data_dir);
}

// Reads (or creates) the key at `location` into out->key.
Status ReadKey(const KeyLocation& location, ZoomSession* out) {
  out->key_path = location.path;
  Status s = SecretKey::Load(location, out->random.get(), &out->key);
  if (!s.ok() && !location.create_if_missing &&
      access(location.path.c_str(), F_OK) != 0 && errno == ENOENT) {
    // Only <data_dir>/secret.key is made on the fly; any other key file is
    // made once, on purpose, so that no secret is sealed under a stray key.
    return Status::NotFound(
        "secret_key_missing",
        "the key file " + location.path +
            " does not exist: create it with 'telemed-bridge key create "
            "--key-file " +
            location.path + "', or give the right one with --key-file");
  }
  return s;
}

Status LoadKey(const Config& config, Store* store, KeyMismatch on_mismatch,
               ZoomSession* out) {
  KeyLocation location = LocateKey(config);
  Status s;
  if (out->key == nullptr) s = ReadKey(location, out);
  if (!s.ok()) return s;
  // A process holding another key must not write secrets under it.
  // Conflict: the database's secrets are sealed under another key.
  s = store->BindKeyFingerprint(out->key->fingerprint(), location.path);
  if (s.code() != Status::Code::kConflict) return s;
  s = Status::Conflict(
      s.reason(), s.message() +
                      ". If that key file is lost, stop the daemon and run "
                      "'zoom forget' and, when doctors connect their own "
                      "Zoom accounts, 'zoom oauth-app --forget --force' "
                      "(they remove the secrets sealed under the lost key), "
                      "then enter the Zoom apps again");
  if (on_mismatch == KeyMismatch::kRefuse) return s;
  out->key_refused = s;
  return Status::OK();
}

// flag > environment > stored with the app > built-in default: Config
// holds the first two and the default; the store the stored ones.
Status ResolveEndpoints(const Config& config, Store* store,
                        HttpsTransport::Options* transport, ZoomSession* out) {
  ZoomEndpoints stored;
  Status s = LoadZoomEndpoints(store, &stored);
  if (!s.ok()) return s;
  auto pick = [](bool given, const std::string& flag,
                 const std::string& saved) {
    return given || saved.empty() ? flag : saved;
  };
  out->oauth_url = pick(config.zoom_oauth_url_given, config.zoom_oauth_url,
                        stored.oauth_url);
  out->api_url =
      pick(config.zoom_api_url_given, config.zoom_api_url, stored.api_url);
  if (config.ca_file_given || stored.ca_pem.empty()) {
    transport->ca_file = config.ca_file;
    transport->ca_pem = out->given_ca_pem;
    out->ca_source = config.ca_file.empty() ? "the system's CA certificates"
                                            : config.ca_file;
  } else {
    transport->ca_pem = stored.ca_pem;
    transport->ca_file = "the CA certificate stored with the Zoom app";
    out->ca_source = transport->ca_file;
  }
  return Status::OK();
}

// A CA file given as root may be root's alone: its text is kept for the
// transport. Any failure is left to the transport's own reading, which
// names the file as it always did.
void PreloadCaFile(const Config& config, ZoomSession* out) {
  if (geteuid() != 0 || !config.ca_file_given || config.ca_file.empty()) return;
  std::ifstream file(config.ca_file, std::ios::binary);
  std::string pem((std::istreambuf_iterator<char>(file)), {});
  if (file.bad()) return;
  out->given_ca_pem = std::move(pem);
}

}  // namespace

Status PreloadSecretKey(const Config& config, ZoomSession* out) {
  PreloadCaFile(config, out);
  KeyLocation location = LocateKey(config);
  if (location.create_if_missing) return Status::OK();
  Status s = RealRandom::Open(&out->random);
  if (s.ok()) s = ReadKey(location, out);
  return s;
}

Status OpenZoomSession(const Config& config, StoreSession* store_session,
                       ZoomSession* out, KeyMismatch on_mismatch) {
  Status s = out->random ? Status::OK() : RealRandom::Open(&out->random);
  if (s.ok()) s = LoadKey(config, store_session->store.get(), on_mismatch, out);
  if (!s.ok()) return s;
  out->box = std::make_unique<SecretBox>(out->key.get(), out->random.get());

  ZoomClient::Options client;
  s = ResolveEndpoints(config, store_session->store.get(), &client.https, out);
  if (s.ok()) s = ParseZoomPlan(config.zoom_plan, &client.plan);
  if (!s.ok()) return s;
  client.oauth_url = out->oauth_url;
  client.api_url = out->api_url;
  client.store = store_session->store.get();
  client.grants = store_session->store.get();  // doctors' own grants
  client.revokes = store_session->store.get();
  client.box = out->box.get();
  client.clock = &store_session->clock;
  client.random = out->random.get();
  client.refused = out->key_refused;
  return ZoomClient::Open(client, &out->client);
}

}  // namespace telemed
