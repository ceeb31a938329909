#include "tributary/format/csv/value_parsers.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "tributary/base/ascii.h"

namespace tributary::csv {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t CountDigits(std::string_view text, size_t pos) {
  size_t n = 0;
  while (pos + n < text.size() && IsDigit(text[pos + n])) ++n;
  return n;
}

}  // namespace

std::optional<int64_t> ParseJavaIntegral(std::string_view text, int64_t min, int64_t max) {
  if (text.empty()) return std::nullopt;
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    pos = 1;
  }
  if (pos == text.size()) return std::nullopt;
  // Accumulate negatively so that the minimum of int64 fits.
  int64_t value = 0;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (!IsDigit(c)) return std::nullopt;
    int digit = c - '0';
    if (value < (std::numeric_limits<int64_t>::min() + digit) / 10) return std::nullopt;
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == std::numeric_limits<int64_t>::min()) return std::nullopt;
    value = -value;
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::optional<double> ParseJavaDouble(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  char last = text.empty() ? '\0' : text.back();
  if (last == 'f' || last == 'F' || last == 'd' || last == 'D') text.remove_suffix(1);
  // digits [. digits] [e [+-] digits], at least one mantissa digit.
  size_t pos = CountDigits(text, 0);
  size_t mantissa_digits = pos;
  if (pos < text.size() && text[pos] == '.') {
    size_t fraction = CountDigits(text, pos + 1);
    mantissa_digits += fraction;
    pos += 1 + fraction;
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    size_t exp = pos + 1;
    if (exp < text.size() && (text[exp] == '+' || text[exp] == '-')) ++exp;
    size_t exp_digits = CountDigits(text, exp);
    if (exp_digits == 0) return std::nullopt;
    pos = exp + exp_digits;
  }
  if (pos != text.size()) return std::nullopt;
  double value = 0;
  std::string_view body = text;
  if (body[0] == '.') {
    // from_chars wants a digit first only in some library versions; be explicit.
    std::string padded = "0";
    padded.append(body);
    auto [ptr, ec] = std::from_chars(padded.data(), padded.data() + padded.size(), value);
    if (ptr != padded.data() + padded.size()) return std::nullopt;
    (void)ec;  // out of range gives +-inf or 0, as Java does
  } else {
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (ptr != body.data() + body.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
      value = std::strtod(std::string(body).c_str(), nullptr);  // Java: overflow -> Infinity, underflow -> 0
    }
  }
  return negative ? -value : value;
}

std::optional<bool> ParseJavaBoolean(std::string_view text) {
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<DecimalLiteral> ParseDecimalLiteral(std::string_view text) {
  DecimalLiteral literal;
  size_t pos = 0;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    literal.negative = text[0] == '-';
    pos = 1;
  }
  size_t before = CountDigits(text, pos);
  literal.digits_before = text.substr(pos, before);
  pos += before;
  if (pos < text.size() && text[pos] == '.') {
    size_t after = CountDigits(text, pos + 1);
    literal.digits_after = text.substr(pos + 1, after);
    pos += 1 + after;
  }
  if (literal.digits_before.empty() && literal.digits_after.empty()) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    auto exponent = ParseJavaIntegral(text.substr(pos + 1), -999999999, 999999999);
    if (!exponent) return std::nullopt;
    literal.exponent = *exponent;
    pos = text.size();
  }
  if (pos != text.size()) return std::nullopt;
  return literal;
}

std::optional<std::pair<int, int>> DecimalPrecisionScale(const DecimalLiteral& literal) {
  int64_t scale = static_cast<int64_t>(literal.digits_after.size()) - literal.exponent;
  // Precision counts the digits of the unscaled value, without leading zeros.
  int64_t significant = 0;
  bool leading = true;
  for (std::string_view part : {literal.digits_before, literal.digits_after}) {
    for (char c : part) {
      if (leading && c == '0') continue;
      leading = false;
      ++significant;
    }
  }
  if (significant == 0) significant = 1;
  if (scale > std::numeric_limits<int>::max() || scale < std::numeric_limits<int>::min()) return std::nullopt;
  return std::make_pair(static_cast<int>(significant), static_cast<int>(scale));
}

std::optional<__int128> ParseDecimalHalfUp(std::string_view text, int precision, int scale) {
  std::string without_commas;
  if (text.find(',') != std::string_view::npos) {
    for (char c : text) {
      if (c != ',') without_commas.push_back(c);
    }
    text = without_commas;
  }
  std::optional<DecimalLiteral> literal = ParseDecimalLiteral(text);
  if (!literal) return std::nullopt;
  // All digits as one unscaled number at `literal_scale`.
  int64_t literal_scale = static_cast<int64_t>(literal->digits_after.size()) - literal->exponent;
  std::string digits;
  digits.reserve(literal->digits_before.size() + literal->digits_after.size());
  digits.append(literal->digits_before).append(literal->digits_after);
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return __int128{0};
  int64_t drop = literal_scale - scale;  // digits to remove (> 0) or zeros to add (< 0)
  __int128 value = 0;
  int value_digits = 0;
  int64_t keep = static_cast<int64_t>(digits.size()) - (drop > 0 ? drop : 0);
  for (int64_t i = static_cast<int64_t>(first); i < keep; ++i) {
    if (++value_digits > 38) return std::nullopt;
    value = value * 10 + (digits[static_cast<size_t>(i)] - '0');
  }
  if (drop > 0 && keep >= 0 && keep < static_cast<int64_t>(digits.size()) &&
      digits[static_cast<size_t>(keep)] >= '5') {
    value += 1;  // HALF_UP looks at the first dropped digit
  }
  for (int64_t i = drop; i < 0; ++i) {
    if (value != 0 && ++value_digits > 38) return std::nullopt;
    value *= 10;
  }
  __int128 limit = 1;
  for (int i = 0; i < precision; ++i) limit *= 10;
  if (value >= limit) return std::nullopt;
  return literal->negative ? -value : value;
}

}  // namespace tributary::csv
