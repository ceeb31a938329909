#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/append_transaction.h"
#include "tributary/delta/table.h"

namespace tributary::delta {

/// One WHEN clause of a MERGE.
struct MergeClause {
  enum class Kind {
    kMatchedUpdate,
    kMatchedUpdateAll,
    kMatchedDelete,
    kNotMatchedInsert,
    kNotMatchedInsertAll,
    kNotMatchedBySourceUpdate,
    kNotMatchedBySourceDelete,
  };
  Kind kind = Kind::kMatchedUpdateAll;
  /// SQL over the target and source aliases ("s.op = 'U'"); none = always.
  std::optional<std::string> condition;
  /// Target column -> SQL expression over t and s ("amount" -> "t.amount + s.delta").
  /// Column names may carry the target alias ("t.amount"). Inserts leave unassigned
  /// columns null; updates leave them unchanged.
  std::vector<std::pair<std::string, std::string>> assignments;
};

/// A MERGE INTO target USING source ON condition, with Delta Lake's semantics.
struct MergeSpec {
  std::string target_alias = "t";
  std::string source_alias = "s";
  /// The ON condition; conjuncts `t.x = s.y` are used as hash-join keys and to skip
  /// target files, the whole condition decides the match.
  std::string condition;
  /// In order. Within each of matched / not matched / not matched by source, the
  /// first clause whose condition holds applies; only the last clause of each kind may
  /// omit its condition.
  std::vector<MergeClause> clauses;
  /// Idempotency: when the table already records a version >= txn.version for
  /// txn.app_id, nothing is done and the metrics say skipped.
  std::optional<Txn> txn;
  /// Spark's spark.databricks.delta.schema.autoMerge.enabled: UPDATE * / INSERT *
  /// add the source's columns missing from the target (top-level, nullable), and
  /// target columns missing from the source are kept (update) or null (insert).
  bool schema_evolution = false;
};

/// What a MERGE did (the numbers Delta records in operationMetrics).
struct MergeMetrics {
  int64_t num_source_rows = 0;
  int64_t num_target_rows_inserted = 0;
  int64_t num_target_rows_updated = 0;
  int64_t num_target_rows_deleted = 0;
  /// Unchanged rows rewritten because their file held a changed row.
  int64_t num_target_rows_copied = 0;
  int64_t num_target_files_added = 0;
  int64_t num_target_files_removed = 0;
  /// Target files read after skipping by partition values and stats.
  int64_t num_target_files_scanned = 0;
  int64_t num_target_files_total = 0;
  /// The committed table version (the current one when skipped).
  int64_t version = -1;
  bool skipped = false;
  int64_t execution_time_ms = 0;
};

/// Runs MERGE INTO `table` (alias spec.target_alias) USING `source` (batches of
/// `source_schema`, alias spec.source_alias) ON spec.condition, and commits the result
/// as one version (operation "MERGE"): files holding changed rows are rewritten
/// (copy-on-write: unchanged rows copied, updated rows written, deleted rows dropped),
/// inserts go to new files, partitioned tables keep rows in their partitions. A
/// concurrent commit that does not touch what the merge read is committed over; one
/// that does fails the merge with Delta's exception name (ConcurrentAppendException,
/// ConcurrentDeleteReadException, ...). The table is refreshed first.
/// Errors: Invalid for a malformed condition or assignment (naming it), a clause
/// other than the last of its kind without a condition, an unknown target column,
/// UPDATE * / INSERT * when the source lacks a target column (without
/// schema_evolution); Invalid starting with
/// DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE when several source rows
/// match one target row that a matched clause would update or delete; Conflict from
/// the commit; NotImplemented for tables this engine cannot read (CheckScanSupported)
/// or write (a writer feature it does not implement, column mapping in use, change
/// data feed). Rows a deletion vector deletes neither match nor are copied; a
/// rewritten file's remove carries its deletion vector.
Result<MergeMetrics> ExecuteMerge(Table& table, const columnar::Schema& source_schema,
                                  const std::vector<columnar::RecordBatchPtr>& source,
                                  const MergeSpec& spec);

}  // namespace tributary::delta
