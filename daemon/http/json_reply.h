// JSON answers shared by the front ends (the local API and the admin page):
// the one error shape {"error":{"code","message","field"}} and the mapping
// of a Status code to its HTTP status, so both answer a case alike.
#ifndef TELEMED_HTTP_JSON_REPLY_H_
#define TELEMED_HTTP_JSON_REPLY_H_

#include <httplib.h>

#include <string>

#include "base/status.h"

namespace telemed {

// 400 malformed, 401 credentials, 404, 409 state, 422 validation, 503
// unavailable, 500 for the rest.
int HttpStatusFor(const Status& status);

// {"error":{"code":reason,"message":...,"field":...}}; "field" only when
// the status names one. REQUIRES: !status.ok().
std::string RenderError(const Status& status);
// The same shape from plain parts (for refusals that have no Status).
std::string RenderError(const std::string& code, const std::string& message);

// Sets status, `body` as application/json and Cache-Control: no-store.
void WriteJson(int http_status, const std::string& body,
               httplib::Response* res);
// WriteJson(HttpStatusFor(status), RenderError(status)); a 401 also gets
// WWW-Authenticate: Bearer.
void WriteError(const Status& status, httplib::Response* res);

}  // namespace telemed

#endif  // TELEMED_HTTP_JSON_REPLY_H_
