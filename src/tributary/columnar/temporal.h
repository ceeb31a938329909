#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tributary::columnar {

/// Days since 1970-01-01 for a proleptic Gregorian date.
int32_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
/// The year, month and day of a day count.
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

/// "2024-01-31".
std::string FormatDate(int32_t days);
/// "2024-01-31T10:20:30.123456Z" (ISO-8601 UTC, fraction trimmed to what is needed).
std::string FormatTimestamp(int64_t micros);
/// "2024-01-31T10:20:30.123456" (no zone).
std::string FormatTimestampNtz(int64_t micros);
/// Timestamp truncated to milliseconds, as Delta statistics want them:
/// "2024-01-31T10:20:30.123Z", or without the "Z" when `utc` is false.
std::string FormatTimestampMillis(int64_t micros, bool utc);

/// Parses "yyyy-MM-dd" (Spark's default dateFormat). Nullopt when it does not fit.
std::optional<int32_t> ParseDate(std::string_view text);
/// Parses Spark's default timestamp forms: "yyyy-MM-dd[( |T)HH:mm[:ss[.SSSSSS]]][zone]"
/// with zone "Z", "+hh:mm", "+hhmm" or "UTC". Without a zone the time is taken as UTC.
std::optional<int64_t> ParseTimestamp(std::string_view text);
/// As ParseTimestamp, but rejects any zone (timestamp_ntz).
std::optional<int64_t> ParseTimestampNtz(std::string_view text);

}  // namespace tributary::columnar
