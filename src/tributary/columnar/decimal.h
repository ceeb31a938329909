#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tributary::columnar {

/// "-123.45" for unscaled -12345 at scale 2.
std::string FormatDecimal(__int128 unscaled, int scale);
/// Parses a plain decimal number ("12.5", "-3", "1e3" is rejected) into an unscaled
/// value at `scale`; nullopt when it has more fractional digits than `scale` (Spark
/// would round; we refuse to lose digits silently) or more than `precision` digits.
std::optional<__int128> ParseDecimal(std::string_view text, int precision, int scale);

}  // namespace tributary::columnar
