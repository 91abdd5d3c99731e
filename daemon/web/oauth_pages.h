// The doctor's pages of connecting a Zoom account, on the HTTPS listener
// beside the admin page but without its session (the doctor is not the
// admin; the link's random id is the doctor's only credential):
//   GET  /oauth/connect/{link}  a page with a Continue to Zoom button (a
//        form POST, no script), so link previews do not spend the link;
//   POST /oauth/connect/{link}  spends it: 303 to Zoom's authorize URL;
//   GET  /oauth/callback        Zoom's redirect back: the grant is stored
//        and the page names the Zoom account, or says why it was refused.
// The steps themselves are zoom/oauth_connect.h.
#ifndef TELEMED_WEB_OAUTH_PAGES_H_
#define TELEMED_WEB_OAUTH_PAGES_H_

#include <httplib.h>

namespace telemed {

class Clock;
struct OAuthConnectDeps;

namespace web {

// Answers `req` when its path is under /oauth/ (true), else leaves *res
// alone (false). `deps` null: every such page says connecting is not set
// up. Thread-safe when the steps' borrowed parts are.
bool ServeOAuthPage(const OAuthConnectDeps* deps, const Clock& clock,
                    const httplib::Request& req, httplib::Response* res);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_OAUTH_PAGES_H_
