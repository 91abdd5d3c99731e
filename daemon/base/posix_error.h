// PosixError: the one place an errno value becomes a Status.
#ifndef TELEMED_BASE_POSIX_ERROR_H_
#define TELEMED_BASE_POSIX_ERROR_H_

#include <string>

#include "base/status.h"

namespace telemed {

// "<context>: <strerror(err)>". EACCES and EPERM give PermissionDenied
// ("permission_denied"), everything else IoError ("io_error").
Status PosixError(const std::string& context, int err);

}  // namespace telemed

#endif  // TELEMED_BASE_POSIX_ERROR_H_
