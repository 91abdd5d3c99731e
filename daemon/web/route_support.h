// What the admin page's screen handlers share: answering a failure without
// giving the bridge's own errors away, and reading a JSON body by the
// local API's rules (model/json_body.h).
#ifndef TELEMED_WEB_ROUTE_SUPPORT_H_
#define TELEMED_WEB_ROUTE_SUPPORT_H_

#include <httplib.h>

#include <string>

#include "base/cjson.h"
#include "base/status.h"

namespace telemed {

class Logger;

namespace web {

// A refusal (4xx) is answered as it is; the bridge's own failure (5xx) is
// logged with `what` ("storing a doctor") and answered without its details:
// 503 "busy" when trying again may help, else 500 "internal_error".
void WriteFailure(const Status& status, const char* what, Logger* logger,
                  httplib::Response* res);

// The request's body as one JSON object (model/json_body.h's rules).
Status ParseBody(const httplib::Request& request, CjsonPtr* out);

// Unix seconds as an ISO 8601 UTC text, or JSON null for 0 (never).
cJSON* TimeOrNull(int64_t unix_seconds);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_ROUTE_SUPPORT_H_
