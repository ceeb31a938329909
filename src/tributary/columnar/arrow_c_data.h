#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tributary/base/status.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"

// The Arrow C Data Interface ABI, as specified at
// https://arrow.apache.org/docs/format/CDataInterface.html. The guard lets this
// header coexist with Arrow's own abi.h (or nanoarrow) in the same program.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

extern "C" {

struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

}  // extern "C"

#endif  // ARROW_C_DATA_INTERFACE

namespace tributary::columnar {

/// Exports through the Arrow C Data Interface without copying: the exported
/// ArrowArray points at the columns' buffers and its release callback keeps the
/// columns (shared_ptr) alive until the consumer calls it. Every exported struct,
/// children included, has its own release callback; a consumer may move children
/// out before releasing the parent. Releasing is thread-safe with respect to other
/// columns; the exported data is immutable.
///
/// Type mapping (format strings): boolean "b", byte "c", short "s", integer "i",
/// long "l", float "f", double "g", decimal "d:p,s" (128-bit), string "u",
/// binary "z", date "tdD", timestamp "tsu:UTC", timestamp_ntz "tsu:", struct "+s",
/// array "+l" (child "element"), map "+m" (non-nullable child "entries" of struct
/// "key" (non-nullable), "value"). ARROW_FLAG_NULLABLE follows the field's
/// nullability, containsNull and valueContainsNull. Field metadata is not exported.
///
/// On error nothing is exported and `*out` is left released (release == nullptr).

/// Exports `batch` as a non-nullable struct array ("+s") whose children are the
/// columns, with a matching schema.
Status ExportRecordBatch(const RecordBatch& batch, ArrowSchema* out_schema, ArrowArray* out_array);

/// Exports the schema as a struct ("+s") with one child per field.
Status ExportSchema(const Schema& schema, ArrowSchema* out);

/// Exports one field's type, name and nullability.
Status ExportField(const Field& field, ArrowSchema* out);

/// Exports one column's data (its schema comes from ExportField).
Status ExportColumn(const ColumnPtr& column, ArrowArray* out);

/// The format string of a type, e.g. "d:10,2" or "tsu:UTC".
std::string ArrowFormat(const DataType& type);

}  // namespace tributary::columnar
