#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/parquet/metadata_internal.h"

namespace tributary::parquet::internal {

/// One step from a top-level column down to a leaf, matching one Arrow column on
/// the way.
struct PathStep {
  enum Kind : uint8_t { kLeaf, kStruct, kList, kMap };
  Kind kind = kLeaf;
  /// Optional in Parquet: a present value adds one definition level.
  bool nullable = false;
  /// kStruct: the field followed; kMap: 0 for the key, 1 for the value.
  int child = 0;
  /// kList/kMap: the repetition level of the repeated group below this step.
  int16_t rep_level = 0;
};

/// A Parquet leaf (primitive) column and how to reach it in a batch.
struct LeafColumn {
  int top_index = 0;
  std::vector<PathStep> steps;  // steps[0] is the top-level column
  std::vector<std::string> path;
  int16_t max_def = 0;
  int16_t max_rep = 0;
  columnar::DataTypePtr type;  // the leaf's Spark type
  PhysicalType physical = PhysicalType::kInt32;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY width

  std::string DottedPath() const;
};

/// Bytes of the minimal big-endian two's complement that holds every decimal of
/// `precision` digits.
int DecimalByteWidth(int precision);

/// Converts a Spark schema to the Parquet schema (depth-first, root first) and lists
/// its leaves in column-chunk order. NotImplemented for an empty struct.
Status BuildParquetSchema(const columnar::Schema& schema, std::vector<SchemaElement>* elements,
                          std::vector<LeafColumn>* leaves);

/// Definition and repetition levels of one leaf for a range of top-level rows.
struct LeafLevels {
  std::vector<int16_t> def_levels;  // empty when max_def == 0
  std::vector<int16_t> rep_levels;  // empty when max_rep == 0
  /// Index in `leaf` of each present value, in order; filled only when max_rep > 0.
  /// Otherwise level i is row `row_offset + i` of `leaf`.
  std::vector<int64_t> value_indices;
  const columnar::Column* leaf = nullptr;
  int64_t row_offset = 0;
  int64_t num_levels = 0;
};

/// Computes Dremel levels of `leaf` for rows [row_begin, row_end) of its top-level
/// column `top`, reusing `out`'s storage. Invalid when a field the schema marks
/// required (non-nullable field, non-null array element, map key) holds a null
/// below a present parent; the top-level column's own nulls are the caller's check.
Status ComputeLevels(const LeafColumn& leaf, const columnar::Column& top, int64_t row_begin,
                     int64_t row_end, LeafLevels* out);

}  // namespace tributary::parquet::internal
