#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::csv {

// Text-to-value conversions with the JVM semantics Spark's CSV reader inherits, so
// that a token converts (or fails) exactly when it would in Spark.

/// Integer.parseInt / Long.parseLong: optional sign, ASCII digits, within [min, max];
/// no blanks.
std::optional<int64_t> ParseJavaIntegral(std::string_view text, int64_t min, int64_t max);

/// Double.parseDouble: blanks (chars <= ' ') trimmed, optional sign, "NaN",
/// "Infinity", or a decimal literal with optional exponent and f/F/d/D suffix.
std::optional<double> ParseJavaDouble(std::string_view text);

/// "true"/"false" ignoring case (Scala's String.toBoolean).
std::optional<bool> ParseJavaBoolean(std::string_view text);

/// A java.math.BigDecimal literal ([+-]digits[.digits][(e|E)[+-]digits]).
struct DecimalLiteral {
  bool negative = false;
  std::string_view digits_before;  // digits before the point
  std::string_view digits_after;   // digits after the point
  int64_t exponent = 0;
};
std::optional<DecimalLiteral> ParseDecimalLiteral(std::string_view text);

/// The literal's precision and scale as BigDecimal reports them (leading zeros do not
/// count; zero has precision 1), or nullopt when the exponent is out of range.
std::optional<std::pair<int, int>> DecimalPrecisionScale(const DecimalLiteral& literal);

/// The value of `text` as an unscaled integer at `scale`, rounded HALF_UP as Spark's
/// Decimal does; nullopt when it is not a decimal literal or needs more than
/// `precision` digits. Thousands separators (',') are removed first, as Spark does
/// for the en-US locale.
std::optional<__int128> ParseDecimalHalfUp(std::string_view text, int precision, int scale);

}  // namespace tributary::csv
