#include "base/time_zone.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace telemed {

namespace {

constexpr size_t kHeaderSize = 44;
constexpr size_t kMaxZoneFileSize = 1 << 20;

// The six counts of a TZif header, in file order.
struct Counts {
  uint32_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

uint64_t ReadBigEndian(const std::string& data, size_t at, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value = (value << 8) | static_cast<uint8_t>(data[at + i]);
  }
  return value;
}

bool ReadHeader(const std::string& data, size_t at, Counts* out) {
  if (data.size() < at + kHeaderSize || data.compare(at, 4, "TZif") != 0) {
    return false;
  }
  uint32_t* fields[] = {&out->isut, &out->isstd, &out->leap,
                        &out->time, &out->type,  &out->chars};
  for (size_t i = 0; i < 6; ++i) {
    *fields[i] = static_cast<uint32_t>(ReadBigEndian(data, at + 20 + 4 * i, 4));
  }
  return out->type >= 1;
}

// Bytes of a data block whose times are `time_size` bytes wide.
uint64_t BlockSize(const Counts& c, int time_size) {
  return uint64_t{c.time} * (time_size + 1) + uint64_t{c.type} * 6 + c.chars +
         uint64_t{c.leap} * (time_size + 4) + c.isstd + c.isut;
}

Status NotTzif(const std::string& path) {
  return Status::InvalidArgument("invalid_timezone",
                                 path + " is not a time zone file");
}

bool IsZoneName(const std::string& name) {
  return !name.empty() && name[0] != '/' &&
         name.find("..") == std::string::npos &&
         name.find('\0') == std::string::npos;
}

}  // namespace

Status TimeZone::Load(const std::string& zoneinfo_dir, const std::string& name,
                      TimeZone* out) {
  if (!IsZoneName(name)) {
    return Status::InvalidArgument("invalid_timezone",
                                   "not a time zone name: " + name);
  }
  const std::string path = zoneinfo_dir + "/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Status::NotFound("unknown_timezone", "no time zone file " + path);
  }
  std::string data;
  data.resize(kMaxZoneFileSize);
  file.read(&data[0], static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(file.gcount()));
  // Version 1 files have 32-bit times only; later ones repeat the data
  // with 64-bit times after the first block, which is what is read here.
  Counts counts;
  if (!ReadHeader(data, 0, &counts)) return NotTzif(path);
  size_t at = 0;
  int time_size = 4;
  if (data[4] >= '2') {
    at = kHeaderSize + BlockSize(counts, 4);
    time_size = 8;
    if (!ReadHeader(data, at, &counts)) return NotTzif(path);
  }
  at += kHeaderSize;
  if (data.size() < at + BlockSize(counts, time_size)) return NotTzif(path);
  TimeZone zone;
  for (uint32_t i = 0; i < counts.time; ++i) {
    const uint64_t raw = ReadBigEndian(data, at + i * time_size, time_size);
    zone.transitions_.push_back(
        time_size == 8 ? static_cast<int64_t>(raw)
                       : static_cast<int64_t>(static_cast<int32_t>(raw)));
    const uint8_t type =
        static_cast<uint8_t>(data[at + counts.time * time_size + i]);
    if (type >= counts.type) return NotTzif(path);
    zone.types_.push_back(type);
  }
  const size_t infos = at + uint64_t{counts.time} * (time_size + 1);
  for (uint32_t i = 0; i < counts.type; ++i) {
    zone.offsets_.push_back(
        static_cast<int32_t>(ReadBigEndian(data, infos + 6 * i, 4)));
  }
  *out = std::move(zone);
  return Status::OK();
}

int32_t TimeZone::OffsetAt(int64_t unix_seconds) const {
  if (offsets_.empty()) return 0;
  // The last transition at or before the time; before the first one, the
  // zone's first type holds (RFC 8536, section 3.2).
  auto after =
      std::upper_bound(transitions_.begin(), transitions_.end(), unix_seconds);
  if (after == transitions_.begin()) return offsets_[0];
  return offsets_[types_[std::distance(transitions_.begin(), after) - 1]];
}

std::string FormatLocalMinute(int64_t unix_seconds, int32_t offset) {
  const time_t shifted = static_cast<time_t>(unix_seconds + offset);
  struct tm parts;
  if (gmtime_r(&shifted, &parts) == nullptr) return "";
  char text[64];  // room for any int, as gcc checks
  snprintf(text, sizeof(text), "%04d-%02d-%02d %02d:%02d", parts.tm_year + 1900,
           parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min);
  return text;
}

}  // namespace telemed
