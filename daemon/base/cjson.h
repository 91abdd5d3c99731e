// CjsonPtr: the one owner of cJSON trees, plus printing without leaks.
#ifndef TELEMED_BASE_CJSON_H_
#define TELEMED_BASE_CJSON_H_

#include <cJSON.h>

#include <memory>
#include <string>

namespace telemed {

struct CjsonDeleter {
  void operator()(cJSON* item) const { cJSON_Delete(item); }
};
// Owns a whole cJSON tree (the root); children are borrowed from it.
using CjsonPtr = std::unique_ptr<cJSON, CjsonDeleter>;

// Compact JSON text of `item`; "null" if cJSON cannot allocate.
inline std::string PrintJson(const cJSON* item) {
  char* text = cJSON_PrintUnformatted(item);
  if (text == nullptr) return "null";
  std::string out(text);
  cJSON_free(text);
  return out;
}

}  // namespace telemed

#endif  // TELEMED_BASE_CJSON_H_
