#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tributary::csv {

/// Spark's lenient timestamp parsing (DateTimeUtils.stringToTimestamp), which its CSV
/// reader falls back to when no timestampFormat is set and which decides timestamp
/// inference: "2024", "2024-01", "2024-1-5", "2024-01-05 10:00", "2024-01-05T10:00:00.123456",
/// with an optional zone ("Z", "+01:00", "+0100", "+1", "UTC", "GMT", "UTC+01:00").
/// Blanks around the text are ignored. Times without a zone are UTC (the session time
/// zone Tributary supports). Returns microseconds since the epoch.
/// With `allow_zone` false (timestamp_ntz) a zone makes the text invalid.
std::optional<int64_t> ParseSparkTimestamp(std::string_view text, bool allow_zone = true);

/// Spark's lenient date parsing (DateTimeUtils.stringToDate): "2024", "2024-01",
/// "2024-1-5", and a date followed by ' ' or 'T' and anything. Days since the epoch.
std::optional<int32_t> ParseSparkDate(std::string_view text);

}  // namespace tributary::csv
