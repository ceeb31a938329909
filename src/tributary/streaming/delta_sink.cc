#include "tributary/streaming/delta_sink.h"

#include "tributary/base/ascii.h"
#include "tributary/base/log.h"
#include "tributary/catalog/table_name.h"
#include "tributary/streaming/checkpoint.h"

namespace tributary::streaming {

const OptionNames& DeltaSinkOptionNames() {
  // parquet.* are the Parquet writer settings Spark passes through to parquet-mr.
  static const OptionNames names = {"checkpointLocation",        "mergeSchema",
                                    "path",                      "queryName",
                                    "compression",               "targetFileSize",
                                    "parquet.block.size",        "parquet.page.size",
                                    "parquet.enable.dictionary", "autoCompact",
                                    "autoCompact.minNumFiles",   "autoCompact.maxFileSize",
                                    "autoCompact.minFileSize"};
  return names;
}

Result<delta::AutoCompactOptions> ParseAutoCompactOptions(const OptionMap& options) {
  delta::AutoCompactOptions out;
  if (auto enabled = options.Get("autoCompact")) {
    TRIB_RETURN_NOT_OK(delta::CheckAutoCompactValue(*enabled, "option 'autoCompact'"));
    out.enabled = *enabled;
  }
  TRIB_ASSIGN_OR_RETURN(out.min_num_files, options.GetInt("autoCompact.minNumFiles", out.min_num_files));
  if (out.min_num_files < 0) return Status::Invalid("option 'autoCompact.minNumFiles' must not be negative");
  TRIB_ASSIGN_OR_RETURN(std::optional<int64_t> max_size, options.GetByteSize("autoCompact.maxFileSize"));
  if (max_size) {
    if (*max_size <= 0) return Status::Invalid("option 'autoCompact.maxFileSize' must be positive");
    out.max_file_size = *max_size;
  }
  TRIB_ASSIGN_OR_RETURN(out.min_file_size, options.GetByteSize("autoCompact.minFileSize"));
  if (out.min_file_size && *out.min_file_size < 0) {
    return Status::Invalid("option 'autoCompact.minFileSize' must not be negative");
  }
  return out;
}

Status CompactAfterCommit(delta::Table& table, int64_t version, const delta::AutoCompactOptions& options) {
  auto compacted = delta::AutoCompact(table, version, options);
  if (compacted.ok() || !compacted.status().IsConflict()) return compacted.status();
  log::Warn("Delta table '{}': auto compaction after version {} lost to a concurrent writer and is left for a "
            "later commit: {}",
            table.path(), version, compacted.status().ToString());
  return Status::OK();
}

Result<DeltaSinkOptions> ParseDeltaSinkOptions(const QueryPlan& plan) {
  const SinkSpec& sink = plan.sink;
  if (!EqualsIgnoreCase(sink.format, "delta")) {
    return Status::NotImplemented("sink format '{}' is not supported yet (delta is)", sink.format);
  }
  TRIB_RETURN_NOT_OK(sink.options.CheckKnown(DeltaSinkOptionNames(), "the delta sink"));
  if (!EqualsIgnoreCase(sink.output_mode, "append")) {
    return Status::NotImplemented("outputMode '{}' is not supported by the delta sink yet (append is)",
                                  sink.output_mode);
  }
  DeltaSinkOptions out;
  TRIB_ASSIGN_OR_RETURN(out.checkpoint_location, CheckpointLocationOption(sink.options));
  std::optional<std::string> path = sink.path;
  if (path && path->empty()) path.reset();
  if (auto option_path = sink.options.Get("path")) {
    if (path && *path != *option_path) {
      return Status::Invalid("option 'path' ('{}') disagrees with start(path) ('{}')", *option_path, *path);
    }
    path = option_path;
  }
  if (sink.table_name && path) {
    return Status::Invalid("the delta sink got both toTable('{}') and path '{}'; give one", *sink.table_name, *path);
  }
  if (sink.table_name) {
    TRIB_ASSIGN_OR_RETURN(out.table_path, catalog::ResolveTablePath(plan.warehouse, *sink.table_name));
    out.table_path = io::AbsolutePath(out.table_path);
    out.table_name = *sink.table_name;
  } else if (path && !path->empty()) {
    out.table_path = io::AbsolutePath(*path);
  } else {
    return Status::Invalid("the delta sink needs a table: toTable(name), start(path) or option 'path'");
  }
  TRIB_ASSIGN_OR_RETURN(out.merge_schema, sink.options.GetBool("mergeSchema", false));
  out.partition_by = sink.partition_by;
  out.append.partition_by = sink.partition_by;
  out.append.merge_schema = out.merge_schema;
  if (auto compression = sink.options.Get("compression")) {
    auto codec = parquet::CompressionFromString(*compression);
    if (!codec.ok()) return codec.status().WithContext("option 'compression'");
    out.append.parquet.compression = *codec;
  }
  TRIB_ASSIGN_OR_RETURN(std::optional<int64_t> target, sink.options.GetByteSize("targetFileSize"));
  if (target) {
    if (*target <= 0) return Status::Invalid("option 'targetFileSize' must be positive");
    out.append.target_file_size = *target;
  }
  TRIB_ASSIGN_OR_RETURN(std::optional<int64_t> row_group, sink.options.GetByteSize("parquet.block.size"));
  if (row_group) {
    if (*row_group <= 0) return Status::Invalid("option 'parquet.block.size' must be positive");
    out.append.parquet.row_group_size_bytes = *row_group;
  }
  TRIB_ASSIGN_OR_RETURN(std::optional<int64_t> page, sink.options.GetByteSize("parquet.page.size"));
  if (page) {
    if (*page <= 0) return Status::Invalid("option 'parquet.page.size' must be positive");
    out.append.parquet.data_page_size_bytes = *page;
  }
  TRIB_ASSIGN_OR_RETURN(out.append.parquet.dictionary, sink.options.GetBool("parquet.enable.dictionary", true));
  TRIB_ASSIGN_OR_RETURN(out.auto_compact, ParseAutoCompactOptions(sink.options));
  out.auto_compact.parquet = out.append.parquet;
  return out;
}

Result<std::unique_ptr<DeltaSink>> DeltaSink::Open(std::shared_ptr<io::FileSystem> fs, DeltaSinkOptions options,
                                                   const columnar::Schema& schema) {
  auto table = delta::Table::Open(fs, options.table_path);
  if (!table.ok() && table.status().IsNotFound()) {
    if (options.table_name.empty()) {
      log::Info("creating Delta table at '{}'", options.table_path);
    } else {
      log::Info("creating Delta table '{}' at '{}'", options.table_name, options.table_path);
    }
    table = delta::Table::Create(fs, options.table_path, schema, options.partition_by, {});
  }
  if (!table.ok()) return table.status();
  return std::unique_ptr<DeltaSink>(new DeltaSink(std::move(*table), std::move(options)));
}

Status DeltaSink::AddBatch(const std::string& query_id, int64_t batch_id, const columnar::Schema& schema,
                           const BatchProducer& produce, int64_t* num_output_rows) {
  *num_output_rows = 0;
  TRIB_RETURN_NOT_OK(table_->Refresh());
  std::optional<int64_t> recorded = table_->snapshot().TxnVersion(query_id);
  if (recorded && *recorded >= batch_id) {
    log::Info("delta sink '{}': skipping batch {} of query {}, already committed (txn version {})",
              options_.table_path, batch_id, query_id, *recorded);
    return Status::OK();
  }
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::AppendTransaction> txn, table_->NewAppend(options_.append));
  TRIB_RETURN_NOT_OK(produce([&](columnar::RecordBatchPtr batch) -> Status { return txn->Write(*batch); }));
  auto version = txn->Commit(delta::Txn{query_id, batch_id});
  if (!version.ok()) {
    if (version.status().IsAlreadyExists()) {
      log::Info("delta sink '{}': batch {} of query {} was committed concurrently; skipped", options_.table_path,
                batch_id, query_id);
      return Status::OK();
    }
    return version.status();
  }
  *num_output_rows = txn->num_output_rows();
  return CompactAfterCommit(*table_, *version, options_.auto_compact);
}

}  // namespace tributary::streaming
