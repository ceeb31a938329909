#include "tributary/streaming/cloud_files/schema_store.h"

#include <charconv>

#include "tributary/base/json.h"
#include "tributary/columnar/schema_json.h"

namespace tributary::cloud_files {

std::string SchemaStore::VersionPath(int64_t version) const {
  return io::JoinPath(io::JoinPath(location_, "_schemas"), std::to_string(version));
}

Result<std::optional<SchemaVersion>> SchemaStore::LoadLatest() const {
  std::string dir = io::JoinPath(location_, "_schemas");
  auto entries = fs_->ListDirectory(dir);
  if (!entries.ok()) {
    if (entries.status().IsNotFound()) return std::optional<SchemaVersion>();
    return entries.status();
  }
  std::optional<int64_t> latest;
  for (const io::FileInfo& entry : *entries) {
    std::string_view name = entry.path;
    name = name.substr(name.rfind('/') + 1);
    int64_t version = 0;
    auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), version);
    if (error != std::errc() || end != name.data() + name.size() || entry.is_directory) continue;
    if (!latest || version > *latest) latest = version;
  }
  if (!latest) return std::optional<SchemaVersion>();
  std::string path = VersionPath(*latest);
  TRIB_ASSIGN_OR_RETURN(std::string content, fs_->ReadFile(path));
  size_t newline = content.find('\n');
  if (newline == std::string::npos || content.substr(0, newline) != "v1") {
    return Status::Corruption("schema file '{}' does not start with 'v1'", path);
  }
  auto json = ParseJson(std::string_view(content).substr(newline + 1));
  if (!json.ok()) return Status::Corruption("schema file '{}' is not JSON: {}", path, json.status().message());
  SchemaVersion schema;
  schema.version = *latest;
  auto data_json = json->GetString("dataSchemaJson");
  if (!data_json.ok()) return Status::Corruption("schema file '{}': {}", path, data_json.status().message());
  auto data = columnar::SchemaFromJson(*data_json);
  if (!data.ok()) return Status::Corruption("schema file '{}': dataSchemaJson: {}", path, data.status().message());
  schema.data_schema = std::move(*data);
  if (const JsonValue* partition_json = json->Find("partitionSchemaJson"); partition_json && partition_json->is_string()) {
    auto partition = columnar::SchemaFromJson(partition_json->string_value());
    if (!partition.ok()) {
      return Status::Corruption("schema file '{}': partitionSchemaJson: {}", path, partition.status().message());
    }
    schema.partition_schema = std::move(*partition);
  }
  return std::optional<SchemaVersion>(std::move(schema));
}

Status SchemaStore::Write(const SchemaVersion& schema) const {
  JsonWriter writer;
  writer.StartObject()
      .Key("dataSchemaJson")
      .String(columnar::SchemaToJson(schema.data_schema))
      .Key("partitionSchemaJson")
      .String(columnar::SchemaToJson(schema.partition_schema))
      .EndObject();
  TRIB_RETURN_NOT_OK(fs_->CreateDirectories(io::JoinPath(location_, "_schemas")));
  return fs_->PutIfAbsent(VersionPath(schema.version), "v1\n" + writer.Finish());
}

}  // namespace tributary::cloud_files
