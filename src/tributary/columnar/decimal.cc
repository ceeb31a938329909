#include "tributary/columnar/decimal.h"

#include <algorithm>

namespace tributary::columnar {

std::string FormatDecimal(__int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 magnitude = negative ? static_cast<unsigned __int128>(-(unscaled + 1)) + 1
                                         : static_cast<unsigned __int128>(unscaled);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude > 0);
  while (static_cast<int>(digits.size()) <= scale) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  return negative ? "-" + digits : digits;
}

std::optional<__int128> ParseDecimal(std::string_view text, int precision, int scale) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  __int128 value = 0;
  int integer_digits = 0, fraction_digits = 0;
  bool seen_point = false, any_digit = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (seen_point) {
      if (++fraction_digits > scale) {
        if (c != '0') return std::nullopt;
        --fraction_digits;
        continue;
      }
    } else if (value != 0 || c != '0') {
      ++integer_digits;
    }
    value = value * 10 + (c - '0');
  }
  if (!any_digit || integer_digits > precision - scale) return std::nullopt;
  for (int i = fraction_digits; i < scale; ++i) value *= 10;
  return negative ? -value : value;
}

}  // namespace tributary::columnar
