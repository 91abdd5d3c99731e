// TimeZone: a zone of the system's tz database (TZif files, RFC 8536, as
// /usr/share/zoneinfo holds them), read so that a time can be shown in the
// zone an appointment was made in ("2026-12-03 14:30 Europe/Berlin")
// without touching the process's TZ, which other threads read.
//
// Offsets come from the file's transitions. Debian's files list them up to
// 2037; a later time takes the offset of the last one (the rule string at
// a file's end, which would say more, is not read).
#ifndef TELEMED_BASE_TIME_ZONE_H_
#define TELEMED_BASE_TIME_ZONE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace telemed {

class TimeZone {
 public:
  // Reads zone `name` (such as "Europe/Berlin") from `zoneinfo_dir`.
  // InvalidArgument("invalid_timezone") for a name that is not a zone
  // name (empty, absolute, with "..") or a file that is not TZif;
  // NotFound("unknown_timezone") when there is no such file.
  static Status Load(const std::string& zoneinfo_dir, const std::string& name,
                     TimeZone* out);

  // Seconds east of UTC at `unix_seconds`.
  int32_t OffsetAt(int64_t unix_seconds) const;

 private:
  std::vector<int64_t> transitions_;  // ascending unix seconds
  std::vector<uint8_t> types_;        // the type each transition starts
  std::vector<int32_t> offsets_;      // per type, seconds east of UTC
};

// "YYYY-MM-DD HH:MM" of `unix_seconds` shifted by `offset` seconds.
std::string FormatLocalMinute(int64_t unix_seconds, int32_t offset);

}  // namespace telemed

#endif  // TELEMED_BASE_TIME_ZONE_H_
