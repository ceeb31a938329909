#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <algorithm>

#include "tributary/base/json.h"
#include "tributary/format/json/json_text_internal.h"

namespace tributary::json {

namespace {

template <typename T>
void AppendInteger(T value, std::string* out) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, end);
}

/// Digits and decimal exponent of a number written in text: value = digits * 10^exponent,
/// digits without leading zeros (empty for zero).
struct DecimalDigits {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;
};

bool ParseDecimalDigits(std::string_view text, DecimalDigits* out) {
  size_t i = 0;
  const size_t n = text.size();
  if (i < n && (text[i] == '-' || text[i] == '+')) out->negative = text[i++] == '-';
  bool any_digit = false;
  bool point = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (point) --out->exponent;
      if (!out->digits.empty() || c != '0') out->digits.push_back(c);
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    if (i == n) return false;
    int64_t exponent = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (exponent < 100000000) exponent = exponent * 10 + (text[i] - '0');
    }
    out->exponent += negative ? -exponent : exponent;
  }
  return i == n;
}

int CountDigits(__int128 value) {
  int count = 1;
  while (value >= 10) {
    value /= 10;
    ++count;
  }
  return count;
}

}  // namespace

void AppendJavaDouble(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out->append(value < 0 ? "-Infinity" : "Infinity");
    return;
  }
  if (value == 0) {
    out->append(std::signbit(value) ? "-0.0" : "0.0");
    return;
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));  // "-1.2345e+05"
  bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  size_t e_at = text.find('e');
  char digit_buffer[32];  // shortest round-trip digits: at most 17
  size_t digit_count = 0;
  for (char c : text.substr(0, e_at)) {
    if (c != '.') digit_buffer[digit_count++] = c;
  }
  std::string_view digits(digit_buffer, digit_count);
  int exponent = 0;
  std::string_view exponent_text = text.substr(e_at + 1);
  if (!exponent_text.empty() && exponent_text.front() == '+') exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (negative) out->push_back('-');
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      size_t integer_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= integer_digits) {
        out->append(digits);
        out->append(integer_digits - digits.size(), '0');
        out->append(".0");
      } else {
        out->append(digits.substr(0, integer_digits));
        out->push_back('.');
        out->append(digits.substr(integer_digits));
      }
    } else {
      out->append("0.");
      out->append(static_cast<size_t>(-exponent - 1), '0');
      out->append(digits);
    }
    return;
  }
  out->push_back(digits[0]);
  out->push_back('.');
  if (digits.size() > 1) {
    out->append(digits.substr(1));
  } else {
    out->push_back('0');
  }
  out->push_back('E');
  AppendInteger(exponent, out);
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsJsonNumber(std::string_view token, bool* integer) {
  size_t i = 0;
  const size_t n = token.size();
  if (i < n && token[i] == '-') ++i;
  if (i == n || !IsDigit(token[i])) return false;
  if (token[i] == '0') {
    ++i;
  } else {
    while (i < n && IsDigit(token[i])) ++i;
  }
  *integer = true;
  if (i < n && token[i] == '.') {
    *integer = false;
    ++i;
    if (i == n || !IsDigit(token[i])) return false;
    while (i < n && IsDigit(token[i])) ++i;
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    *integer = false;
    ++i;
    if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
    if (i == n || !IsDigit(token[i])) return false;
    while (i < n && IsDigit(token[i])) ++i;
  }
  return i == n;
}

double LenientNumberValue(std::string_view token) {
  if (token == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (token == "Infinity" || token == "+Infinity" || token == "INF" || token == "+INF") {
    return std::numeric_limits<double>::infinity();
  }
  if (token == "-Infinity" || token == "-INF") return -std::numeric_limits<double>::infinity();
  double value = 0;
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves the value unset on overflow and underflow; tell them apart
    // by the exponent's sign.
    size_t e = token.find_first_of("eE");
    bool underflow = e != std::string_view::npos && e + 1 < token.size() && token[e + 1] == '-';
    double magnitude = underflow ? 0.0 : std::numeric_limits<double>::infinity();
    return token.starts_with('-') ? -magnitude : magnitude;
  }
  return value;
}

bool IsIntegerToken(std::string_view token) {
  bool integer = false;
  return IsJsonNumber(token, &integer) && integer;
}

void AppendLenientNumberText(std::string_view token, std::string* out) {
  if (IsIntegerToken(token)) {
    out->append(token);
    return;
  }
  AppendJavaDouble(LenientNumberValue(token), out);
}

void AppendCompactJson(simdjson::dom::element element, std::string* out, bool lenient) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::ARRAY: {
      out->push_back('[');
      bool first = true;
      // Copy out of the simdjson_result: a range-for over value_unsafe() of a
      // temporary would iterate a dangling reference.
      simdjson::dom::array array = element.get_array().value_unsafe();
      for (simdjson::dom::element child : array) {
        if (!first) out->push_back(',');
        first = false;
        AppendCompactJson(child, out, lenient);
      }
      out->push_back(']');
      return;
    }
    case element_type::OBJECT: {
      out->push_back('{');
      bool first = true;
      simdjson::dom::object object = element.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair field : object) {
        if (!first) out->push_back(',');
        first = false;
        tributary::AppendJsonString(out, field.key);
        out->push_back(':');
        AppendCompactJson(field.value, out, lenient);
      }
      out->push_back('}');
      return;
    }
    case element_type::STRING: {
      std::string_view text = element.get_string().value_unsafe();
      std::string_view token = lenient ? LenientNumberToken(text) : std::string_view();
      if (token.empty()) {
        tributary::AppendJsonString(out, text);
      } else if (IsIntegerToken(token)) {
        out->append(token);
      } else {
        // Jackson quotes the non-numeric numbers it writes; an overflowing exponent
        // reads as an infinite double.
        out->push_back('"');
        AppendJavaDouble(LenientNumberValue(token), out);
        out->push_back('"');
      }
      return;
    }
    case element_type::INT64:
      AppendInteger(element.get_int64().value_unsafe(), out);
      return;
    case element_type::UINT64:
      AppendInteger(element.get_uint64().value_unsafe(), out);
      return;
    case element_type::DOUBLE:
      AppendJavaDouble(element.get_double().value_unsafe(), out);
      return;
    case element_type::BOOL:
      out->append(element.get_bool().value_unsafe() ? "true" : "false");
      return;
    case element_type::NULL_VALUE:
      out->append("null");
      return;
  }
}

void AppendNumberText(simdjson::dom::element element, std::string* out) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::INT64:
      AppendInteger(element.get_int64().value_unsafe(), out);
      return;
    case element_type::UINT64:
      AppendInteger(element.get_uint64().value_unsafe(), out);
      return;
    default: {
      char buffer[64];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), element.get_double().value_unsafe());
      out->append(buffer, end);
    }
  }
}

std::optional<__int128> DecimalFromText(std::string_view text, int precision, int scale) {
  DecimalDigits parsed;
  if (!ParseDecimalDigits(text, &parsed)) return std::nullopt;
  if (parsed.digits.empty()) return static_cast<__int128>(0);
  int64_t shift = parsed.exponent + scale;
  std::string_view kept = parsed.digits;
  bool round_up = false;
  int64_t zeros = 0;
  if (shift >= 0) {
    zeros = shift;
  } else {
    int64_t keep = static_cast<int64_t>(parsed.digits.size()) + shift;
    if (keep < 0) return static_cast<__int128>(0);
    round_up = parsed.digits[static_cast<size_t>(keep)] >= '5';
    kept = kept.substr(0, static_cast<size_t>(keep));
  }
  if (static_cast<int64_t>(kept.size()) + zeros > precision) return std::nullopt;
  __int128 value = 0;
  for (char c : kept) value = value * 10 + (c - '0');
  for (int64_t i = 0; i < zeros; ++i) value *= 10;
  if (round_up) ++value;
  if (CountDigits(value) > precision && value != 0) return std::nullopt;
  return parsed.negative ? -value : value;
}

std::optional<DecimalShape> DecimalShapeOf(std::string_view text) {
  DecimalDigits parsed;
  if (!ParseDecimalDigits(text, &parsed)) return std::nullopt;
  int64_t digits = std::max<int64_t>(static_cast<int64_t>(parsed.digits.size()), 1);
  int64_t scale = -parsed.exponent;
  if (scale < 0) {
    digits -= scale;  // 1e3 is 1000: four integer digits, scale 0
    scale = 0;
  }
  int64_t precision = std::max(digits, scale);
  if (precision > 38) return std::nullopt;
  return DecimalShape{static_cast<int>(precision), static_cast<int>(scale)};
}

bool DecodeBase64(std::string_view text, std::string* out) {
  uint32_t accumulator = 0;
  int bits = 0;
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  if (text.size() - end > 2) return false;
  for (size_t i = 0; i < end; ++i) {
    char c = text[i];
    int value;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      value = c - '0' + 52;
    } else if (c == '+') {
      value = 62;
    } else if (c == '/') {
      value = 63;
    } else {
      return false;
    }
    accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((accumulator >> bits) & 0xff));
    }
  }
  return bits < 6;  // a lone trailing character cannot encode a byte
}

}  // namespace tributary::json
