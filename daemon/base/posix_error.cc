#include "base/posix_error.h"

#include <errno.h>
#include <string.h>

namespace telemed {

Status PosixError(const std::string& context, int err) {
  // strerror_r's GNU form returns the text (maybe not in buf).
  char buffer[128];
  std::string message =
      context + ": " + strerror_r(err, buffer, sizeof(buffer));
  if (err == EACCES || err == EPERM) {
    return Status::PermissionDenied("permission_denied", message);
  }
  return Status::IoError("io_error", message);
}

}  // namespace telemed
