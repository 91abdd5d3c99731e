#include "base/json_object.h"

#include <set>
#include <utility>

#include "base/text.h"

namespace telemed {

namespace {

// cJSON decodes "\u0000" to a NUL and silently cuts the string there (a
// key "doctor_id\u0000x" would even match "doctor_id"), so the escape is
// looked for in the raw text. In valid JSON every backslash starts a
// two-character escape, so stepping over pairs meets each escape once and
// does not mistake "\\u0000" (a backslash, then "u0000") for one.
bool HasNulEscape(const std::string& body) {
  for (size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] != '\\') continue;
    if (body.compare(i + 1, 5, "u0000") == 0) return true;
    ++i;
  }
  return false;
}

// cJSON keeps every member of an object, repeats included, and its look-ups
// return the first: {"cancelled":false,"cancelled":true} would silently
// mean false. Whoever sent both meant something, so neither is guessed.
// Recursion is bounded by cJSON's nesting limit (1000).
Status CheckDuplicateKeys(const cJSON* item) {
  std::set<std::string> keys;
  for (const cJSON* child = item->child; child != nullptr;
       child = child->next) {
    if (cJSON_IsObject(item) && !keys.insert(child->string).second) {
      size_t unused = 0;
      // An invalid key is refused later as invalid_string; it is not put
      // into the answer.
      if (!IsCleanUtf8(child->string, &unused)) {
        return Status::InvalidArgument("invalid_json",
                                       "a key appears twice in one object");
      }
      return Status::InvalidArgument("invalid_json",
                                     "key \"" + std::string(child->string) +
                                         "\" appears twice in one object",
                                     child->string);
    }
    Status s = CheckDuplicateKeys(child);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

Status ParseJsonObject(const std::string& body, CjsonPtr* out) {
  if (HasNulEscape(body)) {
    return Status::InvalidArgument("invalid_string",
                                   "strings must not contain NUL (\\u0000)");
  }
  const char* end = nullptr;
  CjsonPtr root(cJSON_ParseWithOpts(body.c_str(), &end,
                                    /*require_null_terminated=*/1));
  // cJSON reads up to the first NUL byte: a raw NUL ends the parse early,
  // and whatever follows it was never checked.
  if (root == nullptr || end != body.c_str() + body.size()) {
    return Status::InvalidArgument("invalid_json", "body is not valid JSON");
  }
  if (!cJSON_IsObject(root.get())) {
    return Status::InvalidArgument("invalid_json",
                                   "body must be a JSON object");
  }
  Status s = CheckDuplicateKeys(root.get());
  if (!s.ok()) return s;
  *out = std::move(root);
  return Status::OK();
}

}  // namespace telemed
