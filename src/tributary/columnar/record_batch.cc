#include "tributary/columnar/record_batch.h"

#include <cmath>

#include <fmt/format.h>

#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"

namespace tributary::columnar {

Result<std::shared_ptr<RecordBatch>> RecordBatch::Make(SchemaPtr schema, int64_t num_rows,
                                                       std::vector<ColumnPtr> columns) {
  if (static_cast<int>(columns.size()) != schema->num_fields()) {
    return Status::Invalid("batch has {} columns but its schema has {}", columns.size(), schema->num_fields());
  }
  for (int i = 0; i < schema->num_fields(); ++i) {
    const ColumnPtr& column = columns[static_cast<size_t>(i)];
    if (column->length() != num_rows) {
      return Status::Invalid("column '{}' has {} rows, expected {}", schema->field(i).name, column->length(),
                             num_rows);
    }
    if (!column->type()->EqualsIgnoringNullability(*schema->field(i).type)) {
      return Status::Invalid("column '{}' is {} but the schema says {}", schema->field(i).name,
                             column->type()->SimpleString(), schema->field(i).type->SimpleString());
    }
  }
  return std::make_shared<RecordBatch>(std::move(schema), num_rows, std::move(columns));
}

namespace {

int64_t ColumnBytes(const Column& column) {
  int64_t total = 0;
  if (column.validity()) total += static_cast<int64_t>(column.validity()->size());
  if (column.values()) total += static_cast<int64_t>(column.values()->size());
  if (column.data()) total += static_cast<int64_t>(column.data()->size());
  for (const ColumnPtr& child : column.children()) total += ColumnBytes(*child);
  return total;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string RenderValue(const Column& column, int64_t row, bool nested) {
  if (column.IsNull(row)) return "null";
  switch (column.type()->id()) {
    case TypeId::kBoolean: return column.BoolValue(row) ? "true" : "false";
    case TypeId::kByte: return std::to_string(column.Value<int8_t>(row));
    case TypeId::kShort: return std::to_string(column.Value<int16_t>(row));
    case TypeId::kInteger: return std::to_string(column.Value<int32_t>(row));
    case TypeId::kLong: return std::to_string(column.Value<int64_t>(row));
    case TypeId::kFloat: return fmt::format("{}", column.Value<float>(row));
    case TypeId::kDouble: return fmt::format("{}", column.Value<double>(row));
    case TypeId::kDecimal: return FormatDecimal(column.Value<__int128>(row), column.type()->scale());
    case TypeId::kString: {
      std::string_view text = column.StringValue(row);
      return nested ? Quote(text) : std::string(text);
    }
    case TypeId::kBinary: {
      std::string out;
      for (unsigned char c : column.StringValue(row)) out += fmt::format("{:02X}", c);
      return out;
    }
    case TypeId::kDate: return FormatDate(column.Value<int32_t>(row));
    case TypeId::kTimestamp: return FormatTimestamp(column.Value<int64_t>(row));
    case TypeId::kTimestampNtz: return FormatTimestampNtz(column.Value<int64_t>(row));
    case TypeId::kStruct: {
      std::string out = "{";
      const auto& fields = column.type()->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ",";
        out += Quote(fields[i].name) + ":" + RenderValue(*column.child(static_cast<int>(i)), row, true);
      }
      return out + "}";
    }
    case TypeId::kArray: {
      std::string out = "[";
      for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
        if (i > column.ListStart(row)) out += ",";
        out += RenderValue(*column.child(0), i, true);
      }
      return out + "]";
    }
    case TypeId::kMap: {
      std::string out = "{";
      const Column& entries = *column.child(0);
      for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
        if (i > column.ListStart(row)) out += ",";
        out += RenderValue(*entries.child(0), i, true) + "->" + RenderValue(*entries.child(1), i, true);
      }
      return out + "}";
    }
  }
  return "?";
}

}  // namespace

std::string ValueToString(const Column& column, int64_t row) { return RenderValue(column, row, false); }

int64_t RecordBatch::ByteSize() const {
  int64_t total = 0;
  for (const ColumnPtr& column : columns_) total += ColumnBytes(*column);
  return total;
}

std::string RecordBatch::ToString(int64_t max_rows) const {
  std::string out;
  for (int i = 0; i < schema_->num_fields(); ++i) {
    if (i > 0) out += " | ";
    out += schema_->field(i).name;
  }
  out += "\n";
  for (int64_t row = 0; row < num_rows_ && row < max_rows; ++row) {
    for (int i = 0; i < num_columns(); ++i) {
      if (i > 0) out += " | ";
      out += ValueToString(*column(i), row);
    }
    out += "\n";
  }
  return out;
}

}  // namespace tributary::columnar
