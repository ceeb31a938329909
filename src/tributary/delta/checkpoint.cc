#include "tributary/delta/checkpoint.h"

#include <chrono>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/delta/log_cleanup.h"
#include "tributary/delta/table_properties.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::delta {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;

namespace {

DataTypePtr StringMap() { return DataType::Map(DataType::String(), DataType::String(), true); }
DataTypePtr StringArray() { return DataType::Array(DataType::String(), true); }

// Collects the file in memory so that it can be published with one atomic write.
class StringOutputStream : public io::OutputStream {
 public:
  Status Write(const void* data, size_t length) override {
    buffer_.append(static_cast<const char*>(data), length);
    return Status::OK();
  }
  int64_t Tell() const override { return static_cast<int64_t>(buffer_.size()); }
  Status Close() override { return Status::OK(); }
  std::string& buffer() { return buffer_; }

 private:
  std::string buffer_;
};

void AppendStringMap(ColumnBuilder& builder, const std::map<std::string, std::string>& map) {
  ColumnBuilder& entries = builder.child(0);
  for (const auto& [key, value] : map) {
    entries.child(0).AppendString(key);
    entries.child(1).AppendString(value);
    entries.AppendStructValid();
  }
  builder.AppendListEnd();
}

void AppendPartitionValues(ColumnBuilder& builder, const PartitionValues& values) {
  ColumnBuilder& entries = builder.child(0);
  for (const auto& [key, value] : values) {
    entries.child(0).AppendString(key);
    if (value) {
      entries.child(1).AppendString(*value);
    } else {
      entries.child(1).AppendNull();
    }
    entries.AppendStructValid();
  }
  builder.AppendListEnd();
}

void AppendStrings(ColumnBuilder& builder, const std::optional<std::vector<std::string>>& values) {
  if (!values) {
    builder.AppendNull();
    return;
  }
  for (const auto& value : *values) builder.child(0).AppendString(value);
  builder.AppendListEnd();
}

void AppendOptionalInt(ColumnBuilder& builder, const std::optional<int64_t>& value) {
  if (value) {
    builder.AppendInt(*value);
  } else {
    builder.AppendNull();
  }
}

void AppendOptionalString(ColumnBuilder& builder, const std::optional<std::string>& value) {
  if (value) {
    builder.AppendString(*value);
  } else {
    builder.AppendNull();
  }
}

}  // namespace

columnar::Schema CheckpointSchema() {
  auto txn = DataType::Struct({Field{"appId", DataType::String()}, Field{"version", DataType::Long()},
                               Field{"lastUpdated", DataType::Long()}});
  auto add = DataType::Struct({Field{"path", DataType::String()},
                               Field{"partitionValues", StringMap()},
                               Field{"size", DataType::Long()},
                               Field{"modificationTime", DataType::Long()},
                               Field{"dataChange", DataType::Boolean()},
                               Field{"stats", DataType::String()}, Field{"tags", StringMap()}});
  auto remove = DataType::Struct({Field{"path", DataType::String()},
                                  Field{"deletionTimestamp", DataType::Long()},
                                  Field{"dataChange", DataType::Boolean()},
                                  Field{"extendedFileMetadata", DataType::Boolean()},
                                  Field{"partitionValues", StringMap()},
                                  Field{"size", DataType::Long()}});
  auto format = DataType::Struct({Field{"provider", DataType::String()}, Field{"options", StringMap()}});
  auto metadata = DataType::Struct({Field{"id", DataType::String()}, Field{"name", DataType::String()},
                                    Field{"description", DataType::String()}, Field{"format", format},
                                    Field{"schemaString", DataType::String()},
                                    Field{"partitionColumns", StringArray()},
                                    Field{"configuration", StringMap()},
                                    Field{"createdTime", DataType::Long()}});
  auto protocol = DataType::Struct({Field{"minReaderVersion", DataType::Integer()},
                                    Field{"minWriterVersion", DataType::Integer()},
                                    Field{"readerFeatures", StringArray()},
                                    Field{"writerFeatures", StringArray()}});
  return columnar::Schema({Field{"txn", txn}, Field{"add", add}, Field{"remove", remove},
                           Field{"metaData", metadata}, Field{"protocol", protocol}});
}

Status WriteCheckpoint(io::FileSystem& fs, const std::string& table_path, const Snapshot& snapshot) {
  if (!snapshot.unmodelled_action_kinds().empty()) {
    return Status::NotImplemented(
        "Delta table '{}': not writing a checkpoint at version {}: the log holds '{}' actions, "
        "which Tributary's checkpoints do not carry yet",
        table_path, snapshot.version(), snapshot.unmodelled_action_kinds().front());
  }
  for (const AddFile& add : snapshot.files()) {
    if (!add.deletion_vector_id.empty()) {
      return Status::NotImplemented(
          "Delta table '{}': not writing a checkpoint at version {}: file '{}' has a deletion "
          "vector, which Tributary's checkpoints do not carry yet",
          table_path, snapshot.version(), add.path);
    }
  }
  auto schema = std::make_shared<columnar::Schema>(CheckpointSchema());
  std::vector<ColumnBuilder> builders;
  for (const Field& field : schema->fields()) builders.emplace_back(field.type);
  ColumnBuilder& txn = builders[0];
  ColumnBuilder& add = builders[1];
  ColumnBuilder& remove = builders[2];
  ColumnBuilder& metadata = builders[3];
  ColumnBuilder& protocol = builders[4];
  int64_t rows = 0;
  auto finish_row = [&](ColumnBuilder* present) {
    for (ColumnBuilder& builder : builders) {
      if (&builder != present) builder.AppendNull();
    }
    ++rows;
  };

  const Protocol& p = snapshot.protocol();
  protocol.child(0).AppendInt(p.min_reader_version);
  protocol.child(1).AppendInt(p.min_writer_version);
  AppendStrings(protocol.child(2), p.reader_features);
  AppendStrings(protocol.child(3), p.writer_features);
  protocol.AppendStructValid();
  finish_row(&protocol);

  const Metadata& m = snapshot.metadata();
  metadata.child(0).AppendString(m.id);
  AppendOptionalString(metadata.child(1), m.name);
  AppendOptionalString(metadata.child(2), m.description);
  metadata.child(3).child(0).AppendString(m.format_provider);
  AppendStringMap(metadata.child(3).child(1), m.format_options);
  metadata.child(3).AppendStructValid();
  metadata.child(4).AppendString(m.schema_string);
  AppendStrings(metadata.child(5), m.partition_columns);
  AppendStringMap(metadata.child(6), m.configuration);
  AppendOptionalInt(metadata.child(7), m.created_time);
  metadata.AppendStructValid();
  finish_row(&metadata);

  for (const auto& [app_id, t] : snapshot.transactions()) {
    txn.child(0).AppendString(t.app_id);
    txn.child(1).AppendInt(t.version);
    AppendOptionalInt(txn.child(2), t.last_updated);
    txn.AppendStructValid();
    finish_row(&txn);
  }
  for (const AddFile& a : snapshot.files()) {
    add.child(0).AppendString(a.path);
    AppendPartitionValues(add.child(1), a.partition_values);
    add.child(2).AppendInt(a.size);
    add.child(3).AppendInt(a.modification_time);
    add.child(4).AppendBool(a.data_change);
    if (a.stats.empty()) {
      add.child(5).AppendNull();
    } else {
      add.child(5).AppendString(a.stats);
    }
    if (a.tags.empty()) {
      add.child(6).AppendNull();
    } else {
      AppendStringMap(add.child(6), a.tags);
    }
    add.AppendStructValid();
    finish_row(&add);
  }
  // A malformed retention keeps every tombstone: keeping one too many is harmless.
  Result<int64_t> retention = IntervalProperty(
      snapshot.configuration(), kDeletedFileRetentionDuration, kDefaultDeletedFileRetentionDuration);
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  for (const RemoveFile& r : snapshot.tombstones()) {
    // Expired tombstones only matter to VACUUM, which may then delete those files anyway.
    if (retention.ok() && r.deletion_timestamp && *r.deletion_timestamp < now - *retention) continue;
    remove.child(0).AppendString(r.path);
    AppendOptionalInt(remove.child(1), r.deletion_timestamp);
    remove.child(2).AppendBool(false);  // checkpoints carry tombstones only, not data changes
    if (r.extended_file_metadata) {
      remove.child(3).AppendBool(*r.extended_file_metadata);
    } else {
      remove.child(3).AppendNull();
    }
    if (r.partition_values) {
      AppendPartitionValues(remove.child(4), *r.partition_values);
    } else {
      remove.child(4).AppendNull();
    }
    AppendOptionalInt(remove.child(5), r.size);
    remove.AppendStructValid();
    finish_row(&remove);
  }

  std::vector<columnar::ColumnPtr> columns;
  for (ColumnBuilder& builder : builders) columns.push_back(builder.Finish());
  columnar::RecordBatch batch(schema, rows, std::move(columns));

  StringOutputStream sink;
  parquet::WriterOptions options;
  options.compression = parquet::Compression::kSnappy;
  TRIB_ASSIGN_OR_RETURN(auto writer, parquet::FileWriter::Make(*schema, &sink, options));
  TRIB_RETURN_NOT_OK(writer->WriteBatch(batch));
  TRIB_RETURN_NOT_OK(writer->Close());
  int64_t size_in_bytes = sink.Tell();
  TRIB_RETURN_NOT_OK(fs.WriteFileAtomic(io::JoinPath(table_path, CheckpointFileName(snapshot.version())),
                                        sink.buffer()));

  JsonWriter last;
  last.StartObject();
  last.Key("version").Int(snapshot.version());
  last.Key("size").Int(rows);
  last.Key("sizeInBytes").Int(size_in_bytes);
  last.Key("numOfAddFiles").Int(static_cast<int64_t>(snapshot.files().size()));
  last.EndObject();
  return fs.WriteFileAtomic(io::JoinPath(table_path, "_delta_log/_last_checkpoint"), last.Finish());
}

Status WriteCheckpointAndCleanUp(io::FileSystem& fs, const std::string& table_path,
                                 const Snapshot& snapshot) {
  TRIB_RETURN_NOT_OK(WriteCheckpoint(fs, table_path, snapshot));
  auto cleanup = CleanUpExpiredLogs(fs, table_path, snapshot);
  if (!cleanup.ok()) {
    log::Warn("Delta table '{}': log cleanup after the checkpoint of version {} failed: {}",
              table_path, snapshot.version(), cleanup.status().ToString());
  } else if (cleanup->files_deleted > 0) {
    log::Info("Delta table '{}': log cleanup deleted {} files before checkpoint {}", table_path,
              cleanup->files_deleted, *cleanup->kept_checkpoint);
  }
  return Status::OK();
}

}  // namespace tributary::delta
