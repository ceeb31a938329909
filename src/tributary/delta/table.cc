#include "tributary/delta/table.h"

#include <chrono>
#include <set>

#include "tributary/base/json.h"
#include "tributary/base/uuid.h"
#include "tributary/columnar/schema_json.h"
#include "tributary/delta/partition.h"
#include "tributary/delta/protocol_support.h"
#include "tributary/delta/schema_evolution.h"

namespace tributary::delta {

using columnar::Field;
using columnar::TypeId;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string JsonStringArray(const std::vector<std::string>& values) {
  JsonWriter w;
  w.StartArray();
  for (const auto& v : values) w.String(v);
  w.EndArray();
  return w.Finish();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Finds the table at `path`: NotFound when there is none, Invalid when the directory
// holds something else.
Status CheckIsTable(io::FileSystem& fs, const std::string& path) {
  TRIB_ASSIGN_OR_RETURN(bool exists, fs.Exists(path));
  if (!exists) return Status::NotFound("there is no Delta table at '{}' (the path does not exist)", path);
  TRIB_ASSIGN_OR_RETURN(bool has_log, fs.Exists(io::JoinPath(path, "_delta_log")));
  if (has_log) return Status::OK();
  auto info = fs.Stat(path);
  if (info.ok() && !info->is_directory) {
    return Status::Invalid("'{}' exists but is not a Delta table (no _delta_log)", path);
  }
  TRIB_ASSIGN_OR_RETURN(auto entries, fs.ListDirectory(path));
  if (entries.empty()) {
    return Status::NotFound("there is no Delta table at '{}' (the directory is empty)", path);
  }
  return Status::Invalid("'{}' exists but is not a Delta table (no _delta_log)", path);
}

Status ValidateNewTable(const std::string& path, const columnar::Schema& schema,
                        std::vector<std::string>* partition_columns) {
  if (schema.num_fields() == 0) {
    return Status::Invalid("cannot create Delta table '{}' with an empty schema", path);
  }
  TRIB_RETURN_NOT_OK(CheckColumnNames(schema.fields(), path));
  std::set<std::string> seen;
  for (const Field& field : schema.fields()) {
    if (!seen.insert(Lower(field.name)).second) {
      return Status::Invalid(
          "cannot create Delta table '{}': column names must be unique ignoring case, '{}' "
          "appears twice",
          path, field.name);
    }
  }
  std::set<std::string> used;
  for (std::string& column : *partition_columns) {
    std::optional<int> index = schema.FieldIndex(column);
    if (!index) index = schema.FieldIndexIgnoreCase(column);
    if (!index) {
      return Status::Invalid(
          "cannot create Delta table '{}': partition column '{}' is not in the schema ({})", path,
          column, schema.ToDdl());
    }
    const Field& field = schema.field(*index);
    if (field.type->is_nested()) {
      return Status::Invalid(
          "cannot create Delta table '{}': partition column '{}' has nested type {}", path,
          field.name, field.type->DeltaName());
    }
    column = field.name;
    if (!used.insert(column).second) {
      return Status::Invalid("cannot create Delta table '{}': partition column '{}' is listed twice",
                             path, column);
    }
  }
  if (!partition_columns->empty() &&
      partition_columns->size() == static_cast<size_t>(schema.num_fields())) {
    return Status::Invalid(
        "cannot create Delta table '{}': all columns are partition columns; at least one column "
        "must be stored in the data files",
        path);
  }
  return Status::OK();
}

}  // namespace

Result<std::string> DataFilePath(std::string_view table_path, std::string_view add_path) {
  std::string_view rest = add_path;
  size_t colon = rest.find(':');
  size_t slash = rest.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    std::string_view scheme = rest.substr(0, colon);
    if (scheme != "file") {
      return Status::NotImplemented("data file '{}' of Delta table '{}' uses URI scheme '{}', which is not supported yet",
                                    add_path, table_path, scheme);
    }
    rest.remove_prefix(colon + 1);
    if (rest.starts_with("//")) rest.remove_prefix(2);  // file:///x -> /x (empty authority)
  }
  auto decoded = DecodePathUri(rest);
  if (!decoded.ok()) {
    return decoded.status().WithContext(fmt::format("Delta table '{}'", table_path));
  }
  if (decoded->starts_with("/")) return std::move(decoded).value();
  return io::JoinPath(table_path, *decoded);
}

Result<std::unique_ptr<Table>> Table::Open(std::shared_ptr<io::FileSystem> fs, std::string path) {
  TRIB_RETURN_NOT_OK(CheckIsTable(*fs, path));
  auto snapshot = LoadSnapshot(*fs, path, std::nullopt);
  if (!snapshot.ok()) {
    if (snapshot.status().IsNotFound()) {
      return Status::NotFound("there is no Delta table at '{}': {}", path,
                              snapshot.status().message());
    }
    return snapshot.status();
  }
  return std::unique_ptr<Table>(new Table(std::move(fs), std::move(path), std::move(snapshot).value()));
}

Result<std::unique_ptr<Table>> Table::Create(std::shared_ptr<io::FileSystem> fs, std::string path,
                                             const columnar::Schema& schema,
                                             std::vector<std::string> partition_columns,
                                             std::map<std::string, std::string> configuration) {
  auto existing = Open(fs, path);
  if (existing.ok() || !existing.status().IsNotFound()) return existing;
  TRIB_RETURN_NOT_OK(ValidateNewTable(path, schema, &partition_columns));
  TRIB_ASSIGN_OR_RETURN(Protocol protocol, ProtocolForNewTable(schema, configuration, path));

  int64_t now = NowMs();
  Metadata metadata;
  metadata.id = RandomUuid();
  metadata.schema_string = columnar::SchemaToJson(schema);
  metadata.partition_columns = partition_columns;
  metadata.configuration = configuration;
  metadata.created_time = now;

  JsonWriter info;
  info.StartObject();
  auto ict = configuration.find("delta.enableInCommitTimestamps");
  if (ict != configuration.end() && Lower(ict->second) == "true") {
    info.Key("inCommitTimestamp").Int(now);
  }
  info.Key("timestamp").Int(now);
  info.Key("operation").String("CREATE TABLE");
  info.Key("operationParameters").StartObject();
  info.Key("isManaged").String("false");
  info.Key("description").Null();
  info.Key("partitionBy").String(JsonStringArray(partition_columns));
  {
    JsonWriter properties;
    properties.StartObject();
    for (const auto& [key, value] : configuration) properties.Key(key).String(value);
    properties.EndObject();
    info.Key("properties").String(properties.Finish());
  }
  info.EndObject();
  info.Key("isolationLevel").String("Serializable");
  info.Key("isBlindAppend").Bool(true);
  info.Key("operationMetrics").StartObject().EndObject();
  info.Key("engineInfo").String(kEngineInfo);
  info.Key("txnId").String(RandomUuid());
  info.EndObject();

  std::vector<Action> actions;
  actions.emplace_back(CommitInfo{info.Finish()});
  actions.emplace_back(std::move(protocol));
  actions.emplace_back(std::move(metadata));
  TRIB_RETURN_NOT_OK(fs->CreateDirectories(io::JoinPath(path, "_delta_log")));
  Status put = fs->PutIfAbsent(io::JoinPath(path, CommitFileName(0)), CommitToJson(actions));
  if (!put.ok() && !put.IsAlreadyExists()) {
    return Status(put.code(), fmt::format("cannot create Delta table '{}': {}", path, put.message()));
  }
  // Either we wrote version 0 or another writer did: read what is there.
  return Open(std::move(fs), std::move(path));
}

Status Table::Refresh() {
  TRIB_ASSIGN_OR_RETURN(auto snapshot, UpdateSnapshot(*fs_, path_, snapshot_));
  snapshot_ = std::move(snapshot);
  return Status::OK();
}

void Table::Advance(std::shared_ptr<const Snapshot> snapshot) {
  if (snapshot->version() > snapshot_->version()) snapshot_ = std::move(snapshot);
}

Result<std::unique_ptr<AppendTransaction>> Table::NewAppend(AppendOptions options) {
  TRIB_RETURN_NOT_OK(CheckAppendSupported(*snapshot_, path_));
  if (!options.partition_by.empty()) {
    const auto& table_columns = snapshot_->partition_columns();
    bool same = options.partition_by.size() == table_columns.size();
    for (size_t i = 0; same && i < table_columns.size(); ++i) {
      same = Lower(options.partition_by[i]) == Lower(table_columns[i]);
    }
    if (!same) {
      return Status::Invalid(
          "cannot write to Delta table '{}': partitionBy {} does not match the table's partition "
          "columns {}",
          path_, JsonStringArray(options.partition_by), JsonStringArray(table_columns));
    }
  }
  if (options.target_file_size <= 0) {
    return Status::Invalid("cannot write to Delta table '{}': target file size must be positive, got {}",
                           path_, options.target_file_size);
  }
  return std::unique_ptr<AppendTransaction>(new AppendTransaction(this, snapshot_, std::move(options)));
}

}  // namespace tributary::delta
