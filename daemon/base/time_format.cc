#include "base/time_format.h"

#include <cinttypes>
#include <cstdio>

namespace telemed {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
// 9999-12-31T23:59:59Z: the last instant FormatRfc3339Utc writes with four
// year digits, so every parsed value formats back into parseable text.
constexpr int64_t kMaxUnixSeconds = 253402300799;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil). Done by hand because timegm/mktime depend on TZ and the
// C library, and we need the same answer everywhere.
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

// The inverse of DaysFromCivil (Hinnant's civil_from_days).
CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  date.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3
                                                   : shifted_month - 9);
  date.year = year_of_era + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int64_t year, int month) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Walks the text left to right; every Read* consumes only on success.
class Cursor {
 public:
  explicit Cursor(const std::string& text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  // Consumes exactly `width` ASCII digits.
  bool ReadDigits(int width, int* value) {
    if (text_.size() - pos_ < static_cast<size_t>(width)) return false;
    int result = 0;
    for (int i = 0; i < width; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      result = result * 10 + (c - '0');
    }
    pos_ += width;
    *value = result;
    return true;
  }

  // Consumes `c` or, when given, its alternative spelling `alt`.
  bool ReadChar(char c, char alt = '\0') {
    if (AtEnd()) return false;
    const char got = text_[pos_];
    if (got != c && (alt == '\0' || got != alt)) return false;
    ++pos_;
    return true;
  }

  // Consumes a run of digits; false if there is none. *all_zero tells
  // whether every digit was '0'.
  bool ReadFraction(bool* all_zero) {
    const size_t start = pos_;
    *all_zero = true;
    while (!AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (text_[pos_] != '0') *all_zero = false;
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  const std::string& text_;
  size_t pos_ = 0;
};

Status Invalid(const std::string& message) {
  return Status::Validation("invalid_start_time", message);
}

struct Fields {
  int year, month, day, hour, minute, second;
};

Status ReadDateTime(Cursor* in, Fields* f) {
  if (!in->ReadDigits(4, &f->year) || !in->ReadChar('-') ||
      !in->ReadDigits(2, &f->month) || !in->ReadChar('-') ||
      !in->ReadDigits(2, &f->day) || !in->ReadChar('T', 't') ||
      !in->ReadDigits(2, &f->hour) || !in->ReadChar(':') ||
      !in->ReadDigits(2, &f->minute) || !in->ReadChar(':') ||
      !in->ReadDigits(2, &f->second)) {
    return Invalid("expected YYYY-MM-DDTHH:MM:SS followed by Z or +HH:MM");
  }
  return Status::OK();
}

Status CheckFields(const Fields& f) {
  if (f.year < 1970) return Invalid("year before 1970");
  if (f.month < 1 || f.month > 12) return Invalid("month out of range");
  if (f.day < 1 || f.day > DaysInMonth(f.year, f.month)) {
    return Invalid("no such day in that month");
  }
  if (f.hour > 23) return Invalid("hour out of range");
  if (f.minute > 59) return Invalid("minute out of range");
  // :60 would be a leap second, which unix time cannot represent.
  if (f.second > 59) return Invalid("second out of range (no leap seconds)");
  return Status::OK();
}

// Reads the optional ".000" part: whole seconds only.
Status ReadFraction(Cursor* in) {
  if (!in->ReadChar('.')) return Status::OK();
  bool all_zero = false;
  if (!in->ReadFraction(&all_zero)) return Invalid("'.' without digits");
  if (!all_zero) return Invalid("fractional seconds must be zero");
  return Status::OK();
}

// Reads "Z" or "+HH:MM"/"-HH:MM" into seconds east of UTC.
Status ReadOffset(Cursor* in, int64_t* offset_seconds) {
  if (in->AtEnd()) return Invalid("missing UTC offset (Z or +HH:MM)");
  if (in->ReadChar('Z', 'z')) {
    *offset_seconds = 0;
    return Status::OK();
  }
  const int sign = in->Peek() == '-' ? -1 : 1;
  int hours = 0;
  int minutes = 0;
  if (!in->ReadChar('+', '-') || !in->ReadDigits(2, &hours) ||
      !in->ReadChar(':') || !in->ReadDigits(2, &minutes)) {
    return Invalid("bad UTC offset (expected Z or +HH:MM)");
  }
  if (hours > 23 || minutes > 59) return Invalid("UTC offset out of range");
  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return Status::OK();
}

}  // namespace

Status ParseRfc3339(const std::string& text, int64_t* unix_seconds) {
  Cursor in(text);
  Fields f;
  int64_t offset = 0;
  Status s = ReadDateTime(&in, &f);
  if (s.ok()) s = ReadFraction(&in);
  if (s.ok()) s = ReadOffset(&in, &offset);
  if (s.ok() && !in.AtEnd()) s = Invalid("unexpected text after the offset");
  if (s.ok()) s = CheckFields(f);
  if (!s.ok()) return s;
  const int64_t local = DaysFromCivil(f.year, f.month, f.day) * kSecondsPerDay +
                        f.hour * 3600 + f.minute * 60 + f.second;
  const int64_t utc = local - offset;
  // The offset can push an instant across 1970 or 9999; refusing it keeps
  // FormatRfc3339Utc's output always parseable again.
  if (utc < 0 || utc > kMaxUnixSeconds) {
    return Invalid("instant before 1970 or after 9999 in UTC");
  }
  *unix_seconds = utc;
  return Status::OK();
}

std::string FormatRfc3339Utc(int64_t unix_seconds) {
  // Floor division, so instants before 1970 land on the right day.
  int64_t days = unix_seconds / kSecondsPerDay;
  int64_t rest = unix_seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer),
                "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ", date.year,
                date.month, date.day, static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buffer;
}

}  // namespace telemed
