#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/schema.h"

namespace tributary::columnar {

/// Rows in columnar form: a schema and one column per field, all of num_rows rows.
class RecordBatch {
 public:
  RecordBatch(SchemaPtr schema, int64_t num_rows, std::vector<ColumnPtr> columns)
      : schema_(std::move(schema)), num_rows_(num_rows), columns_(std::move(columns)) {}

  /// Checks that the columns match the schema's types and the row count.
  static Result<std::shared_ptr<RecordBatch>> Make(SchemaPtr schema, int64_t num_rows,
                                                   std::vector<ColumnPtr> columns);

  const SchemaPtr& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const ColumnPtr& column(int i) const { return columns_[static_cast<size_t>(i)]; }
  const std::vector<ColumnPtr>& columns() const { return columns_; }

  /// Approximate memory held by the batch's buffers.
  int64_t ByteSize() const;

  /// A human-readable rendering of the first `max_rows` rows, for tests and logs.
  std::string ToString(int64_t max_rows = 20) const;

 private:
  SchemaPtr schema_;
  int64_t num_rows_;
  std::vector<ColumnPtr> columns_;
};

using RecordBatchPtr = std::shared_ptr<RecordBatch>;

/// Renders one value as Spark's `CAST(x AS STRING)` would (JSON-like for nested
/// values); "null" for nulls.
std::string ValueToString(const Column& column, int64_t row);

}  // namespace tributary::columnar
