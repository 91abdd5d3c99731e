// Test helpers for the admin page's screen handlers: an AdminAudit that
// keeps what it is told, a look into an answer's JSON, a DoctorChecker's
// options.
#ifndef TELEMED_WEB_SCREEN_TEST_SUPPORT_H_
#define TELEMED_WEB_SCREEN_TEST_SUPPORT_H_

#include <httplib.h>

#include <string>
#include <vector>

#include "base/cjson.h"
#include "base/mutex.h"
#include "store/store.h"
#include "web/admin_audit.h"
#include "web/doctor_checker.h"

namespace telemed {
namespace web {

class RecordingAudit final : public AdminAudit {
 public:
  struct Entry {
    std::string action;
    std::string address;
    std::string detail;
  };
  void Record(const std::string& action, const std::string& address,
              const std::string& detail) override {
    MutexLock lock(&mu_);
    entries_.push_back({action, address, detail});
  }
  std::vector<Entry> entries() {
    MutexLock lock(&mu_);
    return entries_;
  }

 private:
  Mutex mu_;
  std::vector<Entry> entries_ GUARDED_BY(mu_);
};

// The answer's body parsed (null when it is not JSON).
inline CjsonPtr BodyJson(const httplib::Response& res) {
  return CjsonPtr(cJSON_Parse(res.body.c_str()));
}

// The error code of an error answer ("" when there is none).
inline std::string ErrorCode(const httplib::Response& res) {
  CjsonPtr root = BodyJson(res);
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  const cJSON* code = cJSON_GetObjectItemCaseSensitive(error, "code");
  return cJSON_IsString(code) ? code->valuestring : "";
}

// The error's field ("" when none).
inline std::string ErrorField(const httplib::Response& res) {
  CjsonPtr root = BodyJson(res);
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(root.get(), "error");
  const cJSON* field = cJSON_GetObjectItemCaseSensitive(error, "field");
  return cJSON_IsString(field) ? field->valuestring : "";
}

// A checker on one store (a test's ZoomBed's) and its fake Zoom.
inline DoctorChecker::Options CheckerOptions(Store* store, ZoomApi* api,
                                             const Clock* clock,
                                             Logger* logger) {
  DoctorChecker::Options options;
  options.records = store;
  options.settings = store;
  options.api = api;
  options.clock = clock;
  options.logger = logger;
  return options;
}

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_SCREEN_TEST_SUPPORT_H_
