#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/actions.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::delta {

class Table;

/// Which partitions an OPTIMIZE compacts: true for partitions to compact. Called once
/// per distinct partition; an error aborts the OPTIMIZE.
using PartitionFilter = std::function<Result<bool>(const PartitionValues&)>;

/// How OPTIMIZE bin-packs (delta-spark's OptimizeExecutor, compaction mode).
struct OptimizeOptions {
  /// spark.databricks.delta.optimize.minFileSize: only files smaller than this are
  /// compacted.
  int64_t min_file_size = int64_t{1} << 30;
  /// spark.databricks.delta.optimize.maxFileSize: a bin holds input files totalling at
  /// most this many bytes, and is rewritten into files of about this size.
  int64_t max_file_size = int64_t{1} << 30;
  /// spark.databricks.delta.optimize.maxDeletedRowsRatio: a file whose deletion
  /// vector deletes more than this fraction of its rows is compacted whatever its
  /// size (as is one with a deletion vector and no numRecords statistic).
  double max_deleted_rows_ratio = 0.05;
  /// Only partitions this accepts are compacted (all when empty).
  PartitionFilter partition_filter;
  /// The WHERE text(s), recorded in commitInfo.operationParameters.predicate.
  std::vector<std::string> predicates;
  /// Recorded as operationParameters.auto: the compaction runs after a write (auto
  /// compaction) rather than as a user's OPTIMIZE.
  bool auto_compact = false;
  /// Parquet encoding of the new files.
  parquet::WriterOptions parquet;
};

/// What an OPTIMIZE did (delta-spark's OptimizeMetrics, the parts this engine has).
struct OptimizeResult {
  /// The committed version; nullopt when there was nothing to compact (no commit).
  std::optional<int64_t> version;
  int64_t num_files_added = 0;
  int64_t num_files_removed = 0;
  int64_t num_bytes_added = 0;
  int64_t num_bytes_removed = 0;
  int64_t num_partitions_optimized = 0;
  /// Bins rewritten.
  int64_t num_batches = 0;
  /// Files in the selected partitions, and those of them left as they were.
  int64_t total_considered_files = 0;
  int64_t total_files_skipped = 0;
};

/// Compacts small files of the table's latest snapshot. Per partition, the files
/// smaller than min_file_size or with too many deleted rows (max_deleted_rows_ratio),
/// in ascending size, are grouped into bins of at most
/// max_file_size bytes; a bin of one file is left alone; each other bin is read
/// (rows and partition values as the scan reads them, deletion vectors applied) and
/// rewritten, with stats,
/// into files of about max_file_size. One commit removes the inputs and adds the new
/// files, all with dataChange=false, as operation OPTIMIZE with Delta's parameters
/// (predicate, zOrderBy, clusterBy, auto) and metrics (numAddedFiles,
/// numRemovedFiles, numAddedBytes, numRemovedBytes, min/p25/p50/p75/maxFileSize,
/// numDeletionVectorsRemoved). The commit records the input files as read, so a
/// concurrent append does not conflict but a concurrent delete or rewrite of an
/// input does (Conflict, the new files are deleted, nothing changes).
/// Running it again on its own output does nothing.
/// Errors: Invalid for non-positive sizes; NotImplemented for table features the
/// scan or the writer lack (naming them); the partition filter's errors; Conflict;
/// IOError from storage.
Result<OptimizeResult> Optimize(Table& table, const OptimizeOptions& options);

}  // namespace tributary::delta
