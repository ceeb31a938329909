#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary {

/// How the typed `.option(key, value)` overloads spell a value, as PySpark does:
/// booleans "true"/"false", integers in decimal.
inline std::string OptionValueText(bool value) { return value ? "true" : "false"; }
inline std::string OptionValueText(std::string_view value) { return std::string(value); }
template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>)
std::string OptionValueText(T value) {
  return std::to_string(value);
}

/// True for the options whose values are paths, which the API resolves against the
/// session's base directory: `checkpointLocation`, `cloudFiles.schemaLocation`,
/// `badRecordsPath`, `path` (case-insensitive).
bool IsPathOption(std::string_view name);

}  // namespace tributary
