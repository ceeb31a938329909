#pragma once

#include <cstdint>
#include <string_view>

#include "tributary/base/status.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/data_type.h"
#include "tributary/format/csv/read_options.h"

namespace tributary::csv {

/// One converted value, held until the whole record is known to be kept.
struct Cell {
  enum Tag : unsigned char { kNull, kInt, kDouble, kDecimal, kBool, kString };
  Tag tag = kNull;
  bool flag = false;
  int64_t integer = 0;
  double real = 0;
  __int128 decimal = 0;
  std::string_view text;
};

/// Whether the CSV reader can fill a column of `type` (primitive types only).
Status CheckCsvColumnType(const columnar::Field& field);

/// Converts a non-NULL token to `type` as Spark's UnivocityParser does. Returns
/// false, leaving `cell` NULL, when the token does not parse as that type.
bool ConvertToken(std::string_view text, const columnar::DataType& type, const CsvReadOptions& options,
                  Cell* cell);

/// Appends `cell` (or NULL) to `builder`, whose type matches the conversion.
void AppendCell(const Cell& cell, columnar::ColumnBuilder* builder);

}  // namespace tributary::csv
