#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/record_batch.h"

namespace tributary::columnar {

/// Gathers rows `rows` (any order, repeats allowed) of a column of any type, nested
/// included, into a new column of rows.size() rows. Invalid when a row is out of range.
Result<ColumnPtr> Take(const Column& column, std::span<const int64_t> rows);
/// Take applied to every column of `batch`.
Result<RecordBatchPtr> TakeRows(const RecordBatch& batch, std::span<const int64_t> rows);
/// Keeps the rows where `mask` (a boolean column of the batch's length) is true; null
/// counts as false. Invalid when the mask is not boolean or has another length.
Result<RecordBatchPtr> FilterRows(const RecordBatch& batch, const Column& mask);
/// Joins columns of one type end to end. Invalid for an empty list or differing types
/// (nullability of nested members is ignored; the first column's type is kept).
Result<ColumnPtr> Concatenate(const std::vector<ColumnPtr>& columns);
/// Joins batches whose columns match `schema` end to end; no batches give an empty batch.
Result<RecordBatchPtr> ConcatenateBatches(const SchemaPtr& schema, const std::vector<RecordBatchPtr>& batches);

}  // namespace tributary::columnar
