// ZoomSession: what the daemon and the `zoom` commands need to talk to Zoom
// as the clinic's S2S app: the secret key (bound to the database by its
// fingerprint), the SecretBox, the HTTPS transport, the shared token source
// and the typed API, built from Config in that order.
#ifndef TELEMED_SERVICE_ZOOM_SESSION_H_
#define TELEMED_SERVICE_ZOOM_SESSION_H_

#include <memory>
#include <string>

#include "base/random.h"
#include "base/status.h"
#include "config/config.h"
#include "secrets/secret_box.h"
#include "secrets/secret_key.h"
#include "zoom/zoom_client.h"

namespace telemed {

struct StoreSession;

struct ZoomSession {
  ZoomSession() = default;
  ZoomSession(const ZoomSession&) = delete;
  ZoomSession& operator=(const ZoomSession&) = delete;

  std::string key_path;  // where the secret key was read (for messages)
  // The Zoom endpoints in use, each from the flag or environment if given,
  // else stored with the app (`zoom s2s`), else the built-in default.
  std::string oauth_url;
  std::string api_url;
  std::string ca_source;  // for messages: a file, the stored CA, the system's
  // Not OK when the key is not the one the database's secrets are sealed
  // under and the caller chose to go on (KeyMismatch::kServeWithoutZoom):
  // the token source then refuses with it, so nothing reaches Zoom.
  Status key_refused;
  // The PEM text of a --ca-file read by PreloadSecretKey while still root
  // (empty: the transport reads the file itself).
  std::string given_ca_pem;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<SecretKey> key;
  std::unique_ptr<SecretBox> box;
  // Transport, token source, rate limiter and API; see ZoomClient.
  std::unique_ptr<ZoomClient> client;
};

// What OpenZoomSession does with a key whose fingerprint differs from the
// one the database recorded: the `zoom` commands stop (kRefuse); the daemon
// keeps serving the clinic's API with Zoom refused (kServeWithoutZoom, see
// ZoomSession::key_refused).
enum class KeyMismatch { kRefuse, kServeWithoutZoom };

// Reads the secret key now when it is a file the bridge never creates
// (--key-file, TELEMED_KEY_FILE, a credential, the build's default key
// file), and as root the text of a given --ca-file, so that a command run
// as root reads these root-only files before OpenStore makes it the service
// user; OpenZoomSession then uses it. A key
// made on the fly (<data_dir>/secret.key) is left to OpenZoomSession, which
// creates it as the data dir's user. Errors as OpenZoomSession's.
Status PreloadSecretKey(const Config& config, ZoomSession* out);

// Loads (unless PreloadSecretKey did) or creates, for the default location,
// the secret key, checks it
// against the database's (see KeyMismatch), resolves the Zoom endpoints
// (see ZoomSession::oauth_url), and builds the rest.
// *store_session must be open and outlive *out. Nothing here talks to Zoom
// yet.
Status OpenZoomSession(const Config& config, StoreSession* store_session,
                       ZoomSession* out,
                       KeyMismatch on_mismatch = KeyMismatch::kRefuse);

}  // namespace telemed

#endif  // TELEMED_SERVICE_ZOOM_SESSION_H_
