#include "web/route_support.h"

#include "base/log.h"
#include "base/time_format.h"
#include "http/json_reply.h"
#include "model/json_body.h"

namespace telemed {
namespace web {

void WriteFailure(const Status& status, const char* what, Logger* logger,
                  httplib::Response* res) {
  if (HttpStatusFor(status) < 500) return WriteError(status, res);
  logger->Error("admin page: %s failed: %s", what, status.ToString().c_str());
  if (status.code() == Status::Code::kUnavailable) {
    return WriteError(
        Status::Unavailable("busy", "the bridge is busy; try again"), res);
  }
  WriteError(Status::Internal("internal_error",
                              "the bridge could not complete the request; "
                              "see its log (System)"),
             res);
}

Status ParseBody(const httplib::Request& request, CjsonPtr* out) {
  return ParseJsonObject(request.body, out);
}

cJSON* TimeOrNull(int64_t unix_seconds) {
  if (unix_seconds == 0) return cJSON_CreateNull();
  return cJSON_CreateString(FormatRfc3339Utc(unix_seconds).c_str());
}

}  // namespace web
}  // namespace telemed
