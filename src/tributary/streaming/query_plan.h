#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/expr/expression.h"

namespace tributary::streaming {

/// When micro-batches run (Spark's Trigger).
struct TriggerSpec {
  enum class Kind {
    /// No trigger given: run batches back to back as data arrives, until stopped.
    kDefault,
    /// Trigger.ProcessingTime(interval): one batch per interval, until stopped.
    kProcessingTime,
    /// Trigger.Once(): one batch with everything available, ignoring rate limits, then stop.
    kOnce,
    /// Trigger.AvailableNow(): everything available at start, in rate-limited batches, then stop.
    kAvailableNow,
  };
  Kind kind = Kind::kDefault;
  int64_t interval_ms = 0;  // kProcessingTime only
};

/// `spark.readStream.format(...).options(...).schema(...).load(path)`.
struct SourceSpec {
  std::string format;             // "cloudFiles" or "kafka"
  std::string path;               // load(path)
  OptionMap options;              // as given, case-insensitive names
  std::optional<columnar::Schema> user_schema;  // .schema(...), when given
};

/// One step of the DataFrame chain between the source and the sink.
struct TransformStep {
  enum class Kind {
    kSelect,      // select(exprs) / selectExpr(...): `exprs` is the select list
    kWhere,       // where(cond) / filter(cond): `exprs[0]` is the predicate
    kWithColumn,  // withColumn(names[0], exprs[0])
    kDrop,        // drop(names...)
  };
  Kind kind = Kind::kSelect;
  std::vector<expr::ExprPtr> exprs;
  std::vector<std::string> names;
};

/// The rows of one micro-batch, as `foreachBatch` hands them over: whole in memory
/// (bounded by the source's rate limits), with the ids that make writes idempotent.
struct MicroBatch {
  columnar::SchemaPtr schema;
  std::vector<columnar::RecordBatchPtr> batches;
  int64_t batch_id = 0;
  std::string query_id;
  int64_t num_rows() const;
};

/// `foreachBatch(fn)`: runs on the query thread once per batch (again for a batch
/// re-run after a crash); an error fails the batch, nothing is committed to the
/// checkpoint, and a restart runs it again.
using ForeachBatchFunction = std::function<Status(const MicroBatch& batch)>;

/// One WHEN clause of a declared MERGE (the YAML sink's `merge:` block).
struct MergeClauseSpec {
  enum class Kind {
    kMatchedUpdate,            // whenMatched: update (assignments, or "*" when all)
    kMatchedDelete,            // whenMatched: delete
    kNotMatchedInsert,         // whenNotMatched: insert (assignments, or "*" when all)
    kNotMatchedBySourceUpdate, // whenNotMatchedBySource: update
    kNotMatchedBySourceDelete, // whenNotMatchedBySource: delete
  };
  Kind kind = Kind::kMatchedUpdate;
  std::optional<std::string> condition;
  bool all = false;  // update "*" / insert "*"
  /// Target column -> SQL expression over the target and source aliases.
  std::vector<std::pair<std::string, std::string>> assignments;
};

/// A sink that upserts every micro-batch into a Delta table with MERGE, idempotently
/// (txn appId = query id, version = batch id): what the seed's foreachBatch does.
struct MergeSinkSpec {
  std::string into;  // catalog.schema.table, or a path when it holds a '/'
  std::string condition;
  std::string target_alias = "t";
  std::string source_alias = "s";
  std::vector<MergeClauseSpec> clauses;
  /// `latestBy`: before merging, keep per merge key only the batch's latest row by this
  /// SQL expression (see KeepLatestPerKey); empty = merge the batch as it is.
  std::string latest_by;
  /// The key columns for latest_by; empty = the source side of the condition's
  /// equalities (MergeSourceKeys).
  std::vector<std::string> keys;
};

/// `df.writeStream.format(...).options(...).trigger(...).toTable(name) / .start(path)`.
struct SinkSpec {
  std::string format = "delta";
  std::optional<std::string> table_name;  // toTable("catalog.schema.table")
  std::optional<std::string> path;        // start(path) / option("path")
  OptionMap options;                      // checkpointLocation, mergeSchema, ...
  std::vector<std::string> partition_by;  // partitionBy(...)
  std::string output_mode = "append";     // outputMode(...)
  std::string query_name;                 // queryName(...)
  TriggerSpec trigger;
  /// foreachBatch(fn): when set, the batches go to `fn` instead of a table.
  ForeachBatchFunction foreach_batch;
  /// A declared MERGE (YAML): when set, the batches are merged into its table.
  std::optional<MergeSinkSpec> merge;
};

/// One streaming query, as the YAML pipeline and the C++ API both describe it.
struct QueryPlan {
  SourceSpec source;
  /// Applied to every source batch, in order, before the sink sees it.
  std::vector<TransformStep> transforms;
  SinkSpec sink;
  /// Root under which three-part table names resolve (warehouse/catalog/schema/table).
  std::string warehouse = "./warehouse";
};

}  // namespace tributary::streaming
