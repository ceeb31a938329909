#include "tributary/delta/data_skipping.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"

namespace tributary::delta {

using columnar::Column;
using columnar::DataType;
using columnar::TypeId;

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ValueText(const SkipValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  std::string out = "'";
  for (char c : std::get<std::string>(value)) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

double AsDouble(const SkipValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&value)) return *d;
  return 0;
}

bool IsIntegerLike(TypeId id) {
  switch (id) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong:
      return true;
    default:
      return false;
  }
}

// Splits "a.b.c" on dots outside back-quotes, removing the quotes.
std::vector<std::string> SplitPath(const std::string& column) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : column) {
    if (c == '`') {
      quoted = !quoted;
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

const columnar::Field* FindField(const std::vector<columnar::Field>& fields, const std::string& name) {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  std::string lower = Lower(name);
  for (const auto& field : fields) {
    if (Lower(field.name) == lower) return &field;
  }
  return nullptr;
}

const JsonValue* FindPath(const JsonValue* object, const std::vector<std::string>& path) {
  for (const std::string& name : path) {
    if (object == nullptr || !object->is_object()) return nullptr;
    object = object->Find(name);
  }
  return object;
}

// A statistic (min or max) of a column of `type` as a SkipValue.
std::optional<SkipValue> StatValue(const DataType& type, const JsonValue& json, bool is_max) {
  switch (type.id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong:
      if (json.is_int()) return SkipValue(json.int_value());
      if (json.is_double()) {
        double v = is_max ? std::ceil(json.double_value()) : std::floor(json.double_value());
        return SkipValue(static_cast<int64_t>(v));
      }
      return std::nullopt;
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal: {
      double v = 0;
      if (json.is_number()) {
        v = json.number_value();
      } else if (json.is_string()) {
        const std::string& text = json.string_value();
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
      } else {
        return std::nullopt;
      }
      if (!std::isfinite(v)) return std::nullopt;
      // Float stats are widened to cover float/double and decimal/double rounding.
      double slack = std::abs(v) * 1e-6 + (type.id() == TypeId::kDecimal ? 0 : 1e-30);
      return SkipValue(is_max ? v + slack : v - slack);
    }
    case TypeId::kString:
      if (!json.is_string()) return std::nullopt;
      return SkipValue(json.string_value());
    case TypeId::kDate: {
      if (!json.is_string()) return std::nullopt;
      auto days = columnar::ParseDate(json.string_value());
      if (!days) return std::nullopt;
      return SkipValue(static_cast<int64_t>(*days));
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      if (!json.is_string()) return std::nullopt;
      // Parse leniently (delta-rs has written a 'Z' on timestamp_ntz stats).
      auto micros = columnar::ParseTimestamp(json.string_value());
      if (!micros) return std::nullopt;
      // Stats are truncated to milliseconds; some writers truncated zone offsets to
      // minutes. Widen by a minute either way.
      constexpr int64_t kSlack = 60'000'000;
      return SkipValue(is_max ? *micros + kSlack : *micros - kSlack);
    }
    default:
      return std::nullopt;
  }
}

// Whether some value in [min, max] (either may be absent = unbounded) satisfies `c`.
// For strings, `max` may be a truncated prefix: values beyond it that start with it
// are possible.
bool RangeMayMatch(const ColumnConstraint& c, const std::optional<SkipValue>& min,
                   const std::optional<SkipValue>& max, bool string_max) {
  auto above_max = [&](const SkipValue& v, bool inclusive_ok) {
    if (!max) return false;
    int cmp = CompareSkipValues(v, *max);
    if (string_max) {
      const std::string& s = std::get<std::string>(v);
      if (s.starts_with(std::get<std::string>(*max))) return false;
    }
    return inclusive_ok ? cmp > 0 : cmp >= 0;
  };
  auto below_min = [&](const SkipValue& v, bool inclusive_ok) {
    if (!min) return false;
    int cmp = CompareSkipValues(v, *min);
    return inclusive_ok ? cmp < 0 : cmp <= 0;
  };
  // Rows satisfy value >= lower: none when every value <= max < lower.
  if (c.lower && above_max(*c.lower, c.lower_inclusive)) return false;
  if (c.upper && below_min(*c.upper, c.upper_inclusive)) return false;
  if (c.in_values) {
    for (const SkipValue& v : *c.in_values) {
      if (!above_max(v, true) && !below_min(v, true)) return true;
    }
    return false;
  }
  return true;
}

bool ValueMatches(const ColumnConstraint& c, const SkipValue& value) {
  if (c.lower) {
    int cmp = CompareSkipValues(value, *c.lower);
    if (cmp < 0 || (cmp == 0 && !c.lower_inclusive)) return false;
  }
  if (c.upper) {
    int cmp = CompareSkipValues(value, *c.upper);
    if (cmp > 0 || (cmp == 0 && !c.upper_inclusive)) return false;
  }
  if (c.in_values) {
    return std::any_of(c.in_values->begin(), c.in_values->end(),
                       [&](const SkipValue& v) { return CompareSkipValues(value, v) == 0; });
  }
  return true;
}

}  // namespace

int CompareSkipValues(const SkipValue& a, const SkipValue& b) {
  if (a.index() == b.index()) {
    if (const auto* x = std::get_if<int64_t>(&a)) {
      int64_t y = std::get<int64_t>(b);
      return *x < y ? -1 : (*x > y ? 1 : 0);
    }
    if (const auto* x = std::get_if<double>(&a)) {
      double y = std::get<double>(b);
      return *x < y ? -1 : (*x > y ? 1 : 0);
    }
    if (const auto* x = std::get_if<std::string>(&a)) {
      int cmp = x->compare(std::get<std::string>(b));
      return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
    }
    return static_cast<int>(std::get<bool>(a)) - static_cast<int>(std::get<bool>(b));
  }
  double x = AsDouble(a);
  double y = AsDouble(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

ColumnConstraint ColumnConstraint::Equal(std::string column, SkipValue value) {
  ColumnConstraint c;
  c.column = std::move(column);
  c.lower = value;
  c.upper = std::move(value);
  return c;
}

ColumnConstraint ColumnConstraint::Between(std::string column, SkipValue lower, SkipValue upper) {
  ColumnConstraint c;
  c.column = std::move(column);
  c.lower = std::move(lower);
  c.upper = std::move(upper);
  return c;
}

ColumnConstraint ColumnConstraint::In(std::string column, std::vector<SkipValue> values) {
  ColumnConstraint c;
  c.column = std::move(column);
  c.in_values = std::move(values);
  return c;
}

ColumnConstraint ColumnConstraint::Less(std::string column, SkipValue value, bool inclusive) {
  ColumnConstraint c;
  c.column = std::move(column);
  c.upper = std::move(value);
  c.upper_inclusive = inclusive;
  return c;
}

ColumnConstraint ColumnConstraint::Greater(std::string column, SkipValue value, bool inclusive) {
  ColumnConstraint c;
  c.column = std::move(column);
  c.lower = std::move(value);
  c.lower_inclusive = inclusive;
  return c;
}

std::string ColumnConstraint::ToString() const {
  std::vector<std::string> parts;
  if (lower && upper && lower_inclusive && upper_inclusive && CompareSkipValues(*lower, *upper) == 0) {
    parts.push_back(fmt::format("{} = {}", column, ValueText(*lower)));
  } else {
    if (lower) parts.push_back(fmt::format("{} {} {}", column, lower_inclusive ? ">=" : ">", ValueText(*lower)));
    if (upper) parts.push_back(fmt::format("{} {} {}", column, upper_inclusive ? "<=" : "<", ValueText(*upper)));
  }
  if (in_values) {
    std::string list;
    for (const SkipValue& v : *in_values) {
      if (!list.empty()) list += ", ";
      list += ValueText(v);
    }
    parts.push_back(fmt::format("{} IN ({})", column, list));
  }
  if (parts.empty()) return fmt::format("{} IS NOT NULL", column);
  return fmt::format("{}", fmt::join(parts, " AND "));
}

std::string FilePredicate::ToString() const {
  if (matches_nothing) return "false";
  if (conjuncts.empty()) return "true";
  std::vector<std::string> parts;
  for (const auto& c : conjuncts) parts.push_back(c.ToString());
  return fmt::format("{}", fmt::join(parts, " AND "));
}

FileSkipper::FileSkipper(const columnar::Schema& schema, std::vector<std::string> partition_columns,
                         FilePredicate predicate, ColumnMappingMode mode)
    : schema_(schema), partition_columns_(std::move(partition_columns)), predicate_(std::move(predicate)) {
  for (const ColumnConstraint& c : predicate_.conjuncts) {
    Resolved r{&c, nullptr, {}, std::nullopt};
    std::vector<std::string> parts = SplitPath(c.column);
    const std::vector<columnar::Field>* fields = &schema_.fields();
    const columnar::Field* field = nullptr;
    for (size_t i = 0; i < parts.size(); ++i) {
      field = FindField(*fields, parts[i]);
      if (field == nullptr) break;
      r.path.push_back(PhysicalName(*field, mode));
      if (i + 1 < parts.size()) {
        if (field->type->id() != TypeId::kStruct) {
          field = nullptr;
          break;
        }
        fields = &field->type->fields();
      }
    }
    if (field != nullptr) {
      r.type = field->type;
      if (r.path.size() == 1) {
        for (const std::string& p : partition_columns_) {
          if (p == field->name || Lower(p) == Lower(field->name)) {
            r.partition_column = mode == ColumnMappingMode::kNone ? p : r.path[0];
          }
        }
      }
    }
    resolved_.push_back(std::move(r));
  }
}

bool FileSkipper::MayMatch(const AddFile& file) const {
  if (predicate_.matches_nothing) return false;
  if (resolved_.empty()) return true;
  std::optional<JsonValue> stats;
  bool stats_parsed = false;
  for (const Resolved& r : resolved_) {
    if (r.type == nullptr) continue;
    const ColumnConstraint& c = *r.constraint;
    if (r.partition_column) {
      auto it = file.partition_values.find(*r.partition_column);
      if (it == file.partition_values.end()) continue;  // unknown: may match
      if (!it->second || it->second->empty()) return false;  // null never satisfies a bound
      std::optional<SkipValue> value = SkipValueFromPartition(*r.type, *it->second);
      if (!value) continue;
      if (!ValueMatches(c, *value)) return false;
      continue;
    }
    if (!stats_parsed) {
      stats_parsed = true;
      if (!file.stats.empty()) {
        auto parsed = ParseJson(file.stats);
        if (parsed.ok()) stats = std::move(parsed).value();
      }
    }
    if (!stats || !stats->is_object()) return true;
    // Bounds that are not tight (tightBounds false, after deletion vectors) are still
    // valid outer bounds, so they skip soundly.
    const JsonValue* num_records = stats->Find("numRecords");
    const JsonValue* null_count = FindPath(stats->Find("nullCount"), r.path);
    if (num_records && num_records->is_int() && null_count && null_count->is_int() &&
        null_count->int_value() >= num_records->int_value()) {
      return false;  // every row is null here
    }
    const JsonValue* min_json = FindPath(stats->Find("minValues"), r.path);
    const JsonValue* max_json = FindPath(stats->Find("maxValues"), r.path);
    std::optional<SkipValue> min, max;
    if (min_json) min = StatValue(*r.type, *min_json, false);
    if (max_json) max = StatValue(*r.type, *max_json, true);
    if (!min && !max) continue;
    if (!RangeMayMatch(c, min, max, r.type->id() == TypeId::kString)) return false;
  }
  return true;
}

std::optional<SkipValue> SkipValueAt(const Column& column, int64_t row) {
  if (column.IsNull(row)) return std::nullopt;
  switch (column.type()->id()) {
    case TypeId::kBoolean: return SkipValue(column.BoolValue(row));
    case TypeId::kByte: return SkipValue(static_cast<int64_t>(column.Value<int8_t>(row)));
    case TypeId::kShort: return SkipValue(static_cast<int64_t>(column.Value<int16_t>(row)));
    case TypeId::kInteger:
    case TypeId::kDate: return SkipValue(static_cast<int64_t>(column.Value<int32_t>(row)));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return SkipValue(column.Value<int64_t>(row));
    case TypeId::kFloat: return SkipValue(static_cast<double>(column.Value<float>(row)));
    case TypeId::kDouble: return SkipValue(column.Value<double>(row));
    case TypeId::kDecimal: {
      __int128 unscaled = column.Value<__int128>(row);
      return SkipValue(static_cast<double>(unscaled) / std::pow(10.0, column.type()->scale()));
    }
    case TypeId::kString: return SkipValue(std::string(column.StringValue(row)));
    default: return std::nullopt;
  }
}

std::optional<SkipValue> SkipValueFromPartition(const DataType& type, const std::string& value) {
  if (IsIntegerLike(type.id())) {
    int64_t v = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return SkipValue(v);
  }
  switch (type.id()) {
    case TypeId::kBoolean: {
      std::string lower = Lower(value);
      if (lower == "true") return SkipValue(true);
      if (lower == "false") return SkipValue(false);
      return std::nullopt;
    }
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal: {
      double v = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
      return SkipValue(v);
    }
    case TypeId::kString: return SkipValue(value);
    case TypeId::kDate: {
      auto days = columnar::ParseDate(value);
      if (!days) return std::nullopt;
      return SkipValue(static_cast<int64_t>(*days));
    }
    case TypeId::kTimestamp: {
      auto micros = columnar::ParseTimestamp(value);
      if (!micros) return std::nullopt;
      return SkipValue(*micros);
    }
    case TypeId::kTimestampNtz: {
      auto micros = columnar::ParseTimestampNtz(value);
      if (!micros) return std::nullopt;
      return SkipValue(*micros);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace tributary::delta
