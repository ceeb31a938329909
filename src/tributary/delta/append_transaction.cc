#include "tributary/delta/append_transaction.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/base/uuid.h"
#include "tributary/columnar/schema_json.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/partition.h"
#include "tributary/delta/protocol_support.h"
#include "tributary/delta/schema_evolution.h"
#include "tributary/delta/table.h"

namespace tributary::delta {

using columnar::ColumnPtr;
using columnar::RecordBatch;

namespace {

constexpr int kMaxCommitAttempts = 100;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

// A table with the v2Checkpoint feature needs V2-spec checkpoints (with a
// checkpointMetadata action), which we do not write yet; checkpoints are optional.
bool WantsV2Checkpoints(const Snapshot& snapshot) {
  const auto& features = snapshot.protocol().writer_features;
  return features && std::find(features->begin(), features->end(), "v2Checkpoint") != features->end();
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

std::vector<Action> AppendTransaction::BuildActions(
    int64_t read_version, const std::optional<Txn>& txn,
    std::optional<int64_t> previous_commit_timestamp) const {
  int64_t now = NowMs();
  JsonWriter info;
  info.StartObject();
  std::string ict_property = read_snapshot_->Property("delta.enableInCommitTimestamps", "false");
  if (ict_property == "true" || ict_property == "TRUE" || ict_property == "True") {
    // In-commit timestamps must increase strictly from commit to commit.
    if (previous_commit_timestamp && *previous_commit_timestamp >= now) {
      now = *previous_commit_timestamp + 1;
    }
    info.Key("inCommitTimestamp").Int(now);
  }
  info.Key("timestamp").Int(now);
  info.Key("operation").String(txn ? "STREAMING UPDATE" : "WRITE");
  info.Key("operationParameters").StartObject();
  if (txn) {
    info.Key("outputMode").String(options_.output_mode);
    info.Key("queryId").String(txn->app_id);
    info.Key("epochId").String(std::to_string(txn->version));
  } else {
    info.Key("mode").String("Append");
    JsonWriter partition_by;
    partition_by.StartArray();
    for (const auto& column : read_snapshot_->partition_columns()) partition_by.String(column);
    partition_by.EndArray();
    info.Key("partitionBy").String(partition_by.Finish());
  }
  info.EndObject();
  info.Key("readVersion").Int(read_version);
  info.Key("isolationLevel").String("Serializable");
  info.Key("isBlindAppend").Bool(true);
  info.Key("operationMetrics").StartObject();
  info.Key("numFiles").String(std::to_string(adds_.size()));
  info.Key("numOutputRows").String(std::to_string(num_output_rows_));
  info.Key("numOutputBytes").String(std::to_string(num_output_bytes_));
  info.EndObject();
  info.Key("engineInfo").String(kEngineInfo);
  info.Key("txnId").String(RandomUuid());
  info.EndObject();

  std::vector<Action> actions;
  actions.emplace_back(CommitInfo{info.Finish()});
  if (new_protocol_) actions.emplace_back(*new_protocol_);
  if (new_metadata_) actions.emplace_back(*new_metadata_);
  if (txn) actions.emplace_back(SetTransaction{txn->app_id, txn->version, now});
  for (const AddFile& add : adds_) actions.emplace_back(add);
  return actions;
}

Result<int64_t> AppendTransaction::Commit(std::optional<Txn> txn) {
  const std::string& path = table_->path();
  if (committed_) return Status::Invalid("append to Delta table '{}' was already committed", path);
  TRIB_RETURN_NOT_OK(CloseAllFiles());
  if (txn) {
    std::optional<int64_t> done = read_snapshot_->TxnVersion(txn->app_id);
    if (done && *done >= txn->version) {
      committed_ = true;
      return Status::AlreadyExists(
          "Delta table '{}' already holds batch {} of application '{}' (its latest recorded "
          "version is {} at table version {}); the batch was committed before and is skipped",
          path, txn->version, txn->app_id, *done, read_snapshot_->version());
    }
  }
  int64_t version = read_snapshot_->version() + 1;
  std::optional<int64_t> previous_commit_timestamp = read_snapshot_->in_commit_timestamp();
  std::vector<std::vector<Action>> winners;
  for (int attempt = 0; attempt < kMaxCommitAttempts; ++attempt) {
    std::vector<Action> actions =
        BuildActions(read_snapshot_->version(), txn, previous_commit_timestamp);
    std::string commit_path = io::JoinPath(path, CommitFileName(version));
    Status put = table_->fs().PutIfAbsent(commit_path, CommitToJson(actions));
    if (put.ok()) {
      committed_ = true;
      Status after = AfterCommit(version, winners, actions);
      if (!after.ok()) {
        log::Warn("Delta table '{}': version {} committed, but the post-commit step failed: {}",
                  path, version, after.ToString());
      }
      return version;
    }
    if (!put.IsAlreadyExists()) {
      return put.WithContext(fmt::format("committing version {} of Delta table '{}'", version, path));
    }
    // Another writer won this version: see whether we may go after it.
    auto winner = ReadCommit(table_->fs(), path, version);
    if (!winner.ok()) return winner.status();
    for (const Action& action : *winner) {
      if (const auto* info = std::get_if<CommitInfo>(&action)) {
        previous_commit_timestamp = InCommitTimestamp(*info);
      }
      if (std::holds_alternative<Metadata>(action) || std::holds_alternative<Protocol>(action)) {
        return Status::Conflict(
            "Delta table '{}': concurrent commit {} changed the table's {}; this append read "
            "version {} and must be redone against the new table state",
            path, version, std::holds_alternative<Metadata>(action) ? "metadata" : "protocol",
            read_snapshot_->version());
      }
      if (const auto* other = std::get_if<SetTransaction>(&action);
          other != nullptr && txn && other->app_id == txn->app_id && other->version >= txn->version) {
        committed_ = true;
        return Status::AlreadyExists(
            "Delta table '{}': concurrent commit {} already recorded batch {} of application "
            "'{}'; the batch was committed by another writer and is skipped",
            path, version, other->version, txn->app_id);
      }
    }
    winners.push_back(std::move(winner).value());
    ++version;
  }
  return Status::Conflict("Delta table '{}': gave up committing after {} attempts lost to concurrent writers",
                          path, kMaxCommitAttempts);
}

Status AppendTransaction::AfterCommit(int64_t version,
                                      const std::vector<std::vector<Action>>& winners,
                                      const std::vector<Action>& ours) {
  const std::string& path = table_->path();
  SnapshotBuilder builder(*read_snapshot_);
  int64_t next = read_snapshot_->version() + 1;
  for (const auto& winner : winners) {
    TRIB_RETURN_NOT_OK(builder.Apply(next, winner, io::JoinPath(path, CommitFileName(next))));
    ++next;
  }
  TRIB_RETURN_NOT_OK(builder.Apply(version, ours, io::JoinPath(path, CommitFileName(version))));
  TRIB_ASSIGN_OR_RETURN(auto snapshot, builder.Finish(path));
  table_->Advance(snapshot);
  int64_t interval = IntProperty(*snapshot, "delta.checkpointInterval", 10);
  if (interval > 0 && version % interval == 0 && !WantsV2Checkpoints(*snapshot)) {
    // The commit has landed; a checkpoint only speeds up readers, so failing to write
    // one must not turn a committed batch into a failed one.
    Status checkpoint = WriteCheckpoint(table_->fs(), path, *snapshot);
    if (!checkpoint.ok()) log::Warn("table '{}': no checkpoint at version {}: {}", path, version, checkpoint.ToString());
  }
  return Status::OK();
}

}  // namespace tributary::delta
