#include "tributary/format/csv/type_inference.h"

#include <algorithm>
#include <limits>

#include "tributary/columnar/temporal.h"
#include "tributary/format/csv/spark_datetime.h"
#include "tributary/format/csv/value_parsers.h"

namespace tributary::csv {

using columnar::DataType;
using columnar::DataTypePtr;

namespace {

using Kind = InferredType::Kind;

InferredType Of(Kind kind) { return InferredType{kind, 0, 0}; }

// The chain below mirrors CSVInferSchema's tryParse* functions: each falls through
// to the next wider candidate.
InferredType TryBoolean(std::string_view token) {
  return ParseJavaBoolean(token) ? Of(Kind::kBoolean) : Of(Kind::kString);
}

InferredType TryTimestamp(std::string_view token) {
  return ParseSparkTimestamp(token) ? Of(Kind::kTimestamp) : TryBoolean(token);
}

// Inference takes a DATE only in the strict default dateFormat (yyyy-MM-dd), unlike
// the lenient timestamp parsing: Spark infers "2024-1-5" as a timestamp.
InferredType TryDate(std::string_view token) {
  return columnar::ParseDate(token) ? Of(Kind::kDate) : TryTimestamp(token);
}

InferredType TryDouble(std::string_view token, const CsvReadOptions& options) {
  if (ParseJavaDouble(token) || token == options.nan_value || token == options.positive_inf ||
      token == options.negative_inf) {
    return Of(Kind::kDouble);
  }
  return options.prefer_date ? TryDate(token) : TryTimestamp(token);
}

InferredType TryDecimal(std::string_view token, const CsvReadOptions& options) {
  // Only values without a fractional part become decimals (Spark keeps 1.1 a double).
  if (std::optional<DecimalLiteral> literal = ParseDecimalLiteral(token)) {
    if (auto precision_scale = DecimalPrecisionScale(*literal)) {
      auto [precision, scale] = *precision_scale;
      if (scale == 0 && precision <= 38) return InferredType{Kind::kDecimal, precision, 0};
    }
  }
  return TryDouble(token, options);
}

InferredType TryLong(std::string_view token, const CsvReadOptions& options) {
  if (ParseJavaIntegral(token, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max())) {
    return Of(Kind::kLong);
  }
  return TryDecimal(token, options);
}

InferredType TryInteger(std::string_view token, const CsvReadOptions& options) {
  if (ParseJavaIntegral(token, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max())) {
    return Of(Kind::kInteger);
  }
  return TryLong(token, options);
}

// DecimalType.forType for integral types.
InferredType AsDecimal(InferredType type) {
  if (type.kind == Kind::kInteger) return InferredType{Kind::kDecimal, 10, 0};
  if (type.kind == Kind::kLong) return InferredType{Kind::kDecimal, 20, 0};
  return type;
}

bool IsIntegral(Kind kind) { return kind == Kind::kInteger || kind == Kind::kLong; }

}  // namespace

InferredType MergeInferred(InferredType a, InferredType b) {
  if (a == b) return a;
  if (a.kind == Kind::kNull) return b;
  if (b.kind == Kind::kNull) return a;
  if (a.kind == Kind::kString || b.kind == Kind::kString) return Of(Kind::kString);
  // Numeric widening (TypeCoercion.findTightestCommonType).
  bool a_number = IsIntegral(a.kind) || a.kind == Kind::kDouble;
  bool b_number = IsIntegral(b.kind) || b.kind == Kind::kDouble;
  if (a_number && b_number) return Of(std::max(a.kind, b.kind));
  // Decimals (CSVInferSchema.findCompatibleTypeForCSV).
  if ((a.kind == Kind::kDecimal || b.kind == Kind::kDecimal) &&
      (a.kind == Kind::kDouble || b.kind == Kind::kDouble)) {
    return Of(Kind::kDouble);
  }
  if ((a.kind == Kind::kDecimal || IsIntegral(a.kind)) && (b.kind == Kind::kDecimal || IsIntegral(b.kind))) {
    InferredType x = AsDecimal(a), y = AsDecimal(b);
    int scale = std::max(x.scale, y.scale);
    int range = std::max(x.precision - x.scale, y.precision - y.scale);
    if (range + scale > 38) return Of(Kind::kDouble);
    return InferredType{Kind::kDecimal, range + scale, scale};
  }
  if ((a.kind == Kind::kDate && b.kind == Kind::kTimestamp) || (a.kind == Kind::kTimestamp && b.kind == Kind::kDate)) {
    return Of(Kind::kTimestamp);
  }
  return Of(Kind::kString);
}

InferredType InferField(InferredType so_far, std::string_view token, const CsvReadOptions& options) {
  if (token.empty() || token == options.null_value) return so_far;
  InferredType next;
  switch (so_far.kind) {
    case Kind::kNull:
    case Kind::kInteger: next = TryInteger(token, options); break;
    case Kind::kLong: next = TryLong(token, options); break;
    case Kind::kDecimal: next = TryDecimal(token, options); break;
    case Kind::kDouble: next = TryDouble(token, options); break;
    case Kind::kDate: next = TryDate(token); break;
    case Kind::kTimestamp: next = TryTimestamp(token); break;
    case Kind::kBoolean: next = TryBoolean(token); break;
    case Kind::kString: return so_far;
  }
  return MergeInferred(so_far, next);
}

DataTypePtr ToDataType(InferredType type) {
  switch (type.kind) {
    case Kind::kInteger: return DataType::Integer();
    case Kind::kLong: return DataType::Long();
    case Kind::kDecimal: return DataType::Decimal(std::max(type.precision, 1), type.scale);
    case Kind::kDouble: return DataType::Double();
    case Kind::kDate: return DataType::Date();
    case Kind::kTimestamp: return DataType::Timestamp();
    case Kind::kBoolean: return DataType::Boolean();
    case Kind::kNull:
    case Kind::kString: return DataType::String();
  }
  return DataType::String();
}

}  // namespace tributary::csv
