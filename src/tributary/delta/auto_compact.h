#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/delta/optimize.h"

namespace tributary::delta {

class Snapshot;
class Table;

/// The table property that turns auto compaction on (Databricks' values: true, auto,
/// legacy, false), and the older boolean one that also does.
inline constexpr std::string_view kAutoCompactProperty = "delta.autoOptimize.autoCompact";
inline constexpr std::string_view kAutoOptimizeProperty = "delta.autoOptimize";

/// Auto compaction settings, as Databricks' spark.databricks.delta.autoCompact.* confs
/// (a writer's options here, e.g. the Delta sink's autoCompact*).
struct AutoCompactOptions {
  /// autoCompact (spark.databricks.delta.autoCompact.enabled): "true", "auto" or
  /// "legacy" turn it on, "false" off, whatever the table says; nullopt leaves it to
  /// the table properties (delta.autoOptimize=true, then
  /// delta.autoOptimize.autoCompact).
  std::optional<std::string> enabled;
  /// autoCompact.minNumFiles: a partition the commit wrote to is compacted once it
  /// holds at least this many small files.
  int64_t min_num_files = 50;
  /// autoCompact.maxFileSize: the target size of compacted files (and bins).
  int64_t max_file_size = int64_t{128} << 20;
  /// autoCompact.minFileSize: files below this are small; default max_file_size / 2.
  std::optional<int64_t> min_file_size;
  /// Parquet encoding of the compacted files.
  parquet::WriterOptions parquet;
};

/// Checks an autoCompact value (any case). Errors: Invalid naming `what` and listing
/// the allowed values.
Status CheckAutoCompactValue(std::string_view value, std::string_view what);

/// Whether auto compaction is on for `snapshot` under `options`, in Delta's order:
/// the writer's setting, then delta.autoOptimize=true, then
/// delta.autoOptimize.autoCompact. Errors: Invalid for a value outside
/// true/auto/legacy/false, naming the option or property.
Result<bool> AutoCompactEnabled(const Snapshot& snapshot, const AutoCompactOptions& options);

/// The post-commit hook: after this writer committed `version`, when auto compaction
/// is on, compacts (OPTIMIZE with auto=true, minFileSize/maxFileSize from `options`)
/// the partitions that commit added files to and that now hold at least
/// min_num_files small files, as a separate commit with dataChange=false. Returns
/// nullopt when it is off or nothing qualifies.
/// Errors: as AutoCompactEnabled and Optimize (Conflict when a concurrent writer
/// removed a file it compacts; the written commit stands either way).
Result<std::optional<OptimizeResult>> AutoCompact(Table& table, int64_t version, const AutoCompactOptions& options);

}  // namespace tributary::delta
