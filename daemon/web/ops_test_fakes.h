// Test doubles of the admin handlers' seams, for the tests of the
// Appointments, API keys and System endpoints: an AdminAudit that keeps what
// it is given and a PasswordCheck with one password and a switchable
// lock-out; and readers of their JSON answers. Header-only; used only by
// *_test.cc.
#ifndef TELEMED_WEB_OPS_TEST_FAKES_H_
#define TELEMED_WEB_OPS_TEST_FAKES_H_

#include <httplib.h>

#include <string>
#include <vector>

#include "base/cjson.h"
#include "web/admin_audit.h"
#include "web/password_check.h"

namespace telemed {
namespace web {
namespace test {

class FakeAudit final : public AdminAudit {
 public:
  struct Entry {
    std::string action, address, detail;
  };
  void Record(const std::string& action, const std::string& address,
              const std::string& detail) override {
    entries.push_back({action, address, detail});
  }
  std::vector<Entry> entries;
};

class FakePasswordCheck final : public PasswordCheck {
 public:
  Status Verify(const std::string& given, const std::string& address,
                int* retry_after_s) override {
    *retry_after_s = 0;
    addresses.push_back(address);
    if (locked_for_s > 0) {
      *retry_after_s = locked_for_s;
      return Status::Unavailable("too_many_attempts", "try again later");
    }
    if (given == password) return Status::OK();
    return Status::Unauthenticated("password_wrong", "wrong password");
  }
  std::string password = "correct horse battery";
  int locked_for_s = 0;
  std::vector<std::string> addresses;
};

// The answer's JSON body (null when it is not JSON).
inline CjsonPtr ParseBody(const httplib::Response& res) {
  return CjsonPtr(cJSON_Parse(res.body.c_str()));
}

// The string member `name` of `object`; "null" for JSON null, "<absent>"
// when missing or not a string.
inline std::string JsonText(const cJSON* object, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, name);
  if (cJSON_IsNull(item)) return "null";
  return cJSON_IsString(item) ? item->valuestring : "<absent>";
}

// error.code of an error answer ("<absent>" when it has none).
inline std::string ErrorCode(const httplib::Response& res) {
  CjsonPtr root = ParseBody(res);
  return JsonText(cJSON_GetObjectItemCaseSensitive(root.get(), "error"),
                  "code");
}

}  // namespace test
}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_OPS_TEST_FAKES_H_
