// RFC 3339 date-times: strict parsing of what clinics send, and the one UTC
// form the bridge writes ("2026-05-31T14:00:00Z").
#ifndef TELEMED_BASE_TIME_FORMAT_H_
#define TELEMED_BASE_TIME_FORMAT_H_

#include <cstdint>
#include <string>

#include "base/status.h"

namespace telemed {

// Parses "YYYY-MM-DDTHH:MM:SS[.fff]" followed by "Z" or "+HH:MM"/"-HH:MM"
// ('T'/'Z' also in lower case, as RFC 3339 allows) into unix seconds (UTC).
// A fraction must be all zeros. Years 1970..9999. Errors (field empty, the
// caller sets it): Validation "invalid_start_time" for a missing offset, an
// impossible date (Feb 30, hour 24, leap second), a non-zero fraction or bad
// syntax, each with a message saying which.
Status ParseRfc3339(const std::string& text, int64_t* unix_seconds);

// "YYYY-MM-DDTHH:MM:SSZ" for unix seconds (UTC).
std::string FormatRfc3339Utc(int64_t unix_seconds);

}  // namespace telemed

#endif  // TELEMED_BASE_TIME_FORMAT_H_
