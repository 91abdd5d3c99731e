#include "http/json_reply.h"

#include <utility>

#include "base/cjson.h"

namespace telemed {

namespace {

constexpr char kJsonType[] = "application/json; charset=utf-8";

}  // namespace

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kUnauthenticated:
      return 401;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kAlreadyExists:
    case Status::Code::kConflict:
      return 409;
    case Status::Code::kValidation:
      return 422;
    case Status::Code::kUnavailable:
      return 503;
    case Status::Code::kPermissionDenied:
    case Status::Code::kIoError:
    case Status::Code::kCorruption:
    case Status::Code::kInternal:
      return 500;
  }
  return 500;
}

std::string RenderError(const Status& status) {
  CjsonPtr root(cJSON_CreateObject());
  cJSON* error = cJSON_AddObjectToObject(root.get(), "error");
  cJSON_AddStringToObject(error, "code", status.reason().c_str());
  cJSON_AddStringToObject(error, "message", status.message().c_str());
  if (!status.field().empty()) {
    cJSON_AddStringToObject(error, "field", status.field().c_str());
  }
  return PrintJson(root.get());
}

std::string RenderError(const std::string& code, const std::string& message) {
  return RenderError(Status::InvalidArgument(code, message));
}

void WriteJson(int http_status, const std::string& body,
               httplib::Response* res) {
  res->status = http_status;
  res->set_header("Cache-Control", "no-store");
  res->set_content(body, kJsonType);
}

void WriteError(const Status& status, httplib::Response* res) {
  WriteJson(HttpStatusFor(status), RenderError(status), res);
  if (status.code() == Status::Code::kUnauthenticated) {
    res->set_header("WWW-Authenticate", "Bearer");
  }
}

}  // namespace telemed
