#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/actions.h"
#include "tributary/delta/column_mapping.h"

namespace tributary::delta {

/// A value compared with file statistics and partition values, in the column's
/// domain: integral types as int64, date as days, timestamp and timestamp_ntz as
/// microseconds (int64); float, double and decimal as double; string; boolean.
using SkipValue = std::variant<int64_t, double, std::string, bool>;

/// Bounds on one column that every row a reader wants satisfies. Any bound implies the
/// value is not null. `column` is a top-level column name, or a dotted path into
/// struct columns ("payload.id"); names match exactly, then ignoring case.
struct ColumnConstraint {
  std::string column;
  std::optional<SkipValue> lower;
  bool lower_inclusive = true;
  std::optional<SkipValue> upper;
  bool upper_inclusive = true;
  /// When set, the value is one of these (an empty list matches nothing).
  std::optional<std::vector<SkipValue>> in_values;

  static ColumnConstraint Equal(std::string column, SkipValue value);
  static ColumnConstraint Between(std::string column, SkipValue lower, SkipValue upper);
  static ColumnConstraint In(std::string column, std::vector<SkipValue> values);
  static ColumnConstraint Less(std::string column, SkipValue value, bool inclusive);
  static ColumnConstraint Greater(std::string column, SkipValue value, bool inclusive);

  /// "id >= 3 AND id <= 9", "p IN ('a', 'b')": for logs, commitInfo and errors.
  std::string ToString() const;
};

/// A conjunction of column constraints describing the rows a reader wants (all rows
/// when empty; none when `matches_nothing`). Used to skip files and, recorded by a
/// transaction, to detect concurrent appends that a reader would have seen.
struct FilePredicate {
  std::vector<ColumnConstraint> conjuncts;
  bool matches_nothing = false;

  bool IsAll() const { return conjuncts.empty() && !matches_nothing; }
  std::string ToString() const;
};

/// Decides from a file's partition values and `add.stats` (numRecords, minValues,
/// maxValues, nullCount) whether it may hold a row satisfying a predicate. It is
/// conservative: a file whose stats are missing, unparsable or do not cover a column
/// may match. Truncated string maxima (with or without Spark's tie-breaker) and
/// millisecond-truncated timestamps are widened. Thread-safe after construction.
class FileSkipper {
 public:
  /// `schema` is the table schema (partition columns included). Under column mapping
  /// (`mode` name or id) partitionValues and stats are keyed by physical names.
  FileSkipper(const columnar::Schema& schema, std::vector<std::string> partition_columns,
              FilePredicate predicate, ColumnMappingMode mode = ColumnMappingMode::kNone);

  bool MayMatch(const AddFile& file) const;
  const FilePredicate& predicate() const { return predicate_; }

 private:
  struct Resolved {
    const ColumnConstraint* constraint;
    columnar::DataTypePtr type;       // null when the column is unknown (never skips)
    std::vector<std::string> path;    // the column's physical names, outermost first
    std::optional<std::string> partition_column;  // its key in partitionValues
  };
  columnar::Schema schema_;
  std::vector<std::string> partition_columns_;
  FilePredicate predicate_;
  std::vector<Resolved> resolved_;
};

/// The value at `row` of `column` as a SkipValue; nullopt for null and for types
/// without ordering statistics (binary, nested).
std::optional<SkipValue> SkipValueAt(const columnar::Column& column, int64_t row);

/// A partition value string (as `partitionValues` holds it) as a SkipValue of `type`;
/// nullopt when it does not parse.
std::optional<SkipValue> SkipValueFromPartition(const columnar::DataType& type,
                                                const std::string& value);

/// Compares two values of one column (int and double compare numerically).
/// Negative, zero or positive.
int CompareSkipValues(const SkipValue& a, const SkipValue& b);

}  // namespace tributary::delta
