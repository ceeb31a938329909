#include "tributary/base/options.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tributary {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  size_t n = std::min(a.size(), b.size());
  int c = strncasecmp(a.data(), b.data(), n);
  if (c != 0) return c < 0;
  return a.size() < b.size();
}

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// Splits "10 minutes" / "10m" into a number and a lower-case unit.
bool SplitNumberUnit(std::string_view text, double* number, std::string* unit) {
  text = Trim(text);
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  std::string digits(text.substr(0, i));
  char* end = nullptr;
  *number = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) return false;
  *unit = Lower(Trim(text.substr(i)));
  return true;
}

}  // namespace

Result<int64_t> ParseByteSize(std::string_view text, std::string_view option) {
  double number;
  std::string unit;
  if (!SplitNumberUnit(text, &number, &unit)) {
    return Status::Invalid("option '{}': '{}' is not a byte size (e.g. 10g, 512m, 1024)", option, text);
  }
  double scale;
  if (unit.empty() || unit == "b") scale = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib") scale = 1024.0;
  else if (unit == "m" || unit == "mb" || unit == "mib") scale = 1024.0 * 1024;
  else if (unit == "g" || unit == "gb" || unit == "gib") scale = 1024.0 * 1024 * 1024;
  else if (unit == "t" || unit == "tb" || unit == "tib") scale = 1024.0 * 1024 * 1024 * 1024;
  else return Status::Invalid("option '{}': unknown byte unit '{}' in '{}' (use b, k, m, g or t)", option, unit, text);
  // Casting a double beyond int64's range is undefined behaviour.
  if (number * scale >= 9.2e18) return Status::Invalid("option '{}': '{}' is too large", option, text);
  return static_cast<int64_t>(number * scale);
}

Result<int64_t> ParseDurationMs(std::string_view text, std::string_view option) {
  double number;
  std::string unit;
  // Spark's interval strings may start with the keyword: "interval 10 seconds".
  std::string_view body = Trim(text);
  if (body.size() > 8 && Lower(body.substr(0, 8)) == "interval" &&
      std::isspace(static_cast<unsigned char>(body[8]))) {
    body.remove_prefix(8);
  }
  if (!SplitNumberUnit(body, &number, &unit)) {
    return Status::Invalid("option '{}': '{}' is not a duration (e.g. '5 minutes', '30 seconds')", option, text);
  }
  double scale;
  if (unit.empty() || unit == "ms" || unit == "millisecond" || unit == "milliseconds") scale = 1;
  else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") scale = 1000;
  else if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") scale = 60e3;
  else if (unit == "h" || unit == "hour" || unit == "hours") scale = 3600e3;
  else if (unit == "d" || unit == "day" || unit == "days") scale = 86400e3;
  else if (unit == "w" || unit == "week" || unit == "weeks") scale = 7 * 86400e3;
  else return Status::Invalid("option '{}': unknown time unit '{}' in '{}'", option, unit, text);
  if (number * scale >= 9.2e18) return Status::Invalid("option '{}': '{}' is too large", option, text);
  return static_cast<int64_t>(number * scale);
}

Result<bool> ParseBool(std::string_view text, std::string_view option) {
  std::string value = Lower(Trim(text));
  if (value == "true") return true;
  if (value == "false") return false;
  return Status::Invalid("option '{}': '{}' is not a boolean (true or false)", option, text);
}

std::optional<std::string> OptionMap::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string OptionMap::GetString(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second;
}

Result<bool> OptionMap::GetBool(std::string_view name, bool fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  return ParseBool(it->second, it->first);
}

Result<int64_t> OptionMap::GetInt(std::string_view name, int64_t fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  std::string_view text = Trim(it->second);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Status::Invalid("option '{}': '{}' is not an integer", it->first, it->second);
  }
  return value;
}

Result<std::optional<int64_t>> OptionMap::GetByteSize(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::optional<int64_t>();
  TRIB_ASSIGN_OR_RETURN(int64_t bytes, ParseByteSize(it->second, it->first));
  return std::optional<int64_t>(bytes);
}

Result<std::optional<int64_t>> OptionMap::GetDurationMs(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::optional<int64_t>();
  TRIB_ASSIGN_OR_RETURN(int64_t ms, ParseDurationMs(it->second, it->first));
  return std::optional<int64_t>(ms);
}

Result<char> OptionMap::GetChar(std::string_view name, char fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& value = it->second;
  if (value.empty()) return '\0';
  if (value.size() == 1) return value[0];
  if (value == "\\t") return '\t';
  if (value == "\\n") return '\n';
  if (value == "\\\\") return '\\';
  return Status::Invalid("option '{}': '{}' must be a single character", it->first, value);
}

Status OptionMap::CheckKnown(const std::set<std::string, CaseInsensitiveLess>& known,
                             std::string_view context) const {
  for (const auto& [name, value] : values_) {
    if (known.count(name) == 0) {
      std::string list;
      for (const std::string& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
      return Status::Invalid("unknown option '{}' for {}; known options are: {}", name, context, list);
    }
  }
  return Status::OK();
}

}  // namespace tributary
