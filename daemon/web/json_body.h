// Reading the admin page's small JSON bodies ({"name"}, {"password"}) with
// the API's error codes, so a handler checks one field in one line.
#ifndef TELEMED_WEB_JSON_BODY_H_
#define TELEMED_WEB_JSON_BODY_H_

#include <string>

#include "base/status.h"

namespace telemed {
namespace web {

// The string member `name` of `body`, which must be one JSON object
// (model/json_body.h's ParseJsonObject and its errors). Missing or null:
// Validation
// ("missing_field"); not a string: InvalidArgument("invalid_type"); invalid
// UTF-8 or a control character: InvalidArgument("invalid_string"); each
// with field `name`. Other members are ignored.
Status ReadBodyString(const std::string& body, const char* name,
                      std::string* out);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_JSON_BODY_H_
