// BridgeOAuth: doctors of a ZoomBridge's daemon connecting their own Zoom
// account (user OAuth) as the connect pages would have them: the clinic's
// OAuth app stored, then a connect link, the doctor's Continue, Zoom's
// authorize page (the fake's) and the callback, through the real steps
// (zoom/oauth_connect.h) run in the test process on the daemon's database
// and key. The daemon reads grants from the database on every call, so it
// sees a connection at once, running or not.
//
// Setup failures abort the test binary with a message, like ZoomBridge.
#ifndef TELEMED_TESTS_SUPPORT_BRIDGE_OAUTH_H_
#define TELEMED_TESTS_SUPPORT_BRIDGE_OAUTH_H_

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace telemed {

class HttpsTransport;
class RandomSource;
class SecretBox;
class SecretKey;
class Store;
class UserTokenSource;

namespace test {

class ZoomBridge;

class BridgeOAuth final {
 public:
  // Opens the bridge's database and key and stores the fake's OAuth app.
  // *bridge is borrowed and must outlive this.
  explicit BridgeOAuth(ZoomBridge* bridge);
  ~BridgeOAuth();
  BridgeOAuth(const BridgeOAuth&) = delete;
  BridgeOAuth& operator=(const BridgeOAuth&) = delete;

  // PUT /doctors/{id} with auth oauth for the fake's user `zoom_user`
  // ("id@clinic.example"); returns the HTTP status (REQUIRES: running).
  int PutDoctor(const std::string& doctor_id, const std::string& zoom_user);
  // `zoom_user` connects `doctor_id`, link to callback. The error of the
  // first step that failed.
  Status Connect(const std::string& doctor_id, const std::string& zoom_user);
  // The doctor's refresh token as stored now (opened); "" when the doctor
  // has no grant.
  std::string StoredRefreshToken(const std::string& doctor_id);
  // The doctor's `oauth.state` from GET /doctors/{id} (REQUIRES: running);
  // "" when the answer has none.
  std::string OAuthState(const std::string& doctor_id);

  // A token source of this process on the bridge's database: another
  // process using the doctors' grants beside the daemon. It borrows this.
  std::unique_ptr<UserTokenSource> NewTokenSource();
  // Whether no process holds the refresh lease of `doctor_id` (takes and
  // gives it back when free).
  bool RefreshLeaseFree(const std::string& doctor_id);

 private:
  ZoomBridge* const bridge_;
  RealClock clock_;
  std::string oauth_url_;
  std::string api_url_;
  std::unique_ptr<RandomSource> random_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SecretKey> key_;
  std::unique_ptr<SecretBox> box_;
  std::unique_ptr<HttpsTransport> transport_;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_BRIDGE_OAUTH_H_
