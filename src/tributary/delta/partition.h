#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/record_batch.h"

namespace tributary::delta {

/// The directory name Hive and Spark use for a null partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

/// The value of `column` at `row` as Delta stores it in `partitionValues` (reference
/// A4): strings as-is, numbers in decimal, dates "YYYY-MM-DD", timestamps ISO-8601 UTC,
/// timestamp_ntz "YYYY-MM-DD HH:MM:SS[.ffffff]", booleans "true"/"false". Null (and the
/// empty string, which Delta reads as null) is nullopt.
/// Errors: Invalid for types that cannot partition (struct, array, map).
Result<std::optional<std::string>> PartitionValueToString(const columnar::Column& column,
                                                          int64_t row);

/// Hive's escaping of a partition directory value: control characters and
/// `"#%'*/:=?\{[]^` and DEL become %XX (upper-case hex); everything else is kept.
std::string EscapePartitionValue(std::string_view value);

/// Percent-encodes a relative path for `add.path` (an RFC 2396 URI): everything but
/// letters, digits, `-._~/=` becomes %XX, so Hive's `%` escapes are encoded again.
std::string EncodePathUri(std::string_view path);

/// Decodes %XX sequences. Errors: Invalid naming the path for a malformed escape.
Result<std::string> DecodePathUri(std::string_view uri);

/// "c1=4/c2=__HIVE_DEFAULT_PARTITION__" (no trailing slash; empty without columns).
/// REQUIRES: columns.size() == values.size().
std::string PartitionDirectory(const std::vector<std::string>& columns,
                               const std::vector<std::optional<std::string>>& values);

/// Rows of a batch that share one combination of partition values.
struct PartitionGroup {
  std::vector<std::optional<std::string>> values;  // one per partition column
  std::vector<int64_t> rows;                      // ascending
};

/// Splits the rows of `batch` by the values of the columns at `partition_indices`,
/// in order of first appearance. Errors: as PartitionValueToString.
Result<std::vector<PartitionGroup>> GroupByPartition(const columnar::RecordBatch& batch,
                                                     const std::vector<int>& partition_indices);

/// A column holding `rows` of `column`, in that order (all types, nested included).
columnar::ColumnPtr TakeRows(const columnar::Column& column, const std::vector<int64_t>& rows);

}  // namespace tributary::delta
