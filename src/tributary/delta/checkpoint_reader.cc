#include "tributary/delta/checkpoint_reader.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/columnar/column.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/partition.h"
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
// a reader: deletion vectors, and the V2 checkpoint actions.
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

  // Appends the row's action to `out`; a sidecar's path goes to `sidecars`, or is
  // Corruption when `sidecars` is null (inside a sidecar file).
  Status Read(int64_t row, std::vector<Action>* out, std::vector<std::string>* sidecars) const {
    const Column& txn = *batch_.column(0);
    const Column& add = *batch_.column(1);
    const Column& remove = *batch_.column(2);
    const Column& metadata = *batch_.column(3);
    const Column& protocol = *batch_.column(4);
    const Column& checkpoint_metadata = *batch_.column(5);
    const Column& sidecar = *batch_.column(6);
    if (sidecar.IsValid(row) || checkpoint_metadata.IsValid(row)) {
      if (sidecars == nullptr) {
        return Status::Corruption("sidecar file '{}' row {}: holds a {} action", file_, row,
                                  sidecar.IsValid(row) ? "sidecar" : "checkpointMetadata");
      }
      // checkpointMetadata only says which version this is, which the name says too.
      if (sidecar.IsValid(row)) {
        TRIB_ASSIGN_OR_RETURN(std::string path, RequiredString(*sidecar.child(0), row, "sidecar.path"));
        sidecars->push_back(std::move(path));
      }
      return Status::OK();
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

// Reads the action rows of one Parquet checkpoint part or sidecar into `actions`.
Status ReadParquetActions(io::FileSystem& fs, const std::string& table_path, const std::string& file,
                          std::vector<Action>* actions, std::vector<std::string>* sidecars) {
  // The reader wants shared ownership; the file system outlives this call.
  std::shared_ptr<io::FileSystem> shared(&fs, [](io::FileSystem*) {});
  auto reader = parquet::FileReader::Open(shared, file);
  if (!reader.ok()) {
    if (reader.status().IsNotFound()) return reader.status();
    return Status::Corruption("Delta table '{}': cannot read checkpoint '{}': {}", table_path, file,
                              reader.status().message());
  }
  Status status = (*reader)->Read(ReadSchema(), [&](columnar::RecordBatchPtr batch) -> Status {
    RowReader rows(*batch, file);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      TRIB_RETURN_NOT_OK(rows.Read(row, actions, sidecars));
    }
    return Status::OK();
  });
  if (!status.ok() && !status.IsCorruption()) {
    return Status::Corruption("Delta table '{}': cannot read checkpoint '{}': {}", table_path, file,
                              status.message());
  }
  return status;
}

// Reads a V2 checkpoint's top-level JSON file: one action per line, as in a commit.
Status ReadJsonActions(io::FileSystem& fs, const std::string& table_path, const std::string& file,
                       std::vector<Action>* actions, std::vector<std::string>* sidecars) {
  auto content = fs.ReadFile(file);
  if (!content.ok()) {
    if (content.status().IsNotFound()) return content.status();
    return Status::Corruption("Delta table '{}': cannot read checkpoint '{}': {}", table_path, file,
                              content.status().message());
  }
  TRIB_ASSIGN_OR_RETURN(std::vector<Action> parsed, ParseCommit(*content, file));
  for (Action& action : parsed) {
    const auto* other = std::get_if<OtherAction>(&action);
    if (other != nullptr && other->kind == "sidecar") {
      auto body = ParseJson(other->json);
      const JsonValue* path = body.ok() ? body->Find("path") : nullptr;
      if (path == nullptr || !path->is_string()) {
        return Status::Corruption("checkpoint '{}': a sidecar action without a path: {}", file,
                                  other->json);
      }
      sidecars->push_back(path->string_value());
    } else if (other == nullptr || other->kind != "checkpointMetadata") {
      actions->push_back(std::move(action));
    }
  }
  return Status::OK();
}

// Sidecars always live in _delta_log/_sidecars; the action may hold the bare name
// (what writers are encouraged to store) or a full URI of the same file.
Result<std::string> SidecarFile(const std::string& table_path, std::string_view path) {
  if (size_t slash = path.rfind('/'); slash != std::string_view::npos) path.remove_prefix(slash + 1);
  TRIB_ASSIGN_OR_RETURN(std::string name, DecodePathUri(path));
  return io::JoinPath(table_path, "_delta_log/_sidecars/" + name);
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<CheckpointFiles> CompleteCheckpoints(int64_t version,
                                                 const std::vector<std::string>& names) {
  std::string prefix = fmt::format("{:020d}.checkpoint.", version);
  std::vector<CheckpointFiles> classic;
  std::vector<CheckpointFiles> uuid_named;
  std::map<int64_t, std::map<int64_t, std::string>> sets;  // part count -> part -> name
  for (const std::string& name : names) {
    if (!name.starts_with(prefix)) continue;
    std::string path = "_delta_log/" + name;
    std::string_view rest = std::string_view(name).substr(prefix.size());
    if (rest == "parquet") {
      classic.push_back(CheckpointFiles{version, {path}});
      continue;
    }
    bool json = rest.ends_with(".json");
    if (!json && !rest.ends_with(".parquet")) continue;
    rest.remove_suffix(json ? 5 : 8);
    size_t dot = rest.find('.');
    // <i>.<n> (10 digits each) for a part of a multi-part set, else a V2 UUID.
    if (!json && dot != std::string_view::npos && AllDigits(rest.substr(0, dot)) &&
        AllDigits(rest.substr(dot + 1))) {
      int64_t part = std::stoll(std::string(rest.substr(0, dot)));
      int64_t count = std::stoll(std::string(rest.substr(dot + 1)));
      sets[count][part] = path;
    } else if (dot == std::string_view::npos && !rest.empty()) {
      uuid_named.push_back(CheckpointFiles{version, {path}});
    }
  }
  std::vector<CheckpointFiles> result = std::move(classic);
  result.insert(result.end(), uuid_named.begin(), uuid_named.end());
  for (const auto& [count, parts] : sets) {
    if (count < 1 || static_cast<int64_t>(parts.size()) != count) continue;
    CheckpointFiles files{version, {}};
    for (int64_t i = 1; i <= count; ++i) {
      auto it = parts.find(i);
      if (it == parts.end()) break;
      files.parts.push_back(it->second);
    }
    if (static_cast<int64_t>(files.parts.size()) == count) result.push_back(std::move(files));
  }
  return result;
}

std::optional<int64_t> ReadLastCheckpointVersion(io::FileSystem& fs, const std::string& table_path) {
  std::string file = io::JoinPath(table_path, "_delta_log/_last_checkpoint");
  auto content = fs.ReadFile(file);
  if (!content.ok()) {
    if (!content.status().IsNotFound()) {
      log::Warn("Delta table '{}': ignoring '{}': {}", table_path, file, content.status().ToString());
    }
    return std::nullopt;
  }
  auto parsed = ParseJson(*content);
  const JsonValue* version = parsed.ok() && parsed->is_object() ? parsed->Find("version") : nullptr;
  if (version == nullptr || !version->is_int() || version->int_value() < 0) {
    log::Warn("Delta table '{}': ignoring '{}', which does not parse (torn write?); listing the log",
              table_path, file);
    return std::nullopt;
  }
  return version->int_value();
}

Result<std::vector<Action>> ReadCheckpoint(io::FileSystem& fs, const std::string& table_path,
                                           const CheckpointFiles& checkpoint) {
  std::vector<Action> actions;
  std::vector<std::string> sidecars;
  for (const std::string& part : checkpoint.parts) {
    std::string file = io::JoinPath(table_path, part);
    if (part.ends_with(".json")) {
      TRIB_RETURN_NOT_OK(ReadJsonActions(fs, table_path, file, &actions, &sidecars));
    } else {
      TRIB_RETURN_NOT_OK(ReadParquetActions(fs, table_path, file, &actions, &sidecars));
    }
  }
  std::string top_level = io::JoinPath(table_path, checkpoint.parts.front());
  for (const std::string& sidecar : sidecars) {
    TRIB_ASSIGN_OR_RETURN(std::string file, SidecarFile(table_path, sidecar));
    Status status = ReadParquetActions(fs, table_path, file, &actions, nullptr);
    if (status.IsNotFound()) {
      return Status::Corruption("Delta table '{}': checkpoint '{}' refers to sidecar file '{}', which is missing",
                                table_path, top_level, file);
    }
    TRIB_RETURN_NOT_OK(status);
  }
  return actions;
}

}  // namespace tributary::delta
