#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace tributary::json {

/// Appends `element` as compact JSON, the way Spark's Jackson generator re-writes a
/// value it copies into a string column or the rescued data column: no whitespace,
/// strings escaped, doubles in Java's Double.toString form ("100.0", "1.0E20").
void AppendCompactJson(simdjson::dom::element element, std::string* out);

/// Appends `text` as a quoted, escaped JSON string.
void AppendJsonString(std::string_view text, std::string* out);

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
