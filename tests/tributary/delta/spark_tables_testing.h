#pragma once

// Reading the Spark-written fixtures of tests/data/delta/spark/ and comparing rows in
// the canonical JSON form its generate.py writes (see that file's header).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tributary/columnar/decimal.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/temporal.h"

namespace tributary::delta::testing {

inline std::string SparkTablePath(const std::string& name) {
  return std::string(TRIBUTARY_SOURCE_DIR) + "/tests/data/delta/spark/" + name;
}

/// A fresh copy of the fixture `name` at `destination` (for tests that write to it).
inline void CopySparkTable(const std::string& name, const std::string& destination) {
  std::filesystem::copy(SparkTablePath(name), destination, std::filesystem::copy_options::recursive);
}

inline std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// One value as generate.py's canonical() renders it.
inline std::string CanonicalValue(const columnar::Column& column, int64_t row) {
  using columnar::TypeId;
  if (column.IsNull(row)) return "null";
  switch (column.type()->id()) {
    case TypeId::kBoolean: return column.BoolValue(row) ? "true" : "false";
    case TypeId::kByte: return std::to_string(column.Value<int8_t>(row));
    case TypeId::kShort: return std::to_string(column.Value<int16_t>(row));
    case TypeId::kInteger: return std::to_string(column.Value<int32_t>(row));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return std::to_string(column.Value<int64_t>(row));
    case TypeId::kFloat: return fmt::format("{}", column.Value<float>(row));
    case TypeId::kDouble: return fmt::format("{}", column.Value<double>(row));
    case TypeId::kDecimal:
      return JsonString(columnar::FormatDecimal(column.Value<__int128>(row), column.type()->scale()));
    case TypeId::kString: return JsonString(column.StringValue(row));
    case TypeId::kBinary: {
      std::string hex;
      for (unsigned char c : column.StringValue(row)) hex += fmt::format("{:02X}", c);
      return JsonString(hex);
    }
    case TypeId::kDate: return JsonString(columnar::FormatDate(column.Value<int32_t>(row)));
    case TypeId::kStruct: {
      std::string out = "{";
      const auto& fields = column.type()->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ",";
        out += JsonString(fields[i].name) + ":" + CanonicalValue(*column.child(static_cast<int>(i)), row);
      }
      return out + "}";
    }
    case TypeId::kArray: {
      std::string out = "[";
      for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
        if (i > column.ListStart(row)) out += ",";
        out += CanonicalValue(*column.child(0), i);
      }
      return out + "]";
    }
    default: return "\"?\"";
  }
}

/// Every row of `batches` as a canonical JSON array, sorted.
inline std::vector<std::string> CanonicalRows(const std::vector<columnar::RecordBatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const auto& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string line = "[";
      for (int c = 0; c < batch->num_columns(); ++c) {
        if (c > 0) line += ",";
        line += CanonicalValue(*batch->column(c), row);
      }
      rows.push_back(line + "]");
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// The rows Spark read from the fixture `name` (<name>.expected.json: one row a line).
inline std::vector<std::string> SparkExpectedRows(const std::string& name) {
  std::ifstream in(SparkTablePath(name) + ".expected.json");
  std::vector<std::string> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '[') continue;
    if (line.back() == ',') line.pop_back();
    rows.push_back(line);
  }
  return rows;
}

/// The column names the fixture's expected rows have, as the JSON header line lists them.
inline std::string SparkExpectedColumns(const std::string& name) {
  std::ifstream in(SparkTablePath(name) + ".expected.json");
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace tributary::delta::testing
