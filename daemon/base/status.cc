#include "base/status.h"

#include <utility>

namespace telemed {

namespace {
const std::string& EmptyString() {
  static const std::string* const empty = new std::string();
  return *empty;
}
}  // namespace

Status::Status(Code code, std::string reason, std::string message,
               std::string field)
    : rep_(new Rep{code, std::move(reason), std::move(message),
                   std::move(field)}) {}

Status::Status(const Status& other)
    : rep_(other.rep_ ? new Rep(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_.reset(other.rep_ ? new Rep(*other.rep_) : nullptr);
  return *this;
}

Status Status::InvalidArgument(std::string reason, std::string message,
                               std::string field) {
  return Status(Code::kInvalidArgument, std::move(reason), std::move(message),
                std::move(field));
}
Status Status::Validation(std::string reason, std::string message,
                          std::string field) {
  return Status(Code::kValidation, std::move(reason), std::move(message),
                std::move(field));
}
Status Status::NotFound(std::string reason, std::string message) {
  return Status(Code::kNotFound, std::move(reason), std::move(message), "");
}
Status Status::AlreadyExists(std::string reason, std::string message,
                             std::string field) {
  return Status(Code::kAlreadyExists, std::move(reason), std::move(message),
                std::move(field));
}
Status Status::Conflict(std::string reason, std::string message,
                        std::string field) {
  return Status(Code::kConflict, std::move(reason), std::move(message),
                std::move(field));
}
Status Status::Unauthenticated(std::string reason, std::string message) {
  return Status(Code::kUnauthenticated, std::move(reason), std::move(message),
                "");
}
Status Status::PermissionDenied(std::string reason, std::string message) {
  return Status(Code::kPermissionDenied, std::move(reason), std::move(message),
                "");
}
Status Status::IoError(std::string reason, std::string message) {
  return Status(Code::kIoError, std::move(reason), std::move(message), "");
}
Status Status::Corruption(std::string reason, std::string message) {
  return Status(Code::kCorruption, std::move(reason), std::move(message), "");
}
Status Status::Unavailable(std::string reason, std::string message) {
  return Status(Code::kUnavailable, std::move(reason), std::move(message), "");
}
Status Status::Internal(std::string reason, std::string message) {
  return Status(Code::kInternal, std::move(reason), std::move(message), "");
}

const std::string& Status::reason() const {
  return rep_ ? rep_->reason : EmptyString();
}
const std::string& Status::message() const {
  return rep_ ? rep_->message : EmptyString();
}
const std::string& Status::field() const {
  return rep_ ? rep_->field : EmptyString();
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = rep_->reason + ": " + rep_->message;
  if (!rep_->field.empty()) out += " (field " + rep_->field + ")";
  return out;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(rep_->code, rep_->reason, context + ": " + rep_->message,
                rep_->field);
}

}  // namespace telemed
