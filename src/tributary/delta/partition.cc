#include "tributary/delta/partition.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"

namespace tributary::delta {

using columnar::Column;
using columnar::ColumnBuilder;
using columnar::ColumnPtr;
using columnar::TypeId;

namespace {

// Spark's Double.toString shape for plain values: "1.0", "0.5", "1.0E20" is rendered by
// fmt as "1e+20"; both parse back as the same double, which is what readers need.
std::string FormatFloating(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

bool IsHiveSpecial(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  switch (c) {
    case '"': case '#': case '%': case '\'': case '*': case '/': case ':': case '=':
    case '?': case '\\': case '{': case '[': case ']': case '^':
      return true;
    default:
      return false;
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendValue(ColumnBuilder& builder, const Column& column, int64_t row) {
  if (column.IsNull(row)) {
    builder.AppendNull();
    return;
  }
  switch (column.type()->id()) {
    case TypeId::kBoolean: builder.AppendBool(column.BoolValue(row)); break;
    case TypeId::kByte: builder.AppendInt(column.Value<int8_t>(row)); break;
    case TypeId::kShort: builder.AppendInt(column.Value<int16_t>(row)); break;
    case TypeId::kInteger:
    case TypeId::kDate: builder.AppendInt(column.Value<int32_t>(row)); break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: builder.AppendInt(column.Value<int64_t>(row)); break;
    case TypeId::kFloat: builder.AppendDouble(column.Value<float>(row)); break;
    case TypeId::kDouble: builder.AppendDouble(column.Value<double>(row)); break;
    case TypeId::kDecimal: builder.AppendDecimal(column.Value<__int128>(row)); break;
    case TypeId::kString:
    case TypeId::kBinary: builder.AppendString(column.StringValue(row)); break;
    case TypeId::kStruct:
      for (int i = 0; i < builder.num_children(); ++i) {
        AppendValue(builder.child(i), *column.child(i), row);
      }
      builder.AppendStructValid();
      break;
    case TypeId::kArray:
      for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
        AppendValue(builder.child(0), *column.child(0), i);
      }
      builder.AppendListEnd();
      break;
    case TypeId::kMap: {
      ColumnBuilder& entries = builder.child(0);
      const Column& entry_column = *column.child(0);
      for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
        AppendValue(entries.child(0), *entry_column.child(0), i);
        AppendValue(entries.child(1), *entry_column.child(1), i);
        entries.AppendStructValid();
      }
      builder.AppendListEnd();
      break;
    }
  }
}

}  // namespace

Result<std::optional<std::string>> PartitionValueToString(const Column& column, int64_t row) {
  if (column.IsNull(row)) return std::optional<std::string>();
  switch (column.type()->id()) {
    case TypeId::kBoolean: return std::optional<std::string>(column.BoolValue(row) ? "true" : "false");
    case TypeId::kByte: return std::optional<std::string>(std::to_string(column.Value<int8_t>(row)));
    case TypeId::kShort: return std::optional<std::string>(std::to_string(column.Value<int16_t>(row)));
    case TypeId::kInteger: return std::optional<std::string>(std::to_string(column.Value<int32_t>(row)));
    case TypeId::kLong: return std::optional<std::string>(std::to_string(column.Value<int64_t>(row)));
    case TypeId::kFloat: return std::optional<std::string>(FormatFloating(column.Value<float>(row)));
    case TypeId::kDouble: return std::optional<std::string>(FormatFloating(column.Value<double>(row)));
    case TypeId::kDecimal:
      return std::optional<std::string>(
          columnar::FormatDecimal(column.Value<__int128>(row), column.type()->scale()));
    case TypeId::kDate:
      return std::optional<std::string>(columnar::FormatDate(column.Value<int32_t>(row)));
    case TypeId::kTimestamp:
      return std::optional<std::string>(columnar::FormatTimestamp(column.Value<int64_t>(row)));
    case TypeId::kTimestampNtz: {
      // "YYYY-MM-DDTHH:MM:SS[.ffffff]" -> the protocol's space-separated form.
      std::string text = columnar::FormatTimestampNtz(column.Value<int64_t>(row));
      if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
      return std::optional<std::string>(std::move(text));
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      std::string_view value = column.StringValue(row);
      if (value.empty()) return std::optional<std::string>();
      return std::optional<std::string>(std::string(value));
    }
    case TypeId::kStruct:
    case TypeId::kArray:
    case TypeId::kMap:
      break;
  }
  return Status::Invalid("cannot partition by a column of type {}", column.type()->SimpleString());
}

std::string EscapePartitionValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (IsHiveSpecial(u)) {
      fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned>(u));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string EncodePathUri(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '=';
    if (keep) {
      out.push_back(c);
    } else {
      fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned>(u));
    }
  }
  return out;
}

Result<std::string> DecodePathUri(std::string_view uri) {
  std::string out;
  out.reserve(uri.size());
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] != '%') {
      out.push_back(uri[i]);
      continue;
    }
    int high = i + 1 < uri.size() ? HexDigit(uri[i + 1]) : -1;
    int low = i + 2 < uri.size() ? HexDigit(uri[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return Status::Invalid("path '{}' has a malformed %-escape at byte {}", uri, i);
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::string PartitionDirectory(const std::vector<std::string>& columns,
                               const std::vector<std::optional<std::string>>& values) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += '/';
    out += EscapePartitionValue(columns[i]);
    out += '=';
    out += values[i] ? EscapePartitionValue(*values[i]) : std::string(kHiveDefaultPartition);
  }
  return out;
}

Result<std::vector<PartitionGroup>> GroupByPartition(const columnar::RecordBatch& batch,
                                                     const std::vector<int>& partition_indices) {
  std::vector<PartitionGroup> groups;
  if (partition_indices.empty()) {
    PartitionGroup all;
    all.rows.resize(static_cast<size_t>(batch.num_rows()));
    for (int64_t i = 0; i < batch.num_rows(); ++i) all.rows[static_cast<size_t>(i)] = i;
    groups.push_back(std::move(all));
    return groups;
  }
  std::map<std::vector<std::optional<std::string>>, size_t> index;
  std::vector<std::optional<std::string>> key(partition_indices.size());
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    for (size_t p = 0; p < partition_indices.size(); ++p) {
      TRIB_ASSIGN_OR_RETURN(key[p], PartitionValueToString(*batch.column(partition_indices[p]), row));
    }
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) groups.push_back(PartitionGroup{key, {}});
    groups[it->second].rows.push_back(row);
  }
  return groups;
}

ColumnPtr TakeRows(const Column& column, const std::vector<int64_t>& rows) {
  ColumnBuilder builder(column.type());
  for (int64_t row : rows) AppendValue(builder, column, row);
  return builder.Finish();
}

}  // namespace tributary::delta
