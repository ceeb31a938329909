#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"

namespace tributary::delta {

class Table;

/// How VACUUM runs (delta-spark's VacuumCommand, full mode).
struct VacuumOptions {
  /// RETAIN <hours> HOURS; nullopt = the table's delta.deletedFileRetentionDuration
  /// (default "interval 1 week"). Rounded to whole hours, as Delta does.
  std::optional<double> retain_hours;
  /// DRY RUN: list what would be deleted, delete nothing, commit nothing.
  bool dry_run = false;
  /// Allows a retention shorter than delta.deletedFileRetentionDuration: the
  /// equivalent of spark.databricks.delta.retentionDurationCheck.enabled=false.
  bool force = false;
  /// The current time in ms since the epoch; 0 = the system clock.
  int64_t now_ms = 0;
};

/// What VACUUM deleted (or, in a dry run, would delete).
struct VacuumResult {
  /// Absolute paths of the files and empty directories, in path order.
  std::vector<std::string> paths;
  /// Bytes of the files among `paths`.
  int64_t num_bytes = 0;
  /// Entries actually deleted (0 in a dry run); a directory that is no longer empty
  /// when its turn comes is kept and not counted.
  int64_t num_deleted = 0;
  /// Directories walked, the table root included.
  int64_t num_directories = 0;
  /// Files older than this (ms since the epoch) were eligible.
  int64_t delete_before_ms = 0;
  /// The VACUUM START / VACUUM END commits (nullopt in a dry run).
  std::optional<int64_t> start_version;
  std::optional<int64_t> end_version;
};

/// Deletes the files under the table directory that the latest version does not
/// reference (its data files and their deletion-vector files), that no tombstone
/// younger than the retention references, and whose modification time is older than
/// now - retention; then the directories that were empty. `_delta_log` and every
/// file or directory whose name starts with '_' or '.' are skipped (except partition
/// directories `<partition column>=...`, `_delta_index*` and `_change_data*`), as
/// Delta does. Outside a dry run, the deletion is bracketed by the empty commits
/// VACUUM START (retentionCheckEnabled, defaultRetentionMillis,
/// specifiedRetentionMillis; numFilesToDelete, sizeOfDataToDelete) and VACUUM END
/// (status COMPLETED or FAILED; numDeletedFiles, numVacuumedDirectories), which
/// delta-spark 4.0 writes by default on local, HDFS, Azure and GCS storage.
/// Errors: Invalid for a negative retention, for a retention shorter than
/// delta.deletedFileRetentionDuration without `force` (Delta's wording, naming the
/// safe number of hours), for a malformed retention property and for a malformed
/// deletion vector path; NotImplemented for table features the writer lacks; Conflict
/// from the START/END commits; IOError.
Result<VacuumResult> Vacuum(Table& table, const VacuumOptions& options);

}  // namespace tributary::delta
