#include "tributary/delta/append_transaction.h"

#include <algorithm>
#include <charconv>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/base/uuid.h"
#include "tributary/columnar/schema_json.h"
#include "tributary/delta/partition.h"
#include "tributary/delta/protocol_support.h"
#include "tributary/delta/schema_evolution.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {

using columnar::ColumnPtr;
using columnar::RecordBatch;

namespace {

int64_t IntProperty(const Snapshot& snapshot, std::string_view key, int64_t fallback) {
  std::string value = snapshot.Property(key, "");
  if (value.empty()) return fallback;
  int64_t number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    log::Warn("table property {}='{}' is not an integer; using {}", key, value, fallback);
    return fallback;
  }
  return number;
}

}  // namespace

struct AppendTransaction::OpenFile {
  std::string relative_path;  // decoded, relative to the table root
  PartitionValues partition_values;
  std::unique_ptr<io::OutputStream> stream;
  std::unique_ptr<parquet::FileWriter> writer;
  std::unique_ptr<StatsCollector> stats;
};

AppendTransaction::AppendTransaction(Table* table, std::shared_ptr<const Snapshot> snapshot,
                                     AppendOptions options)
    : table_(table), read_snapshot_(std::move(snapshot)), options_(std::move(options)) {
  stats_options_.num_indexed_cols =
      static_cast<int>(IntProperty(*read_snapshot_, "delta.dataSkippingNumIndexedCols", 32));
  stats_options_.stats_columns =
      ParseStatsColumns(read_snapshot_->Property("delta.dataSkippingStatsColumns", ""));
  write_schema_ = read_snapshot_->schema();
  partition_indices_.clear();
  data_indices_.clear();
  std::vector<columnar::Field> data_fields;
  for (int i = 0; i < write_schema_.num_fields(); ++i) {
    const auto& columns = read_snapshot_->partition_columns();
    if (std::find(columns.begin(), columns.end(), write_schema_.field(i).name) != columns.end()) {
      continue;
    }
    data_indices_.push_back(i);
    data_fields.push_back(write_schema_.field(i));
  }
  for (const std::string& column : read_snapshot_->partition_columns()) {
    partition_indices_.push_back(write_schema_.FieldIndex(column).value_or(-1));
  }
  data_schema_ = columnar::Schema(std::move(data_fields));
}

AppendTransaction::~AppendTransaction() = default;

Status AppendTransaction::Write(const RecordBatch& batch) {
  const std::string& path = table_->path();
  if (committed_) return Status::Invalid("append to Delta table '{}' was already committed", path);
  for (int index : partition_indices_) {
    if (index < 0) {
      return Status::Corruption("Delta table '{}': a partition column is not in the table schema",
                                path);
    }
  }
  TRIB_ASSIGN_OR_RETURN(MergedSchema merged, MergeSchemaForAppend(write_schema_, *batch.schema(),
                                                                  options_.merge_schema, path));
  if (!merged.new_columns.empty()) {
    // Files already open were written with the old schema: finish them first.
    TRIB_RETURN_NOT_OK(CloseAllFiles());
    write_schema_ = std::move(merged.schema);
    for (int i = static_cast<int>(data_indices_.size() + partition_indices_.size());
         i < write_schema_.num_fields(); ++i) {
      data_indices_.push_back(i);
    }
    std::vector<columnar::Field> data_fields;
    for (int index : data_indices_) data_fields.push_back(write_schema_.field(index));
    data_schema_ = columnar::Schema(std::move(data_fields));
    Metadata metadata = read_snapshot_->metadata();
    metadata.schema_string = columnar::SchemaToJson(write_schema_);
    new_metadata_ = std::move(metadata);
    new_protocol_ = ProtocolUpgradeFor(read_snapshot_->protocol(), write_schema_);
    log::Info("Delta table '{}': adding column(s) to the schema (mergeSchema)", path);
  }
  TRIB_ASSIGN_OR_RETURN(auto conformed, ConformBatch(batch, write_schema_, path));
  TRIB_ASSIGN_OR_RETURN(auto groups, GroupByPartition(*conformed, partition_indices_));
  auto data_schema = std::make_shared<columnar::Schema>(data_schema_);
  for (const PartitionGroup& group : groups) {
    if (group.rows.empty()) continue;
    std::vector<ColumnPtr> columns;
    bool all_rows = static_cast<int64_t>(group.rows.size()) == conformed->num_rows();
    for (int index : data_indices_) {
      columns.push_back(all_rows ? conformed->column(index) : TakeRows(*conformed->column(index), group.rows));
    }
    RecordBatch part(data_schema, static_cast<int64_t>(group.rows.size()), std::move(columns));
    TRIB_ASSIGN_OR_RETURN(OpenFile * file, FileFor(group.values));
    TRIB_RETURN_NOT_OK(file->writer->WriteBatch(part));
    file->stats->Update(part);
    num_output_rows_ += part.num_rows();
    if (file->writer->EstimatedFileSize() >= options_.target_file_size) {
      std::string key = PartitionDirectory(read_snapshot_->partition_columns(), group.values);
      TRIB_RETURN_NOT_OK(CloseFile(file));
      open_files_.erase(key);
    }
  }
  return Status::OK();
}

Result<AppendTransaction::OpenFile*> AppendTransaction::FileFor(
    const std::vector<std::optional<std::string>>& values) {
  const auto& columns = read_snapshot_->partition_columns();
  std::string directory = PartitionDirectory(columns, values);
  auto it = open_files_.find(directory);
  if (it != open_files_.end()) return it->second.get();
  auto file = std::make_unique<OpenFile>();
  std::string name =
      fmt::format("part-{:05d}-{}.c000{}.parquet", file_counter_++, RandomUuid(),
                  parquet::CompressionFileSuffix(options_.parquet.compression));
  file->relative_path = directory.empty() ? name : directory + "/" + name;
  for (size_t i = 0; i < columns.size(); ++i) file->partition_values[columns[i]] = values[i];
  std::string full_path = io::JoinPath(table_->path(), file->relative_path);
  TRIB_ASSIGN_OR_RETURN(file->stream, table_->fs().OpenOutputStream(full_path));
  auto writer = parquet::FileWriter::Make(data_schema_, file->stream.get(), options_.parquet);
  if (!writer.ok()) {
    return writer.status().WithContext(fmt::format("data file '{}'", full_path));
  }
  file->writer = std::move(writer).value();
  file->stats = std::make_unique<StatsCollector>(data_schema_, stats_options_);
  OpenFile* raw = file.get();
  open_files_.emplace(directory, std::move(file));
  return raw;
}

Status AppendTransaction::CloseFile(OpenFile* file) {
  std::string full_path = io::JoinPath(table_->path(), file->relative_path);
  Status status = file->writer->Close();
  if (status.ok()) status = file->stream->Close();
  if (!status.ok()) return status.WithContext(fmt::format("data file '{}'", full_path));
  TRIB_ASSIGN_OR_RETURN(io::FileInfo info, table_->fs().Stat(full_path));
  AddFile add;
  add.path = EncodePathUri(file->relative_path);
  add.partition_values = file->partition_values;
  add.size = info.size;
  add.modification_time = info.modification_time_ms;
  add.data_change = true;
  add.stats = file->stats->ToJson();
  num_output_bytes_ += info.size;
  adds_.push_back(std::move(add));
  return Status::OK();
}

Status AppendTransaction::CloseAllFiles() {
  for (auto& [directory, file] : open_files_) TRIB_RETURN_NOT_OK(CloseFile(file.get()));
  open_files_.clear();
  return Status::OK();
}

Result<std::vector<AddFile>> AppendTransaction::CloseFiles() {
  TRIB_RETURN_NOT_OK(CloseAllFiles());
  return adds_;
}

CommitOperation AppendTransaction::Operation(const std::optional<Txn>& txn) const {
  CommitOperation operation;
  if (txn) {
    operation.name = "STREAMING UPDATE";
    operation.parameters = {{"outputMode", options_.output_mode},
                            {"queryId", txn->app_id},
                            {"epochId", std::to_string(txn->version)}};
  } else {
    operation.name = "WRITE";
    JsonWriter partition_by;
    partition_by.StartArray();
    for (const auto& column : read_snapshot_->partition_columns()) partition_by.String(column);
    partition_by.EndArray();
    operation.parameters = {{"mode", "Append"}, {"partitionBy", partition_by.Finish()}};
  }
  operation.metrics = {{"numFiles", static_cast<int64_t>(adds_.size())},
                       {"numOutputRows", num_output_rows_},
                       {"numOutputBytes", num_output_bytes_}};
  operation.is_blind_append = true;
  return operation;
}

Result<int64_t> AppendTransaction::Commit(std::optional<Txn> txn) {
  if (committed_) {
    return Status::Invalid("append to Delta table '{}' was already committed", table_->path());
  }
  TRIB_RETURN_NOT_OK(CloseAllFiles());
  TRIB_ASSIGN_OR_RETURN(auto commit, Transaction::Begin(*table_, read_snapshot_));
  if (new_protocol_) commit->SetProtocol(*new_protocol_);
  if (new_metadata_) commit->SetMetadata(*new_metadata_);
  if (txn) commit->SetTxn(*txn);
  for (const AddFile& add : adds_) commit->Add(add);
  commit->SetOperation(Operation(txn));
  Result<int64_t> version = commit->Commit();
  // Committed, or found committed before: either way this batch is done.
  if (version.ok() || version.status().IsAlreadyExists()) committed_ = true;
  return version;
}

}  // namespace tributary::delta
