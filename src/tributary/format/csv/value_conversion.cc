#include "tributary/format/csv/value_conversion.h"

#include <cmath>
#include <limits>

#include "tributary/format/csv/spark_datetime.h"
#include "tributary/format/csv/value_parsers.h"

namespace tributary::csv {

using columnar::TypeId;

namespace {

bool SetInt(std::optional<int64_t> value, Cell* cell) {
  if (!value) return false;
  cell->tag = Cell::kInt;
  cell->integer = *value;
  return true;
}

template <typename T>
std::optional<int64_t> Integral(std::string_view text) {
  return ParseJavaIntegral(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
}

std::optional<double> Floating(std::string_view text, const CsvReadOptions& options) {
  if (text == options.nan_value) return std::numeric_limits<double>::quiet_NaN();
  if (text == options.negative_inf) return -HUGE_VAL;
  if (text == options.positive_inf) return HUGE_VAL;
  return ParseJavaDouble(text);
}

}  // namespace

Status CheckCsvColumnType(const columnar::Field& field) {
  switch (field.type->id()) {
    case TypeId::kStruct:
    case TypeId::kArray:
    case TypeId::kMap:
      return Status::NotImplemented("CSV data source does not support column '{}' of type {}", field.name,
                                    field.type->SimpleString());
    default:
      return Status::OK();
  }
}

bool ConvertToken(std::string_view text, const columnar::DataType& type, const CsvReadOptions& options,
                  Cell* cell) {
  cell->tag = Cell::kNull;
  switch (type.id()) {
    case TypeId::kBoolean: {
      std::optional<bool> value = ParseJavaBoolean(text);
      if (!value) return false;
      cell->tag = Cell::kBool;
      cell->flag = *value;
      return true;
    }
    case TypeId::kByte: return SetInt(Integral<int8_t>(text), cell);
    case TypeId::kShort: return SetInt(Integral<int16_t>(text), cell);
    case TypeId::kInteger: return SetInt(Integral<int32_t>(text), cell);
    case TypeId::kLong: return SetInt(Integral<int64_t>(text), cell);
    case TypeId::kFloat:
    case TypeId::kDouble: {
      std::optional<double> value = Floating(text, options);
      if (!value) return false;
      cell->tag = Cell::kDouble;
      cell->real = type.id() == TypeId::kFloat ? static_cast<double>(static_cast<float>(*value)) : *value;
      return true;
    }
    case TypeId::kDecimal: {
      std::optional<__int128> value = ParseDecimalHalfUp(text, type.precision(), type.scale());
      if (!value) return false;
      cell->tag = Cell::kDecimal;
      cell->decimal = *value;
      return true;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      cell->tag = Cell::kString;
      cell->text = text;
      return true;
    case TypeId::kDate: {
      // Spark parses with dateFormat, then falls back to its lenient parser.
      std::optional<int32_t> days = ParseSparkDate(text);
      return days ? SetInt(static_cast<int64_t>(*days), cell) : false;
    }
    case TypeId::kTimestamp: return SetInt(ParseSparkTimestamp(text), cell);
    case TypeId::kTimestampNtz: return SetInt(ParseSparkTimestamp(text, /*allow_zone=*/false), cell);
    case TypeId::kStruct:
    case TypeId::kArray:
    case TypeId::kMap: return false;
  }
  return false;
}

void AppendCell(const Cell& cell, columnar::ColumnBuilder* builder) {
  switch (cell.tag) {
    case Cell::kNull: builder->AppendNull(); break;
    case Cell::kInt: builder->AppendInt(cell.integer); break;
    case Cell::kDouble: builder->AppendDouble(cell.real); break;
    case Cell::kDecimal: builder->AppendDecimal(cell.decimal); break;
    case Cell::kBool: builder->AppendBool(cell.flag); break;
    case Cell::kString: builder->AppendString(cell.text); break;
  }
}

}  // namespace tributary::csv
