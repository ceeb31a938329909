#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace tributary::json {

/// Numbers strict JSON parsers reject but Spark's Jackson reads (integers beyond 64
/// bits, exponents that overflow a double, NaN/Infinity tokens) travel through
/// simdjson as strings holding this prefix and the token (see lenient_syntax_internal.h);
/// only records that were rewritten are read this way.
inline constexpr std::string_view kLenientNumberPrefix("\0N", 2);

/// The number token of a rewritten lenient number, or empty when `text` is not one.
inline std::string_view LenientNumberToken(std::string_view text) {
  if (text.size() > kLenientNumberPrefix.size() && text.starts_with(kLenientNumberPrefix)) {
    return text.substr(kLenientNumberPrefix.size());
  }
  return {};
}

/// Checks RFC 8259's number grammar, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?;
/// `*integer` tells whether it has neither fraction nor exponent.
bool IsJsonNumber(std::string_view token, bool* integer);

/// The double a lenient number token stands for (NaN, ±infinity, or the nearest
/// double, infinite on overflow).
double LenientNumberValue(std::string_view token);

/// True for a lenient token that is an integer (a big integer).
bool IsIntegerToken(std::string_view token);

/// Appends `element` as compact JSON, the way Spark's Jackson generator re-writes a
/// value it copies into a string column or the rescued data column: no whitespace,
/// strings escaped, doubles in Java's Double.toString form ("100.0", "1.0E20").
/// With `lenient`, lenient number strings are written back as numbers (NaN and
/// infinities as quoted strings, as Jackson quotes non-numeric numbers).
void AppendCompactJson(simdjson::dom::element element, std::string* out, bool lenient = false);

/// Appends a lenient number token as a string column holds it: a big integer's
/// digits, "NaN", "Infinity" or "-Infinity".
void AppendLenientNumberText(std::string_view token, std::string* out);

/// Appends `value` as Java's Double.toString prints it (shortest round-trip digits).
void AppendJavaDouble(double value, std::string* out);

/// Appends a number element's digits in plain decimal or exponent form, suitable for
/// DecimalFromText. REQUIRES: element is int64, uint64 or double.
void AppendNumberText(simdjson::dom::element element, std::string* out);

/// Parses a decimal number ("-12.5", "1e3", "0.05") into an unscaled value at
/// `scale`, rounding half up as Spark's Decimal.set does; nullopt when the text is
/// not a number or the value needs more than `precision` digits.
std::optional<__int128> DecimalFromText(std::string_view text, int precision, int scale);

/// The smallest decimal(precision, scale) holding the number `text` exactly, as
/// Spark's inference derives it from a BigDecimal; nullopt when it needs more than
/// 38 digits.
struct DecimalShape {
  int precision = 0;
  int scale = 0;
};
std::optional<DecimalShape> DecimalShapeOf(std::string_view text);

/// Decodes standard base64 (with or without padding) into `out`, as Jackson's
/// getBinaryValue does for binary columns; false on a character outside the
/// alphabet.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace tributary::json
