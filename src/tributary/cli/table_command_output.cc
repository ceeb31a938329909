#include "tributary/cli/table_command_output.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/columnar/temporal.h"

namespace tributary::cli {
namespace {

using Cell = std::optional<std::string>;

std::string QuoteName(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

/// Characters (UTF-8 code points), for column widths.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

/// Spark's show(): columns at least 3 wide, values right-aligned, NULL for null.
std::string BoxTable(const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows) {
  std::vector<size_t> widths;
  for (const std::string& header : headers) widths.push_back(std::max<size_t>(3, DisplayWidth(header)));
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i].value_or("NULL")));
  }
  std::string rule = "+";
  for (size_t width : widths) rule += std::string(width, '-') + "+";
  rule += "\n";
  auto line = [&](const std::vector<Cell>& cells) {
    std::string out = "|";
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string text = cells[i].value_or("NULL");
      out += std::string(widths[i] - DisplayWidth(text), ' ') + text + "|";
    }
    return out + "\n";
  };
  std::vector<Cell> header_cells(headers.begin(), headers.end());
  std::string out = rule + line(header_cells) + rule;
  for (const auto& row : rows) out += line(row);
  return out + rule;
}

std::string CsvField(const Cell& cell) {
  if (!cell) return "";
  const std::string& text = *cell;
  bool quote = text.empty() || text.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return text;
  std::string out = "\"";
  for (char c : text) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

/// Spark's show() of a binary value: "[01 AB]".
std::string BinaryText(std::string_view bytes) {
  std::string out = "[";
  for (size_t i = 0; i < bytes.size(); ++i) {
    out += fmt::format("{}{:02X}", i > 0 ? " " : "", static_cast<unsigned char>(bytes[i]));
  }
  return out + "]";
}

/// The first `limit` rows (all when limit < 0) of a DataFrame of string columns, and
/// whether there were more.
Result<std::vector<std::vector<Cell>>> StringRows(const DataFrame& frame, int64_t limit, bool* more) {
  TRIB_ASSIGN_OR_RETURN(std::vector<columnar::RecordBatchPtr> batches, frame.batches());
  std::vector<std::vector<Cell>> rows;
  *more = false;
  for (const columnar::RecordBatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      if (limit >= 0 && static_cast<int64_t>(rows.size()) >= limit) {
        *more = true;
        return rows;
      }
      std::vector<Cell> cells;
      for (const columnar::ColumnPtr& column : batch->columns()) {
        if (column->IsNull(row)) {
          cells.emplace_back();
        } else if (column->type()->id() == columnar::TypeId::kBinary) {
          cells.emplace_back(BinaryText(column->StringValue(row)));
        } else {
          cells.emplace_back(std::string(column->StringValue(row)));
        }
      }
      rows.push_back(std::move(cells));
    }
  }
  return rows;
}

std::string TypeName(const columnar::DataType& type) {
  switch (type.id()) {
    case columnar::TypeId::kStruct: return "struct";
    case columnar::TypeId::kArray: return "array";
    case columnar::TypeId::kMap: return "map";
    default: return type.DeltaName();
  }
}

void AppendTypeTree(const columnar::DataType& type, const std::string& prefix, std::string* out) {
  auto line = [&](std::string_view name, const columnar::DataType& child, std::string_view suffix) {
    *out += fmt::format("{} |-- {}: {}{}\n", prefix, name, TypeName(child), suffix);
    AppendTypeTree(child, prefix + " |   ", out);
  };
  if (type.id() == columnar::TypeId::kStruct) {
    for (const columnar::Field& field : type.fields()) {
      line(field.name, *field.type, fmt::format(" (nullable = {})", field.nullable));
    }
  } else if (type.id() == columnar::TypeId::kArray) {
    line("element", *type.element_type(), fmt::format(" (containsNull = {})", type.contains_null()));
  } else if (type.id() == columnar::TypeId::kMap) {
    line("key", *type.key_type(), "");
    line("value", *type.value_type(), fmt::format(" (valueContainsNull = {})", type.value_contains_null()));
  }
}

std::string IsoTimestamp(int64_t ms) { return columnar::FormatTimestampMillis(ms * 1000, true); }

std::string ListText(const std::vector<std::string>& items) {
  return "[" + fmt::format("{}", fmt::join(items, ", ")) + "]";
}

/// A JSON object's members as Spark shows a map: "{a -> 1, b -> x}".
std::string MapText(const JsonValue* object) {
  if (object == nullptr || !object->is_object()) return "{}";
  std::vector<std::string> parts;
  for (const auto& [key, value] : object->members()) {
    parts.push_back(key + " -> " + (value.is_string() ? value.string_value() : value.Serialize()));
  }
  return "{" + fmt::format("{}", fmt::join(parts, ", ")) + "}";
}

Cell MemberText(const JsonValue& info, std::string_view key) {
  const JsonValue* value = info.Find(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return value->is_string() ? value->string_value() : value->Serialize();
}

/// DESCRIBE HISTORY's operationParameters and operationMetrics are map<string,string>:
/// a value that is not a string (delta-rs writes numbers, Spark's RESTORE a number)
/// becomes its JSON text; null stays null.
JsonValue StringMap(const JsonValue& object) {
  if (!object.is_object()) return object;
  JsonValue out = JsonValue::MakeObject();
  for (const auto& [key, value] : object.members()) {
    out.Set(key, value.is_string() || value.is_null() ? value : JsonValue(value.Serialize()));
  }
  return out;
}

JsonValue ParseCommitInfo(const delta::HistoryEntry& entry) {
  Result<JsonValue> info = ParseJson(entry.info.json);
  return info.ok() && info->is_object() ? info.MoveValue() : JsonValue::MakeObject();
}

}  // namespace

std::string TimestampText(int64_t ms) {
  constexpr int64_t kMsPerDay = 86400000;
  int64_t days = ms >= 0 ? ms / kMsPerDay : -((-ms + kMsPerDay - 1) / kMsPerDay);
  int64_t day_ms = ms - days * kMsPerDay;
  std::string text = fmt::format("{} {:02}:{:02}:{:02}", columnar::FormatDate(static_cast<int32_t>(days)),
                                 day_ms / 3600000, day_ms / 60000 % 60, day_ms / 1000 % 60);
  if (day_ms % 1000 != 0) {
    std::string fraction = fmt::format("{:03}", day_ms % 1000);
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text;
}

Result<std::string> RenderRows(const DataFrame& rows, RowFormat format, int64_t limit) {
  TRIB_ASSIGN_OR_RETURN(columnar::Schema schema, rows.schema());
  std::vector<std::string> names;
  for (const columnar::Field& field : schema.fields()) names.push_back(field.name);
  std::vector<std::string> exprs;
  if (format == RowFormat::kJson) {
    std::vector<std::string> quoted;
    for (const std::string& name : names) quoted.push_back(QuoteName(name));
    // The same rendering as the to_json function, so that both follow Spark alike.
    exprs.push_back(fmt::format("to_json(struct({})) AS value", fmt::join(quoted, ", ")));
  } else {
    for (const columnar::Field& field : schema.fields()) {
      // Binary stays binary: StringRows prints it in hex, as show() does.
      bool binary = field.type->id() == columnar::TypeId::kBinary;
      std::string name = QuoteName(field.name);
      exprs.push_back(binary ? name : fmt::format("CAST({0} AS STRING) AS {0}", name));
    }
  }
  bool more = false;
  TRIB_ASSIGN_OR_RETURN(std::vector<std::vector<Cell>> cells, StringRows(rows.selectExpr(exprs), limit, &more));
  std::string out;
  switch (format) {
    case RowFormat::kJson:
      for (const auto& row : cells) out += row[0].value_or("{}") + "\n";
      break;
    case RowFormat::kCsv: {
      std::vector<Cell> header(names.begin(), names.end());
      cells.insert(cells.begin(), header);
      for (const auto& row : cells) {
        for (size_t i = 0; i < row.size(); ++i) out += (i > 0 ? "," : "") + CsvField(row[i]);
        out += "\n";
      }
      break;
    }
    case RowFormat::kTable:
      out = BoxTable(names, cells);
      if (more) out += fmt::format("only showing top {} row{}\n", limit, limit == 1 ? "" : "s");
      break;
  }
  return out;
}

std::string SchemaTreeString(const columnar::Schema& schema) {
  std::string out = "root\n";
  AppendTypeTree(*columnar::DataType::Struct(schema.fields()), "", &out);
  return out;
}

std::string DetailText(const delta::TableDetail& detail) {
  std::vector<std::string> properties;
  for (const auto& [key, value] : detail.properties) properties.push_back(key + "=" + value);
  std::vector<std::pair<std::string, std::string>> lines = {
      {"format", detail.format},
      {"id", detail.id},
      {"name", detail.name.value_or("NULL")},
      {"description", detail.description.value_or("NULL")},
      {"location", detail.location},
      {"createdAt", detail.created_at_ms ? TimestampText(*detail.created_at_ms) : "NULL"},
      {"lastModified", TimestampText(detail.last_modified_ms)},
      {"partitionColumns", ListText(detail.partition_columns)},
      {"numFiles", std::to_string(detail.num_files)},
      {"sizeInBytes", std::to_string(detail.size_in_bytes)},
      {"properties", "{" + fmt::format("{}", fmt::join(properties, ", ")) + "}"},
      {"minReaderVersion", std::to_string(detail.min_reader_version)},
      {"minWriterVersion", std::to_string(detail.min_writer_version)},
      {"tableFeatures", ListText(detail.table_features)},
      {"version", std::to_string(detail.version)},
  };
  std::string out;
  for (const auto& [name, value] : lines) out += fmt::format("{:<18}{}\n", name, value);
  return out + "\n" + SchemaTreeString(detail.schema);
}

std::string DetailJson(const delta::TableDetail& detail) {
  JsonWriter json;
  // As Spark's toJSON of DESCRIBE DETAIL: a null field is left out.
  auto optional_string = [&](std::string_view key, const std::optional<std::string>& value) {
    if (value) json.Key(key).String(*value);
  };
  auto strings = [&](const std::vector<std::string>& values) {
    json.StartArray();
    for (const std::string& value : values) json.String(value);
    json.EndArray();
  };
  json.StartObject();
  json.Key("format").String(detail.format);
  json.Key("id").String(detail.id);
  optional_string("name", detail.name);
  optional_string("description", detail.description);
  json.Key("location").String(detail.location);
  optional_string("createdAt", detail.created_at_ms
                                   ? std::optional<std::string>(IsoTimestamp(*detail.created_at_ms))
                                   : std::nullopt);
  json.Key("lastModified").String(IsoTimestamp(detail.last_modified_ms));
  json.Key("partitionColumns");
  strings(detail.partition_columns);
  json.Key("numFiles").Int(detail.num_files);
  json.Key("sizeInBytes").Int(detail.size_in_bytes);
  json.Key("properties").StartObject();
  for (const auto& [key, value] : detail.properties) json.Key(key).String(value);
  json.EndObject();
  json.Key("minReaderVersion").Int(detail.min_reader_version);
  json.Key("minWriterVersion").Int(detail.min_writer_version);
  json.Key("tableFeatures");
  strings(detail.table_features);
  json.Key("version").Int(detail.version);
  if (!detail.schema_string.empty()) json.Key("schema").Raw(detail.schema_string);
  json.EndObject();
  return json.Finish() + "\n";
}

namespace {

std::vector<std::pair<std::string, int64_t>> RestoreFields(const delta::RestoreMetrics& metrics) {
  return {{"version", metrics.version},
          {"restoredVersion", metrics.restored_version},
          {"tableSizeAfterRestore", metrics.table_size_after_restore},
          {"numOfFilesAfterRestore", metrics.num_of_files_after_restore},
          {"numRemovedFiles", metrics.num_removed_files},
          {"numRestoredFiles", metrics.num_restored_files},
          {"removedFilesSize", metrics.removed_files_size},
          {"restoredFilesSize", metrics.restored_files_size}};
}

}  // namespace

std::string RestoreText(const delta::RestoreMetrics& metrics) {
  std::string out = fmt::format("restored version {} as version {}\n", metrics.restored_version, metrics.version);
  for (const auto& [name, value] : RestoreFields(metrics)) {
    if (name != "version" && name != "restoredVersion") out += fmt::format("{:<24}{}\n", name, value);
  }
  return out;
}

std::string RestoreJson(const delta::RestoreMetrics& metrics) {
  JsonWriter json;
  json.StartObject();
  for (const auto& [name, value] : RestoreFields(metrics)) json.Key(name).Int(value);
  json.EndObject();
  return json.Finish() + "\n";
}

std::string HistoryText(const std::vector<delta::HistoryEntry>& entries) {
  std::vector<std::vector<Cell>> rows;
  for (const delta::HistoryEntry& entry : entries) {
    JsonValue info = ParseCommitInfo(entry);
    rows.push_back({std::to_string(entry.version), TimestampText(entry.timestamp_ms), MemberText(info, "operation"),
                    MapText(info.Find("operationParameters")), MemberText(info, "readVersion"),
                    MemberText(info, "isBlindAppend"), MapText(info.Find("operationMetrics")),
                    MemberText(info, "engineInfo")});
  }
  return BoxTable({"version", "timestamp", "operation", "operationParameters", "readVersion", "isBlindAppend",
                   "operationMetrics", "engineInfo"},
                  rows);
}

std::string HistoryJson(const std::vector<delta::HistoryEntry>& entries) {
  // DESCRIBE HISTORY's columns, in its order; other commitInfo fields (txnId, ...) are
  // not columns of it.
  static const char* kColumns[] = {"userId",    "userName",       "operation",     "operationParameters",
                                   "job",       "notebook",       "clusterId",     "readVersion",
                                   "isolationLevel", "isBlindAppend", "operationMetrics", "userMetadata",
                                   "engineInfo"};
  std::string out;
  for (const delta::HistoryEntry& entry : entries) {
    JsonValue info = ParseCommitInfo(entry);
    JsonValue row = JsonValue::MakeObject();
    row.Set("version", entry.version);
    row.Set("timestamp", IsoTimestamp(entry.timestamp_ms));
    for (const char* column : kColumns) {
      const JsonValue* value = info.Find(column);
      if (value == nullptr || value->is_null()) continue;  // to_json leaves nulls out
      std::string_view name = column;
      row.Set(column, name == "operationParameters" || name == "operationMetrics" ? StringMap(*value) : *value);
    }
    out += row.Serialize() + "\n";
  }
  return out;
}

}  // namespace tributary::cli
