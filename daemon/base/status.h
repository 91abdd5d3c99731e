// Status: the error-as-value type that crosses every module boundary.
//
// Modelled on leveldb's Status: a closed set of codes, static factories, a
// cheap OK (no allocation), and ToString(). Our additions are `reason`, a
// stable snake_case word that the local API shows as error.code, and
// `field`, the request field to blame when there is one. Only
// http/json_reply.h maps a Code to an HTTP status.
#ifndef TELEMED_BASE_STATUS_H_
#define TELEMED_BASE_STATUS_H_

#include <memory>
#include <string>

namespace telemed {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,   // malformed input (bad JSON, bad id, wrong type)
    kValidation,        // well-formed but unacceptable value
    kNotFound,          // no such record
    kAlreadyExists,     // a unique thing exists already
    kConflict,          // the record's state forbids the operation
    kUnauthenticated,   // missing, unknown or revoked credentials
    kPermissionDenied,  // the OS refused (file modes, owners)
    kIoError,           // disk, database or socket failure
    kCorruption,        // stored data does not make sense
    kUnavailable,       // a remote service cannot be reached (transient)
    kInternal,          // a bug of ours
  };

  // OK costs one null pointer.
  Status() = default;
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  // `reason` is snake_case and stable; `message` is for a human; `field`
  // names the input to blame (may be empty).
  static Status InvalidArgument(std::string reason, std::string message,
                                std::string field = "");
  static Status Validation(std::string reason, std::string message,
                           std::string field = "");
  static Status NotFound(std::string reason, std::string message);
  static Status AlreadyExists(std::string reason, std::string message,
                              std::string field = "");
  static Status Conflict(std::string reason, std::string message,
                         std::string field = "");
  static Status Unauthenticated(std::string reason, std::string message);
  static Status PermissionDenied(std::string reason, std::string message);
  static Status IoError(std::string reason, std::string message);
  static Status Corruption(std::string reason, std::string message);
  static Status Unavailable(std::string reason, std::string message);
  static Status Internal(std::string reason, std::string message);

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  // Empty strings when ok().
  const std::string& reason() const;
  const std::string& message() const;
  const std::string& field() const;

  // "reason: message (field x)" or "OK"; for logs and the CLI.
  std::string ToString() const;

  // Returns a copy whose message starts with `context + ": "`.
  Status WithContext(const std::string& context) const;

 private:
  struct Rep {
    Code code;
    std::string reason;
    std::string message;
    std::string field;
  };
  Status(Code code, std::string reason, std::string message, std::string field);

  std::unique_ptr<Rep> rep_;
};

}  // namespace telemed

#endif  // TELEMED_BASE_STATUS_H_
