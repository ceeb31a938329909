#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "tributary/base/result.h"

namespace tributary {

/// Orders strings ignoring ASCII case: Spark's options are case-insensitive.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

/// Parses a Spark byte string: "1024", "10k", "10kb", "64m", "10g", "1t" (binary
/// units, case-insensitive). Errors name `option`.
Result<int64_t> ParseByteSize(std::string_view text, std::string_view option);
/// Parses a duration: "5 minutes", "10 seconds", "1 hour", "500 ms", "2s", "1 day",
/// "1 week", or a bare number of milliseconds. Errors name `option`.
Result<int64_t> ParseDurationMs(std::string_view text, std::string_view option);
/// Parses "true"/"false" (case-insensitive). Errors name `option`.
Result<bool> ParseBool(std::string_view text, std::string_view option);

/// Options as a user wrote them (Spark's `.option(k, v)`): names match ignoring case,
/// values are strings, and typed getters give errors that name the option.
class OptionMap {
 public:
  OptionMap() = default;
  OptionMap(std::initializer_list<std::pair<const std::string, std::string>> values) : values_(values) {}

  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetString(std::string_view name, std::string_view fallback) const;
  Result<bool> GetBool(std::string_view name, bool fallback) const;
  Result<int64_t> GetInt(std::string_view name, int64_t fallback) const;
  /// A byte size option (ParseByteSize); nullopt when absent.
  Result<std::optional<int64_t>> GetByteSize(std::string_view name) const;
  /// A duration option (ParseDurationMs); nullopt when absent.
  Result<std::optional<int64_t>> GetDurationMs(std::string_view name) const;
  /// One character option such as `sep` or `quote`. Empty value gives '\0'.
  Result<char> GetChar(std::string_view name, char fallback) const;

  /// Fails with an error naming the first option whose name is not in `known`
  /// (compared ignoring case), e.g. "unknown option 'cloudFiles.formt' for the
  /// cloudFiles source; known options are: ...". `context` names the reader/writer.
  Status CheckKnown(const std::set<std::string, CaseInsensitiveLess>& known, std::string_view context) const;

  const std::map<std::string, std::string, CaseInsensitiveLess>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::string, std::string, CaseInsensitiveLess> values_;
};

using OptionNames = std::set<std::string, CaseInsensitiveLess>;

}  // namespace tributary
