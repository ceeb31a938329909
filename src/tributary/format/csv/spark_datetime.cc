#include "tributary/format/csv/spark_datetime.h"

#include "tributary/columnar/temporal.h"

namespace tributary::csv {

namespace {

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  return text;
}

// Reads between min_digits and max_digits ASCII digits.
bool ReadNumber(std::string_view text, size_t* pos, int min_digits, int max_digits, int64_t* value) {
  int digits = 0;
  int64_t result = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9' && digits < max_digits) {
    result = result * 10 + (text[*pos] - '0');
    ++*pos;
    ++digits;
  }
  if (digits < min_digits) return false;
  if (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9') return false;  // too many digits
  *value = result;
  return true;
}

bool ValidDate(int64_t year, int64_t month, int64_t day) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

// "yyyy[-[m]m[-[d]d]]"; leaves *pos after it.
bool ReadDate(std::string_view text, size_t* pos, int64_t* days) {
  int64_t year, month = 1, day = 1;
  if (!ReadNumber(text, pos, 4, 4, &year)) return false;
  if (*pos < text.size() && text[*pos] == '-') {
    ++*pos;
    if (!ReadNumber(text, pos, 1, 2, &month)) return false;
    if (*pos < text.size() && text[*pos] == '-') {
      ++*pos;
      if (!ReadNumber(text, pos, 1, 2, &day)) return false;
    }
  }
  if (!ValidDate(year, month, day)) return false;
  *days = columnar::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return true;
}

// "[+-]h[h][[:]mm]" after the sign; seconds east of UTC.
bool ReadOffset(std::string_view text, size_t* pos, int64_t* seconds) {
  if (*pos >= text.size() || (text[*pos] != '+' && text[*pos] != '-')) return false;
  int sign = text[*pos] == '-' ? -1 : 1;
  ++*pos;
  size_t start = *pos;
  int64_t hours = 0, minutes = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9') ++*pos;
  size_t digits = *pos - start;
  std::string_view number = text.substr(start, digits);
  if (digits == 1 || digits == 2) {
    size_t p = 0;
    if (!ReadNumber(number, &p, 1, 2, &hours)) return false;
    if (*pos < text.size() && text[*pos] == ':') {
      ++*pos;
      if (!ReadNumber(text, pos, 2, 2, &minutes)) return false;
    }
  } else if (digits == 4) {
    hours = (number[0] - '0') * 10 + (number[1] - '0');
    minutes = (number[2] - '0') * 10 + (number[3] - '0');
  } else {
    return false;
  }
  if (hours > 18 || minutes > 59) return false;
  *seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

// The zone suffix; *seconds east of UTC. Empty text is UTC.
bool ReadZone(std::string_view zone, int64_t* seconds) {
  *seconds = 0;
  if (!zone.empty() && zone[0] == ' ') zone.remove_prefix(1);
  if (zone.empty() || zone == "Z" || zone == "UTC" || zone == "GMT" || zone == "UT") return true;
  size_t pos = 0;
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (zone.substr(0, prefix.size()) == prefix) {
      pos = prefix.size();
      break;
    }
  }
  if (!ReadOffset(zone, &pos, seconds)) return false;
  return pos == zone.size();
}

}  // namespace

std::optional<int64_t> ParseSparkTimestamp(std::string_view text, bool allow_zone) {
  text = TrimBlanks(text);
  size_t pos = 0;
  int64_t days;
  if (!ReadDate(text, &pos, &days)) return std::nullopt;
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    ++pos;
    if (!ReadNumber(text, &pos, 1, 2, &hour)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadNumber(text, &pos, 1, 2, &minute)) return std::nullopt;
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!ReadNumber(text, &pos, 1, 2, &second)) return std::nullopt;
        if (pos < text.size() && text[pos] == '.') {
          ++pos;
          int digits = 0;
          while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) micros = micros * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
          }
          if (digits == 0 || digits > 9) return std::nullopt;
          for (int i = digits; i < 6; ++i) micros *= 10;
        }
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  }
  int64_t offset = 0;
  std::string_view zone = text.substr(pos);
  if (!zone.empty() && !allow_zone) return std::nullopt;
  if (!ReadZone(zone, &offset)) return std::nullopt;
  return ((days * 86400 + hour * 3600 + minute * 60 + second) - offset) * 1000000 + micros;
}

std::optional<int32_t> ParseSparkDate(std::string_view text) {
  text = TrimBlanks(text);
  size_t pos = 0;
  int64_t days;
  if (!ReadDate(text, &pos, &days)) return std::nullopt;
  if (pos != text.size() && text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
  return static_cast<int32_t>(days);
}

}  // namespace tributary::csv
