#include "tributary/columnar/temporal.h"

#include <fmt/format.h>

namespace tributary::columnar {

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
int32_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int32_t>(era * 146097 + static_cast<int64_t>(doe) - 719468);
}

void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2);
}

std::string FormatDate(int32_t days) {
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string FormatDateTime(int64_t micros, int fraction_digits_max, std::string_view suffix) {
  const int64_t kMicrosPerDay = 86400LL * 1000000;
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t in_day = micros - days * kMicrosPerDay;
  int64_t seconds = in_day / 1000000;
  int64_t fraction = in_day % 1000000;
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", FormatDate(static_cast<int32_t>(days)), seconds / 3600,
                                (seconds / 60) % 60, seconds % 60);
  if (fraction_digits_max == 3) {
    out += fmt::format(".{:03}", fraction / 1000);
  } else if (fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  out += suffix;
  return out;
}

bool ReadDigits(std::string_view text, size_t* pos, int count, int64_t* value) {
  int64_t result = 0;
  for (int i = 0; i < count; ++i) {
    if (*pos >= text.size() || text[*pos] < '0' || text[*pos] > '9') return false;
    result = result * 10 + (text[*pos] - '0');
    ++*pos;
  }
  *value = result;
  return true;
}

bool ValidDate(int64_t year, int64_t month, int64_t day) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

// Parses the date and optional time part; returns micros in local (unzoned) time and
// leaves *pos at the first unread character.
std::optional<int64_t> ParseLocal(std::string_view text, size_t* pos) {
  int64_t year, month, day;
  if (!ReadDigits(text, pos, 4, &year) || *pos >= text.size() || text[*pos] != '-') return std::nullopt;
  ++*pos;
  if (!ReadDigits(text, pos, 2, &month) || *pos >= text.size() || text[*pos] != '-') return std::nullopt;
  ++*pos;
  if (!ReadDigits(text, pos, 2, &day) || !ValidDate(year, month, day)) return std::nullopt;
  int64_t micros = static_cast<int64_t>(DaysFromCivil(year, static_cast<unsigned>(month),
                                                      static_cast<unsigned>(day))) * 86400LL * 1000000;
  if (*pos < text.size() && (text[*pos] == 'T' || text[*pos] == ' ')) {
    ++*pos;
    int64_t hour, minute, second = 0;
    if (!ReadDigits(text, pos, 2, &hour) || *pos >= text.size() || text[*pos] != ':') return std::nullopt;
    ++*pos;
    if (!ReadDigits(text, pos, 2, &minute)) return std::nullopt;
    if (*pos < text.size() && text[*pos] == ':') {
      ++*pos;
      if (!ReadDigits(text, pos, 2, &second)) return std::nullopt;
      if (*pos < text.size() && text[*pos] == '.') {
        ++*pos;
        int64_t fraction = 0;
        int digits = 0;
        while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9') {
          if (digits < 6) {
            fraction = fraction * 10 + (text[*pos] - '0');
            ++digits;
          }
          ++*pos;
        }
        if (digits == 0) return std::nullopt;
        while (digits < 6) {
          fraction *= 10;
          ++digits;
        }
        micros += fraction;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    micros += ((hour * 60 + minute) * 60 + second) * 1000000;
  }
  return micros;
}

}  // namespace

std::string FormatTimestamp(int64_t micros) { return FormatDateTime(micros, 6, "Z"); }
std::string FormatTimestampNtz(int64_t micros) { return FormatDateTime(micros, 6, ""); }
std::string FormatTimestampMillis(int64_t micros, bool utc) {
  return FormatDateTime(FloorDiv(micros, 1000) * 1000, 3, utc ? "Z" : "");
}

std::optional<int32_t> ParseDate(std::string_view text) {
  size_t pos = 0;
  int64_t year, month, day;
  if (!ReadDigits(text, &pos, 4, &year) || pos >= text.size() || text[pos] != '-') return std::nullopt;
  ++pos;
  if (!ReadDigits(text, &pos, 2, &month) || pos >= text.size() || text[pos] != '-') return std::nullopt;
  ++pos;
  if (!ReadDigits(text, &pos, 2, &day) || pos != text.size() || !ValidDate(year, month, day)) return std::nullopt;
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  size_t pos = 0;
  std::optional<int64_t> local = ParseLocal(text, &pos);
  if (!local) return std::nullopt;
  std::string_view zone = text.substr(pos);
  if (zone.empty() || zone == "Z" || zone == "UTC") return local;
  if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
  int sign = zone[0] == '-' ? -1 : 1;
  size_t zpos = 1;
  int64_t hours, minutes = 0;
  if (!ReadDigits(zone, &zpos, 2, &hours)) return std::nullopt;
  if (zpos < zone.size() && zone[zpos] == ':') ++zpos;
  if (zpos < zone.size() && !ReadDigits(zone, &zpos, 2, &minutes)) return std::nullopt;
  if (zpos != zone.size() || hours > 18 || minutes > 59) return std::nullopt;
  return *local - sign * (hours * 3600 + minutes * 60) * 1000000;
}

std::optional<int64_t> ParseTimestampNtz(std::string_view text) {
  size_t pos = 0;
  std::optional<int64_t> local = ParseLocal(text, &pos);
  if (!local || pos != text.size()) return std::nullopt;
  return local;
}

}  // namespace tributary::columnar
