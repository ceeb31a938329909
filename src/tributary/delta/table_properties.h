#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "tributary/base/result.h"

namespace tributary::delta {

/// Table properties that take an interval, with Delta's defaults (DeltaConfigs).
inline constexpr std::string_view kLogRetentionDuration = "delta.logRetentionDuration";
inline constexpr std::string_view kDefaultLogRetentionDuration = "interval 30 days";
inline constexpr std::string_view kDeletedFileRetentionDuration =
    "delta.deletedFileRetentionDuration";
inline constexpr std::string_view kDefaultDeletedFileRetentionDuration = "interval 1 week";
/// Whether log cleanup runs after a checkpoint; default true.
inline constexpr std::string_view kEnableExpiredLogCleanup = "delta.enableExpiredLogCleanup";

/// Milliseconds in an interval as Delta reads interval table properties: an optional
/// leading "interval", then one or more "<number> <unit>" pairs, case-insensitive
/// ("interval 30 days", "1 week", "interval 1 day 12 hours", "7 DAYS"). Units:
/// week, day, hour, minute, second, millisecond, microsecond (singular or plural);
/// a number may be signed, and only seconds may have a fraction. Microseconds are
/// truncated to milliseconds, as Delta does.
/// Errors: Invalid naming `text` when it does not parse, uses months or years (Delta
/// refuses them: not a fixed length), or the total is negative.
Result<int64_t> ParseDeltaInterval(std::string_view text);

/// The interval property `key` of `configuration` in milliseconds, or
/// `default_value` parsed when the key is absent.
/// Errors: Invalid naming the property and its value when it does not parse.
Result<int64_t> IntervalProperty(const std::map<std::string, std::string>& configuration,
                                 std::string_view key, std::string_view default_value);

/// The boolean property `key` of `configuration` ("true"/"false", any case), or
/// `default_value` when absent. Errors: Invalid naming the property and its value.
Result<bool> BoolProperty(const std::map<std::string, std::string>& configuration,
                          std::string_view key, bool default_value);

}  // namespace tributary::delta
