#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/cli/table_command.h"
#include "tributary/delta/optimize.h"
#include "tributary/delta/snapshot.h"

namespace tributary::cli {

/// `tributary table optimize`'s options.
struct OptimizeArgs {
  TableArgs target;
  /// A Spark SQL predicate on partition columns only (OPTIMIZE ... WHERE).
  std::string where;
  /// spark.databricks.delta.optimize.maxFileSize; default 1 GiB.
  std::optional<int64_t> target_size;
  bool json = false;
};

/// `tributary table vacuum`'s options.
struct VacuumArgs {
  TableArgs target;
  /// RETAIN <hours> HOURS; default delta.deletedFileRetentionDuration.
  std::optional<double> retain_hours;
  bool dry_run = false;
  bool force = false;
  bool json = false;
};

/// The partitions `sql` (a Spark SQL predicate) selects, for OPTIMIZE ... WHERE: it may
/// reference partition columns only and is evaluated on each partition's values.
/// Errors: Invalid for a parse error, a non-partition column (Delta's wording, listing
/// the partition columns), an unknown column or a non-boolean predicate.
Result<delta::PartitionFilter> PartitionFilterFromSql(const std::string& sql, const delta::Snapshot& snapshot);

/// Each subcommand: prints to `out`, errors to stderr; returns the exit code.
int OptimizeTable(const OptimizeArgs& args, std::FILE* out);
int VacuumTable(const VacuumArgs& args, std::FILE* out);

}  // namespace tributary::cli
