#include "tributary/delta/checkpoint_reader.h"

#include "tributary/columnar/column.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/format/parquet/reader.h"

namespace tributary::delta {

using columnar::Column;
using columnar::DataType;
using columnar::Field;

namespace {

columnar::DataTypePtr DeletionVectorType() {
  return DataType::Struct({Field{"storageType", DataType::String()},
                           Field{"pathOrInlineDv", DataType::String()},
                           Field{"offset", DataType::Integer()},
                           Field{"sizeInBytes", DataType::Integer()},
                           Field{"cardinality", DataType::Long()}});
}

// The checkpoint schema Tributary writes, plus what other writers add that matters to
// a reader: deletion vectors, and the V2 checkpoint actions (to refuse them).
columnar::Schema ReadSchema() {
  columnar::Schema base = CheckpointSchema();
  std::vector<Field> fields;
  for (const Field& field : base.fields()) {
    if (field.name == "add" || field.name == "remove") {
      std::vector<Field> members = field.type->fields();
      members.push_back(Field{"deletionVector", DeletionVectorType()});
      fields.push_back(Field{field.name, DataType::Struct(std::move(members))});
    } else {
      fields.push_back(field);
    }
  }
  fields.push_back(Field{"checkpointMetadata", DataType::Struct({Field{"version", DataType::Long()}})});
  fields.push_back(Field{"sidecar", DataType::Struct({Field{"path", DataType::String()}})});
  return columnar::Schema(std::move(fields));
}

// Reads one row of the checkpoint's columns. The columns follow ReadSchema().
class RowReader {
 public:
  RowReader(const columnar::RecordBatch& batch, const std::string& file) : batch_(batch), file_(file) {}

  Status Read(int64_t row, std::vector<Action>* out) const {
    const Column& txn = *batch_.column(0);
    const Column& add = *batch_.column(1);
    const Column& remove = *batch_.column(2);
    const Column& metadata = *batch_.column(3);
    const Column& protocol = *batch_.column(4);
    const Column& checkpoint_metadata = *batch_.column(5);
    const Column& sidecar = *batch_.column(6);
    if (sidecar.IsValid(row) || checkpoint_metadata.IsValid(row)) {
      return Status::NotImplemented(
          "checkpoint '{}' is a V2 checkpoint ({} action); reading V2 checkpoints (feature "
          "v2Checkpoint) is not implemented yet",
          file_, sidecar.IsValid(row) ? "sidecar" : "checkpointMetadata");
    }
    if (txn.IsValid(row)) {
      SetTransaction t;
      TRIB_ASSIGN_OR_RETURN(t.app_id, RequiredString(*txn.child(0), row, "txn.appId"));
      TRIB_ASSIGN_OR_RETURN(t.version, RequiredLong(*txn.child(1), row, "txn.version"));
      t.last_updated = OptionalLong(*txn.child(2), row);
      out->emplace_back(std::move(t));
    }
    if (add.IsValid(row)) {
      AddFile a;
      TRIB_ASSIGN_OR_RETURN(a.path, RequiredString(*add.child(0), row, "add.path"));
      a.partition_values = PartitionMap(*add.child(1), row);
      TRIB_ASSIGN_OR_RETURN(a.size, RequiredLong(*add.child(2), row, "add.size"));
      a.modification_time = OptionalLong(*add.child(3), row).value_or(0);
      a.data_change = add.child(4)->IsValid(row) && add.child(4)->BoolValue(row);
      if (add.child(5)->IsValid(row)) a.stats = std::string(add.child(5)->StringValue(row));
      for (const auto& [key, value] : PartitionMap(*add.child(6), row)) {
        if (value) a.tags[key] = *value;
      }
      a.deletion_vector = DeletionVector(*add.child(7), row);
      if (a.deletion_vector) a.deletion_vector_id = a.deletion_vector->UniqueId();
      out->emplace_back(std::move(a));
    }
    if (remove.IsValid(row)) {
      RemoveFile r;
      TRIB_ASSIGN_OR_RETURN(r.path, RequiredString(*remove.child(0), row, "remove.path"));
      r.deletion_timestamp = OptionalLong(*remove.child(1), row);
      r.data_change = remove.child(2)->IsValid(row) && remove.child(2)->BoolValue(row);
      if (remove.child(3)->IsValid(row)) r.extended_file_metadata = remove.child(3)->BoolValue(row);
      if (remove.child(4)->IsValid(row)) r.partition_values = PartitionMap(*remove.child(4), row);
      r.size = OptionalLong(*remove.child(5), row);
      r.deletion_vector = DeletionVector(*remove.child(6), row);
      if (r.deletion_vector) r.deletion_vector_id = r.deletion_vector->UniqueId();
      out->emplace_back(std::move(r));
    }
    if (metadata.IsValid(row)) {
      Metadata m;
      TRIB_ASSIGN_OR_RETURN(m.id, RequiredString(*metadata.child(0), row, "metaData.id"));
      m.name = OptionalString(*metadata.child(1), row);
      m.description = OptionalString(*metadata.child(2), row);
      const Column& format = *metadata.child(3);
      if (format.IsValid(row)) {
        if (auto provider = OptionalString(*format.child(0), row)) m.format_provider = *provider;
        for (const auto& [key, value] : PartitionMap(*format.child(1), row)) {
          if (value) m.format_options[key] = *value;
        }
      }
      TRIB_ASSIGN_OR_RETURN(m.schema_string,
                            RequiredString(*metadata.child(4), row, "metaData.schemaString"));
      m.partition_columns = Strings(*metadata.child(5), row).value_or(std::vector<std::string>{});
      for (const auto& [key, value] : PartitionMap(*metadata.child(6), row)) {
        if (value) m.configuration[key] = *value;
      }
      m.created_time = OptionalLong(*metadata.child(7), row);
      out->emplace_back(std::move(m));
    }
    if (protocol.IsValid(row)) {
      Protocol p;
      TRIB_ASSIGN_OR_RETURN(int64_t reader,
                            RequiredLong(*protocol.child(0), row, "protocol.minReaderVersion"));
      TRIB_ASSIGN_OR_RETURN(int64_t writer,
                            RequiredLong(*protocol.child(1), row, "protocol.minWriterVersion"));
      p.min_reader_version = static_cast<int>(reader);
      p.min_writer_version = static_cast<int>(writer);
      p.reader_features = Strings(*protocol.child(2), row);
      p.writer_features = Strings(*protocol.child(3), row);
      out->emplace_back(std::move(p));
    }
    return Status::OK();
  }

 private:
  Result<std::string> RequiredString(const Column& column, int64_t row, const char* name) const {
    if (column.IsNull(row)) {
      return Status::Corruption("checkpoint '{}' row {}: '{}' is null", file_, row, name);
    }
    return std::string(column.StringValue(row));
  }
  Result<int64_t> RequiredLong(const Column& column, int64_t row, const char* name) const {
    std::optional<int64_t> value = OptionalLong(column, row);
    if (!value) return Status::Corruption("checkpoint '{}' row {}: '{}' is null", file_, row, name);
    return *value;
  }
  static std::optional<int64_t> OptionalLong(const Column& column, int64_t row) {
    if (column.IsNull(row)) return std::nullopt;
    if (column.type()->id() == columnar::TypeId::kInteger) return column.Value<int32_t>(row);
    return column.Value<int64_t>(row);
  }
  static std::optional<std::string> OptionalString(const Column& column, int64_t row) {
    if (column.IsNull(row)) return std::nullopt;
    return std::string(column.StringValue(row));
  }
  static std::optional<std::vector<std::string>> Strings(const Column& column, int64_t row) {
    if (column.IsNull(row)) return std::nullopt;
    std::vector<std::string> out;
    const Column& items = *column.child(0);
    for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
      if (items.IsValid(i)) out.emplace_back(items.StringValue(i));
    }
    return out;
  }
  static PartitionValues PartitionMap(const Column& column, int64_t row) {
    PartitionValues out;
    if (column.IsNull(row)) return out;
    const Column& entries = *column.child(0);
    const Column& keys = *entries.child(0);
    const Column& values = *entries.child(1);
    for (int32_t i = column.ListStart(row); i < column.ListEnd(row); ++i) {
      if (keys.IsNull(i)) continue;
      std::string key(keys.StringValue(i));
      if (values.IsNull(i)) {
        out[key] = std::nullopt;
      } else {
        out[key] = std::string(values.StringValue(i));
      }
    }
    return out;
  }
  static std::optional<DeletionVectorDescriptor> DeletionVector(const Column& dv, int64_t row) {
    if (dv.IsNull(row)) return std::nullopt;
    DeletionVectorDescriptor out;
    if (dv.child(0)->IsValid(row)) out.storage_type = dv.child(0)->StringValue(row);
    if (dv.child(1)->IsValid(row)) out.path_or_inline_dv = dv.child(1)->StringValue(row);
    if (dv.child(2)->IsValid(row)) out.offset = dv.child(2)->Value<int32_t>(row);
    if (dv.child(3)->IsValid(row)) out.size_in_bytes = dv.child(3)->Value<int32_t>(row);
    if (dv.child(4)->IsValid(row)) out.cardinality = dv.child(4)->Value<int64_t>(row);
    return out;
  }

  const columnar::RecordBatch& batch_;
  const std::string& file_;
};

}  // namespace

Result<std::vector<Action>> ReadCheckpoint(io::FileSystem& fs, const std::string& table_path,
                                           const CheckpointFiles& checkpoint) {
  // The reader wants shared ownership; the file system outlives this call.
  std::shared_ptr<io::FileSystem> shared(&fs, [](io::FileSystem*) {});
  columnar::Schema schema = ReadSchema();
  std::vector<Action> actions;
  for (const std::string& part : checkpoint.parts) {
    std::string file = io::JoinPath(table_path, part);
    auto reader = parquet::FileReader::Open(shared, file);
    if (!reader.ok()) {
      if (reader.status().IsNotFound()) return reader.status();
      return Status::Corruption("Delta table '{}': cannot read checkpoint '{}': {}", table_path, file,
                                reader.status().message());
    }
    Status status = (*reader)->Read(schema, [&](columnar::RecordBatchPtr batch) -> Status {
      RowReader rows(*batch, file);
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        TRIB_RETURN_NOT_OK(rows.Read(row, &actions));
      }
      return Status::OK();
    });
    if (!status.ok()) {
      if (status.IsNotImplemented() || status.IsCorruption()) return status;
      return Status::Corruption("Delta table '{}': cannot read checkpoint '{}': {}", table_path, file,
                                status.message());
    }
  }
  return actions;
}

}  // namespace tributary::delta
