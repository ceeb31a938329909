#pragma once

#include <string_view>

#include "tributary/columnar/data_type.h"
#include "tributary/format/csv/read_options.h"

namespace tributary::csv {

/// A column type during inference, kept small so that inferring allocates nothing.
struct InferredType {
  enum Kind : unsigned char { kNull, kInteger, kLong, kDecimal, kDouble, kDate, kTimestamp, kBoolean, kString };
  Kind kind = kNull;
  int precision = 0;  // decimal only
  int scale = 0;      // decimal only

  bool operator==(const InferredType& other) const {
    return kind == other.kind && precision == other.precision && scale == other.scale;
  }
};

/// Spark's CSVInferSchema.inferField: the type of `token` starting from the type
/// seen so far (integer -> long -> decimal -> double -> date (with preferDate) ->
/// timestamp -> boolean -> string), merged with it. NULL tokens (empty or equal to
/// `nullValue`) leave the type unchanged.
InferredType InferField(InferredType so_far, std::string_view token, const CsvReadOptions& options);

/// Spark's CSV compatibleType, falling back to string when there is none.
InferredType MergeInferred(InferredType a, InferredType b);

/// The Spark type; "only nulls seen" becomes string, as Spark does.
columnar::DataTypePtr ToDataType(InferredType type);

}  // namespace tributary::csv
