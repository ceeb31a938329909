#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"

namespace tributary::delta {

/// The table schema an append writes with.
struct MergedSchema {
  columnar::Schema schema;
  /// Dotted names of the columns the data adds ("extra", "payload.new_field").
  std::vector<std::string> new_columns;
};

/// Checks a batch schema against the table schema for an append (Spark's rules):
/// columns are matched by name ignoring case; columns missing from the data are
/// written as nulls; new columns (top-level at the end, or new struct fields at the
/// end of their struct) are added only when `merge_schema`; a type change is never
/// allowed. Added columns are nullable.
/// Errors: Invalid naming `table_path` and the columns: for new columns without
/// `merge_schema` (telling the user to set mergeSchema), for a type change (both
/// types), for two data columns differing only by case.
Result<MergedSchema> MergeSchemaForAppend(const columnar::Schema& table,
                                          const columnar::Schema& data, bool merge_schema,
                                          std::string_view table_path);

/// Checks that column names (nested ones too) avoid the characters Delta forbids
/// without column mapping: space and `,;{}()` newline tab `=`.
/// Errors: Invalid naming `table_path` and the column.
Status CheckColumnNames(const std::vector<columnar::Field>& fields, std::string_view table_path,
                        std::string_view prefix = "");

/// Rearranges `batch` into `target` (from MergeSchemaForAppend): columns in target
/// order, matched by name ignoring case at every struct level, missing ones filled
/// with nulls. Errors: Invalid when a non-nullable column holds nulls or is missing.
Result<columnar::RecordBatchPtr> ConformBatch(const columnar::RecordBatch& batch,
                                              const columnar::Schema& target,
                                              std::string_view table_path);

}  // namespace tributary::delta
