#include "tributary/delta/table_properties.h"

#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

#include "tributary/base/ascii.h"

namespace tributary::delta {
namespace {

constexpr int64_t kMicrosPerMilli = 1000;
constexpr int64_t kMicrosPerSecond = 1000 * kMicrosPerMilli;

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Microseconds in one unit, or nullopt for an unknown unit; 0 for months and years,
// which have no fixed length.
std::optional<int64_t> UnitMicros(std::string_view unit) {
  if (unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);
  static const std::pair<std::string_view, int64_t> kUnits[] = {
      {"microsecond", 1},
      {"millisecond", kMicrosPerMilli},
      {"second", kMicrosPerSecond},
      {"minute", 60 * kMicrosPerSecond},
      {"hour", 3600 * kMicrosPerSecond},
      {"day", 86400 * kMicrosPerSecond},
      {"week", 7 * 86400 * kMicrosPerSecond},
      {"month", 0},
      {"year", 0}};
  for (const auto& [name, micros] : kUnits) {
    if (unit == name) return micros;
  }
  return std::nullopt;
}

// "<sign><digits>[.<digits>]" times `unit_micros`; nullopt when malformed or too large.
std::optional<int64_t> ScaledValue(std::string_view number, int64_t unit_micros, bool allow_fraction) {
  bool negative = false;
  if (!number.empty() && (number.front() == '-' || number.front() == '+')) {
    negative = number.front() == '-';
    number.remove_prefix(1);
  }
  std::string_view whole = number;
  std::string_view fraction;
  if (size_t dot = number.find('.'); dot != std::string_view::npos) {
    if (!allow_fraction) return std::nullopt;
    whole = number.substr(0, dot);
    fraction = number.substr(dot + 1);
    if (fraction.empty() || fraction.size() > 9) return std::nullopt;
  }
  int64_t units = 0;
  auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), units);
  if (whole.empty() || error != std::errc() || end != whole.data() + whole.size()) return std::nullopt;
  int64_t micros = 0;
  if (__builtin_mul_overflow(units, unit_micros, &micros)) return std::nullopt;
  if (!fraction.empty()) {
    int64_t digits = 0;
    auto [fraction_end, fraction_error] =
        std::from_chars(fraction.data(), fraction.data() + fraction.size(), digits);
    if (fraction_error != std::errc() || fraction_end != fraction.data() + fraction.size()) {
      return std::nullopt;
    }
    // Seconds only: scale the fraction's digits to microseconds.
    int64_t scale = 1;
    for (size_t i = fraction.size(); i < 9; ++i) scale *= 10;
    micros += digits * scale / 1000;
  }
  return negative ? -micros : micros;
}

}  // namespace

Result<int64_t> ParseDeltaInterval(std::string_view text) {
  std::string lower = AsciiLower(text);
  std::vector<std::string_view> words = Words(lower);
  size_t first = !words.empty() && words.front() == "interval" ? 1 : 0;
  auto invalid = [&](std::string_view why) {
    return Status::Invalid("'{}' is not a valid interval ({}); write e.g. 'interval 30 days'",
                           text, why);
  };
  if (words.size() <= first || (words.size() - first) % 2 != 0) {
    return invalid("expected '<number> <unit>' pairs");
  }
  int64_t total = 0;
  for (size_t i = first; i < words.size(); i += 2) {
    std::optional<int64_t> unit_micros = UnitMicros(words[i + 1]);
    if (!unit_micros) return invalid(fmt::format("unknown unit '{}'", words[i + 1]));
    if (*unit_micros == 0) {
      return invalid("months and years are not accepted; use days, e.g. '365 days'");
    }
    bool is_second = words[i + 1].starts_with("second");
    std::optional<int64_t> micros = ScaledValue(words[i], *unit_micros, is_second);
    if (!micros) return invalid(fmt::format("bad number '{}'", words[i]));
    if (__builtin_add_overflow(total, *micros, &total)) return invalid("too large");
  }
  if (total < 0) return invalid("negative");
  return total / kMicrosPerMilli;
}

Result<int64_t> IntervalProperty(const std::map<std::string, std::string>& configuration,
                                 std::string_view key, std::string_view default_value) {
  auto it = configuration.find(std::string(key));
  if (it == configuration.end()) return ParseDeltaInterval(default_value);
  auto parsed = ParseDeltaInterval(it->second);
  if (!parsed.ok()) {
    return Status::Invalid("table property {}: {}", key, parsed.status().message());
  }
  return parsed;
}

Result<bool> BoolProperty(const std::map<std::string, std::string>& configuration,
                          std::string_view key, bool default_value) {
  auto it = configuration.find(std::string(key));
  if (it == configuration.end()) return default_value;
  if (EqualsIgnoreCase(it->second, "true")) return true;
  if (EqualsIgnoreCase(it->second, "false")) return false;
  return Status::Invalid("table property {} must be true or false, got '{}'", key, it->second);
}

}  // namespace tributary::delta
