// Reading a request body that must be one JSON object, with the checks
// cJSON does not make itself: a "\u0000" escape (cJSON cuts the string
// there), bytes after the value, and a key given twice in one object. Shared
// by the front ends (the local API and the admin page).
#ifndef TELEMED_BASE_JSON_OBJECT_H_
#define TELEMED_BASE_JSON_OBJECT_H_

#include <string>

#include "base/cjson.h"
#include "base/status.h"

namespace telemed {

// Parses `body` as one JSON object into *out. InvalidArgument:
// "invalid_string" for a "\u0000" escape; "invalid_json" for what is not
// JSON, not an object, or repeats a key in one object at any depth (field
// = that key when it is valid UTF-8).
Status ParseJsonObject(const std::string& body, CjsonPtr* out);

}  // namespace telemed

#endif  // TELEMED_BASE_JSON_OBJECT_H_
