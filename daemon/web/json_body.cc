#include "web/json_body.h"

#include "base/text.h"
#include "model/json_body.h"

namespace telemed {
namespace web {

Status ReadBodyString(const std::string& body, const char* name,
                      std::string* out) {
  CjsonPtr root;
  Status s = ParseJsonObject(body, &root);
  if (!s.ok()) return s;
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root.get(), name);
  if (item == nullptr || cJSON_IsNull(item)) {
    return Status::Validation("missing_field",
                              std::string(name) + " is required", name);
  }
  if (!cJSON_IsString(item)) {
    return Status::InvalidArgument(
        "invalid_type", std::string(name) + " must be a string", name);
  }
  const std::string value = item->valuestring;
  size_t code_points = 0;
  if (!IsCleanUtf8(value, &code_points) || HasControlCharacter(value)) {
    return Status::InvalidArgument(
        "invalid_string",
        std::string(name) + " must be UTF-8 text without control characters",
        name);
  }
  *out = value;
  return Status::OK();
}

}  // namespace web
}  // namespace telemed
