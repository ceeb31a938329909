#include "tributary/delta/stats.h"

#include <cctype>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"

namespace tributary::delta {

using columnar::Column;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;

namespace {

enum class MinMaxKind { kNone, kInt, kFloating, kDecimal, kString };

MinMaxKind KindOf(TypeId id) {
  switch (id) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return MinMaxKind::kInt;
    case TypeId::kFloat:
    case TypeId::kDouble:
      return MinMaxKind::kFloating;
    case TypeId::kDecimal:
      return MinMaxKind::kDecimal;
    case TypeId::kString:
      return MinMaxKind::kString;
    default:
      return MinMaxKind::kNone;
  }
}

int64_t IntValue(const Column& column, int64_t row) {
  switch (column.type()->id()) {
    case TypeId::kByte: return column.Value<int8_t>(row);
    case TypeId::kShort: return column.Value<int16_t>(row);
    case TypeId::kInteger:
    case TypeId::kDate: return column.Value<int32_t>(row);
    default: return column.Value<int64_t>(row);
  }
}

// Length in bytes of the first `count` UTF-8 code points of `text` (all of it if shorter).
size_t PrefixBytes(std::string_view text, int count) {
  size_t i = 0;
  for (int n = 0; n < count && i < text.size(); ++n) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

}  // namespace

struct StatsCollector::Node {
  std::string name;
  DataTypePtr type;
  std::vector<std::unique_ptr<Node>> children;  // struct fields
  bool indexed = false;                          // leaf within the indexed count
  bool any_indexed = false;                      // this node or a descendant is indexed
  int64_t null_count = 0;
  MinMaxKind kind = MinMaxKind::kNone;
  bool has_value = false;
  bool poisoned = false;  // NaN or infinity seen
  int64_t min_int = 0, max_int = 0;
  double min_double = 0, max_double = 0;
  __int128 min_decimal = 0, max_decimal = 0;
  std::string min_string, max_string;

  void Update(const Column& column, const std::vector<uint8_t>* parent_valid) {
    if (!any_indexed) return;
    const int64_t length = column.length();
    if (!children.empty()) {
      std::vector<uint8_t> valid(static_cast<size_t>(length));
      for (int64_t row = 0; row < length; ++row) {
        bool parent = parent_valid == nullptr || (*parent_valid)[static_cast<size_t>(row)];
        valid[static_cast<size_t>(row)] = parent && column.IsValid(row);
      }
      for (size_t i = 0; i < children.size(); ++i) {
        children[i]->Update(*column.child(static_cast<int>(i)), &valid);
      }
      return;
    }
    for (int64_t row = 0; row < length; ++row) {
      if ((parent_valid != nullptr && !(*parent_valid)[static_cast<size_t>(row)]) ||
          column.IsNull(row)) {
        ++null_count;
        continue;
      }
      switch (kind) {
        case MinMaxKind::kNone: break;
        case MinMaxKind::kInt: {
          int64_t v = IntValue(column, row);
          if (!has_value || v < min_int) min_int = v;
          if (!has_value || v > max_int) max_int = v;
          break;
        }
        case MinMaxKind::kFloating: {
          double v = column.type()->id() == TypeId::kFloat ? column.Value<float>(row)
                                                            : column.Value<double>(row);
          if (!std::isfinite(v)) {
            poisoned = true;
            break;
          }
          if (!has_value || v < min_double) min_double = v;
          if (!has_value || v > max_double) max_double = v;
          break;
        }
        case MinMaxKind::kDecimal: {
          __int128 v = column.Value<__int128>(row);
          if (!has_value || v < min_decimal) min_decimal = v;
          if (!has_value || v > max_decimal) max_decimal = v;
          break;
        }
        case MinMaxKind::kString: {
          std::string_view v = column.StringValue(row);
          if (!has_value || v < min_string) min_string.assign(v);
          if (!has_value || v > max_string) max_string.assign(v);
          break;
        }
      }
      has_value = true;
    }
  }

  bool HasMinMax() const {
    if (!children.empty()) {
      for (const auto& child : children) {
        if (child->HasMinMax()) return true;
      }
      return false;
    }
    return indexed && kind != MinMaxKind::kNone && has_value && !poisoned;
  }

  void WriteMinMax(JsonWriter& w, bool max, int prefix_length) const {
    if (!children.empty()) {
      w.StartObject();
      for (const auto& child : children) {
        if (!child->HasMinMax()) continue;
        w.Key(child->name);
        child->WriteMinMax(w, max, prefix_length);
      }
      w.EndObject();
      return;
    }
    switch (kind) {
      case MinMaxKind::kInt: {
        int64_t v = max ? max_int : min_int;
        switch (type->id()) {
          case TypeId::kDate: w.String(columnar::FormatDate(static_cast<int32_t>(v))); break;
          case TypeId::kTimestamp: w.String(columnar::FormatTimestampMillis(v, true)); break;
          case TypeId::kTimestampNtz: w.String(columnar::FormatTimestampMillis(v, false)); break;
          default: w.Int(v);
        }
        break;
      }
      case MinMaxKind::kFloating: {
        double v = max ? max_double : min_double;
        // A float's shortest form ("0.1"), not its widened double's digits.
        if (type->id() == TypeId::kFloat) {
          w.Raw(fmt::format("{}", static_cast<float>(v)));
        } else {
          w.Double(v);
        }
        break;
      }
      case MinMaxKind::kDecimal:
        w.Raw(columnar::FormatDecimal(max ? max_decimal : min_decimal, type->scale()));
        break;
      case MinMaxKind::kString: {
        const std::string& v = max ? max_string : min_string;
        size_t prefix = PrefixBytes(v, prefix_length);
        if (prefix == v.size()) {
          w.String(v);
        } else if (!max) {
          w.String(std::string_view(v).substr(0, prefix));
        } else {
          w.String(v.substr(0, prefix) + "\xF4\x8F\xBF\xBF");
        }
        break;
      }
      case MinMaxKind::kNone:
        w.Null();
        break;
    }
  }

  void WriteNullCount(JsonWriter& w) const {
    if (!children.empty()) {
      w.StartObject();
      for (const auto& child : children) {
        if (!child->any_indexed) continue;
        w.Key(child->name);
        child->WriteNullCount(w);
      }
      w.EndObject();
      return;
    }
    w.Int(null_count);
  }
};

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True when `path` (lower-cased, dotted) is a listed column or inside one.
bool Listed(const std::vector<std::string>& columns, const std::string& path) {
  for (const std::string& column : columns) {
    std::string listed = Lower(column);
    if (path == listed || (path.size() > listed.size() && path.starts_with(listed) &&
                           path[listed.size()] == '.')) {
      return true;
    }
  }
  return false;
}

std::unique_ptr<StatsCollector::Node> BuildNode(const Field& field, const StatsOptions& options,
                                                const std::string& parent_path, int* leaf_count) {
  auto node = std::make_unique<StatsCollector::Node>();
  node->name = field.name;
  node->type = field.type;
  std::string path = parent_path.empty() ? Lower(field.name) : parent_path + "." + Lower(field.name);
  if (field.type->id() == TypeId::kStruct) {
    for (const Field& child : field.type->fields()) {
      auto child_node = BuildNode(child, options, path, leaf_count);
      node->any_indexed = node->any_indexed || child_node->any_indexed;
      node->children.push_back(std::move(child_node));
    }
    return node;
  }
  if (!options.stats_columns.empty()) {
    node->indexed = Listed(options.stats_columns, path);
  } else {
    node->indexed = options.num_indexed_cols < 0 || *leaf_count < options.num_indexed_cols;
  }
  node->any_indexed = node->indexed;
  node->kind = KindOf(field.type->id());
  ++*leaf_count;
  return node;
}

}  // namespace

std::vector<std::string> ParseStatsColumns(std::string_view property) {
  std::vector<std::string> columns;
  std::string current;
  bool quoted = false;
  auto flush = [&]() {
    size_t begin = current.find_first_not_of(" \t");
    size_t end = current.find_last_not_of(" \t");
    if (begin != std::string::npos) columns.push_back(current.substr(begin, end - begin + 1));
    current.clear();
  };
  for (size_t i = 0; i < property.size(); ++i) {
    char c = property[i];
    if (c == '`') {
      if (quoted && i + 1 < property.size() && property[i + 1] == '`') {
        current += '`';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return columns;
}

StatsCollector::StatsCollector(const columnar::Schema& schema, StatsOptions options)
    : options_(options) {
  int leaf_count = 0;
  for (const Field& field : schema.fields()) {
    roots_.push_back(BuildNode(field, options_, "", &leaf_count));
  }
}

StatsCollector::~StatsCollector() = default;
StatsCollector::StatsCollector(StatsCollector&&) noexcept = default;
StatsCollector& StatsCollector::operator=(StatsCollector&&) noexcept = default;

void StatsCollector::Update(const columnar::RecordBatch& batch) {
  num_records_ += batch.num_rows();
  for (size_t i = 0; i < roots_.size() && i < static_cast<size_t>(batch.num_columns()); ++i) {
    roots_[i]->Update(*batch.column(static_cast<int>(i)), nullptr);
  }
}

std::string StatsCollector::ToJson() const {
  JsonWriter w;
  w.StartObject();
  w.Key("numRecords").Int(num_records_);
  for (bool max : {false, true}) {
    w.Key(max ? "maxValues" : "minValues").StartObject();
    for (const auto& root : roots_) {
      if (!root->HasMinMax()) continue;
      w.Key(root->name);
      root->WriteMinMax(w, max, options_.string_prefix_length);
    }
    w.EndObject();
  }
  w.Key("nullCount").StartObject();
  for (const auto& root : roots_) {
    if (!root->any_indexed) continue;
    w.Key(root->name);
    root->WriteNullCount(w);
  }
  w.EndObject();
  w.EndObject();
  return w.Finish();
}

}  // namespace tributary::delta
