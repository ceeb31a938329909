#pragma once

// The reader's view of a file's schema: Spark types with the Dremel levels that
// locate every node, and the per-leaf conversion from Parquet's physical values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/parquet/metadata_internal.h"

namespace tributary::parquet::internal {

/// How a leaf's physical values become its Spark values.
enum class ValueKind : uint8_t {
  kBool,
  kInt32,           // INT32 as byte/short/integer/date (per the Spark type)
  kUInt32,          // INT32 UINT_8/16/32: zero-extended
  kInt64,
  kUInt64,          // INT64 UINT_64 -> decimal(20,0)
  kTimestampMillis,
  kTimestampMicros,
  kTimestampNanos,
  kInt96,
  kFloat,
  kDouble,
  kDecimalInt32,
  kDecimalInt64,
  kDecimalBytes,    // big-endian two's complement, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY
  kBytes,           // BYTE_ARRAY as string/binary
  kFixedBytes,      // FIXED_LEN_BYTE_ARRAY as binary
};

struct FileLeaf {
  std::vector<std::string> path;
  PhysicalType physical = PhysicalType::kInt32;
  int32_t type_length = 0;
  int16_t max_def = 0;
  int16_t max_rep = 0;
  ValueKind kind = ValueKind::kInt32;
  columnar::DataTypePtr type;  // Spark type

  std::string DottedPath() const;
};

/// A Spark-level node (a column, struct field, array element, map key or value).
/// A slot of the node exists at a level entry when its repetition level is at most
/// the parent's and its definition level reaches the parent's slot level; the slot
/// holds a value (non-null) when the definition level is at least `def_valid`.
struct FileNode {
  enum Kind : uint8_t { kLeaf, kStruct, kList, kMap };
  Kind kind = kLeaf;
  std::string name;
  std::optional<int32_t> field_id;
  columnar::DataTypePtr type;
  bool nullable = true;
  int16_t def_valid = 0;
  /// kList/kMap: levels at which an element (entry) exists and repeats.
  int16_t element_def = 0;
  int16_t element_rep = 0;
  /// kStruct: fields; kList: the element; kMap: key, value.
  std::vector<FileNode> children;
  int leaf = -1;        // kLeaf: index into the leaf list (= column chunk index)
  int first_leaf = -1;  // the first leaf below (or at) this node
};

/// Converts the flattened Parquet schema (root first) to Spark nodes, one per
/// top-level column, and lists the leaves in column-chunk order. Errors (without
/// the path, which the caller adds): Corruption for an inconsistent element list,
/// NotImplemented for types Spark cannot read, naming the column.
Status BuildFileSchema(const std::vector<SchemaElement>& elements, std::vector<FileNode>* columns,
                       std::vector<FileLeaf>* leaves);

}  // namespace tributary::parquet::internal
