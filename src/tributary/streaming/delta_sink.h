#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/delta/auto_compact.h"
#include "tributary/delta/table.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/sink.h"

namespace tributary::streaming {

/// The checked options of `writeStream.format("delta")`.
struct DeltaSinkOptions {
  std::string checkpoint_location;  // checkpointLocation (required), absolute
  std::string table_path;           // toTable(name) resolved under the warehouse, or path
  std::string table_name;           // as given to toTable, empty for a path
  bool merge_schema = false;        // mergeSchema
  std::vector<std::string> partition_by;
  delta::AppendOptions append;      // compression (snappy), targetFileSize (128m)
  delta::AutoCompactOptions auto_compact;  // autoCompact, autoCompact.*
};

/// The auto compaction options a sink takes (Databricks' spark.databricks.delta.
/// autoCompact.* confs, per query): autoCompact (true/auto/legacy/false; unset = the
/// table property delta.autoOptimize.autoCompact decides), autoCompact.minNumFiles
/// (50), autoCompact.maxFileSize (128m), autoCompact.minFileSize (maxFileSize / 2).
/// Errors: Invalid naming the option for a bad value.
Result<delta::AutoCompactOptions> ParseAutoCompactOptions(const OptionMap& options);

/// Runs auto compaction after a sink committed `version` of `table`. A conflict with a
/// concurrent writer is logged and left for the next commit: the batch is committed.
/// Errors: the other errors of delta::AutoCompact.
Status CompactAfterCommit(delta::Table& table, int64_t version, const delta::AutoCompactOptions& options);

/// Sink option names: checkpointLocation, mergeSchema, path, queryName, compression,
/// targetFileSize, the autoCompact options, plus Spark's txnAppId/txnVersion guards are NOT accepted here
/// (the sink sets the txn itself).
const OptionNames& DeltaSinkOptionNames();

/// Checks `plan.sink` for the Delta sink: known options only (Invalid naming the
/// first unknown one), checkpointLocation present, a table name or a path (not both
/// disagreeing), outputMode append (complete/update: NotImplemented).
Result<DeltaSinkOptions> ParseDeltaSinkOptions(const QueryPlan& plan);

/// Appends each batch to a Delta table with txn(appId = query id, version = batch id),
/// skipping batches the table already records for the query (Spark's DeltaSink).
class DeltaSink : public Sink {
 public:
  /// Opens the table, creating it with `schema` and the partition columns when absent.
  static Result<std::unique_ptr<DeltaSink>> Open(std::shared_ptr<io::FileSystem> fs, DeltaSinkOptions options,
                                                 const columnar::Schema& schema);

  std::string Description() const override { return "DeltaSink[" + options_.table_path + "]"; }
  Status AddBatch(const std::string& query_id, int64_t batch_id, const columnar::Schema& schema,
                  const BatchProducer& produce, int64_t* num_output_rows) override;

 private:
  DeltaSink(std::unique_ptr<delta::Table> table, DeltaSinkOptions options)
      : table_(std::move(table)), options_(std::move(options)) {}

  std::unique_ptr<delta::Table> table_;
  DeltaSinkOptions options_;
};

}  // namespace tributary::streaming
