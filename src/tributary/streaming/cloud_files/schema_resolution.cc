#include "tributary/streaming/cloud_files/schema_resolution.h"

#include <charconv>
#include <cstdlib>

#include "tributary/base/log.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/temporal.h"
#include "tributary/format/schema_hints.h"
#include "tributary/format/type_merge.h"
#include "tributary/io/compressed_input.h"

namespace tributary::cloud_files {

namespace {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::Schema;
using columnar::TypeId;

// Hive-style keys shared by every file, in path order; empty when files disagree.
std::vector<std::string> CommonPartitionKeys(const std::string& root, const std::vector<DiscoveredFile>& files) {
  std::optional<std::vector<std::string>> keys;
  for (const DiscoveredFile& file : files) {
    std::vector<std::string> file_keys;
    for (auto& [key, value] : PartitionValues(root, file.path)) file_keys.push_back(key);
    if (!keys) {
      keys = std::move(file_keys);
    } else if (*keys != file_keys) {
      log::Warn("cloudFiles: files under '{}' have different partition directories; no partition columns inferred",
                root);
      return {};
    }
  }
  return keys.value_or(std::vector<std::string>{});
}

Result<Schema> ApplyHints(const Schema& schema, const std::optional<std::string>& hints) {
  if (!hints) return schema;
  auto applied = format::ApplySchemaHints(schema, *hints);
  if (!applied.ok()) return applied.status().WithContext("option 'cloudFiles.schemaHints'");
  return applied;
}

Result<columnar::ColumnPtr> ConstantColumn(const columnar::DataTypePtr& type, const std::optional<std::string>& text,
                                           int64_t rows) {
  columnar::ColumnBuilder builder(type);
  if (!text) {
    for (int64_t i = 0; i < rows; ++i) builder.AppendNull();
    return builder.Finish();
  }
  const std::string& value = *text;
  std::optional<int64_t> integer;
  std::optional<double> real;
  std::optional<bool> boolean;
  switch (type->id()) {
    case TypeId::kString:
      for (int64_t i = 0; i < rows; ++i) builder.AppendString(value);
      return builder.Finish();
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong: {
      int64_t parsed = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (error == std::errc() && end == value.data() + value.size()) integer = parsed;
      break;
    }
    case TypeId::kDate:
      if (auto days = columnar::ParseDate(value)) integer = *days;
      break;
    case TypeId::kTimestamp:
      if (auto micros = columnar::ParseTimestamp(value)) integer = *micros;
      break;
    case TypeId::kTimestampNtz:
      if (auto micros = columnar::ParseTimestampNtz(value)) integer = *micros;
      break;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      char* end = nullptr;
      double parsed = std::strtod(value.c_str(), &end);
      if (!value.empty() && end == value.c_str() + value.size()) real = parsed;
      break;
    }
    case TypeId::kBoolean:
      if (value == "true" || value == "TRUE" || value == "True") boolean = true;
      if (value == "false" || value == "FALSE" || value == "False") boolean = false;
      break;
    default:
      return Status::NotImplemented("partition column of type {} is not supported (value '{}')", type->SimpleString(),
                                    value);
  }
  for (int64_t i = 0; i < rows; ++i) {
    if (integer) builder.AppendInt(*integer);
    else if (real) builder.AppendDouble(*real);
    else if (boolean) builder.AppendBool(*boolean);
    else builder.AppendNull();
  }
  return builder.Finish();
}

}  // namespace

Result<SchemaVersion> InferSchemaVersion(io::FileSystem& fs, format::FileDecoder& decoder,
                                         const CloudFilesOptions& options, const std::vector<DiscoveredFile>& files) {
  Schema merged;
  std::vector<DiscoveredFile> sampled;
  int64_t sampled_bytes = 0;
  for (const DiscoveredFile& file : files) {
    if (static_cast<int64_t>(sampled.size()) >= options.sample_num_files) break;
    if (!sampled.empty() && sampled_bytes + file.size > options.sample_num_bytes) break;
    auto content = io::ReadDecompressed(fs, file.path);
    if (!content.ok()) {
      if (content.status().IsNotFound() && options.ignore_missing_files) continue;
      if (options.ignore_corrupt_files && !content.status().IsNotFound()) {
        log::Warn("skipping unreadable file '{}' for schema inference: {}", file.path, content.status().message());
        continue;
      }
      return content.status();
    }
    auto schema = decoder.InferSchema(*content, file.path);
    if (!schema.ok()) {
      if (options.ignore_corrupt_files) {
        log::Warn("skipping corrupt file '{}' for schema inference: {}", file.path, schema.status().message());
        continue;
      }
      return schema.status();
    }
    merged = format::MergeInferredSchemas(merged, *schema);
    sampled.push_back(file);
    sampled_bytes += file.size;
  }
  if (sampled.empty()) {
    return Status::Invalid("cannot infer a schema for cloudFiles.format '{}' at '{}': no files found; give a schema "
                           "(.schema(...)) or add files before starting the stream",
                           options.format, options.path);
  }
  // Spark's JSON inference orders fields by name over all sampled records, so the
  // schema does not depend on which file came first; CSV keeps the header order.
  if (options.format == "json") merged = Schema::FromStruct(*format::SortStructFields(merged.AsStruct()));
  std::vector<Field> fields;
  for (const Field& field : merged.fields()) {
    Field canonical = field;
    canonical.type = format::CanonicalizeInferred(field.type);
    fields.push_back(std::move(canonical));
  }

  std::vector<std::string> partition_keys;
  if (options.partition_columns) {
    partition_keys = *options.partition_columns;
  } else if (!options.recursive_file_lookup) {
    partition_keys = CommonPartitionKeys(options.path, sampled);
  }
  // Partition columns win over data columns of the same name.
  std::vector<Field> data_fields;
  for (Field& field : fields) {
    bool is_partition = false;
    for (const std::string& key : partition_keys) is_partition |= key == field.name;
    if (!is_partition) data_fields.push_back(std::move(field));
  }
  std::vector<Field> partition_fields;
  for (const std::string& key : partition_keys) partition_fields.push_back(Field{key, DataType::String()});

  // Hints may name partition columns too: apply them to all columns, then split.
  std::vector<Field> all = data_fields;
  all.insert(all.end(), partition_fields.begin(), partition_fields.end());
  TRIB_ASSIGN_OR_RETURN(Schema hinted, ApplyHints(Schema(std::move(all)), options.schema_hints));
  SchemaVersion version;
  std::vector<Field> hinted_data;
  std::vector<Field> hinted_partition;
  for (const Field& field : hinted.fields()) {
    bool is_partition = false;
    for (const std::string& key : partition_keys) is_partition |= key == field.name;
    (is_partition ? hinted_partition : hinted_data).push_back(field);
  }
  version.data_schema = Schema(std::move(hinted_data));
  version.partition_schema = Schema(std::move(hinted_partition));
  return version;
}

Result<Schema> PartitionSchemaForUserSchema(const CloudFilesOptions& options, const Schema& user_schema,
                                             const std::vector<DiscoveredFile>& files) {
  std::vector<Field> fields;
  if (options.partition_columns) {
    for (const std::string& name : *options.partition_columns) {
      std::optional<int> index = user_schema.FieldIndex(name);
      if (!index) {
        return Status::Invalid("option 'cloudFiles.partitionColumns': column '{}' is not in the given schema", name);
      }
      fields.push_back(user_schema.field(*index));
    }
    return Schema(std::move(fields));
  }
  if (options.recursive_file_lookup) return Schema();
  for (const std::string& key : CommonPartitionKeys(options.path, files)) {
    if (std::optional<int> index = user_schema.FieldIndex(key)) fields.push_back(user_schema.field(*index));
  }
  return Schema(std::move(fields));
}

namespace {

DataTypePtr AddMissingFields(const DataTypePtr& existing, const DataTypePtr& inferred, const std::string& path,
                             std::vector<std::string>* added) {
  if (!existing || !inferred) return existing;
  if (existing->id() == TypeId::kArray && inferred->id() == TypeId::kArray) {
    DataTypePtr element = AddMissingFields(existing->element_type(), inferred->element_type(), path + ".element", added);
    return element == existing->element_type() ? existing : DataType::Array(element, existing->contains_null());
  }
  if (existing->id() != TypeId::kStruct || inferred->id() != TypeId::kStruct) return existing;
  std::vector<Field> fields = existing->fields();
  Schema existing_fields(existing->fields());
  bool changed = false;
  for (Field& field : fields) {
    auto match = Schema(inferred->fields()).FieldIndexIgnoreCase(field.name);
    if (!match) continue;
    DataTypePtr updated = AddMissingFields(field.type, inferred->fields()[static_cast<size_t>(*match)].type,
                                           path + "." + field.name, added);
    if (updated != field.type) {
      field.type = updated;
      changed = true;
    }
  }
  for (const Field& candidate : inferred->fields()) {
    if (existing_fields.FieldIndexIgnoreCase(candidate.name)) continue;
    Field field = candidate;
    field.type = format::CanonicalizeInferred(field.type);
    added->push_back(path + "." + field.name);
    fields.push_back(std::move(field));
    changed = true;
  }
  return changed ? DataType::Struct(std::move(fields)) : existing;
}

}  // namespace

Schema AddNewNestedFields(const Schema& data_schema, const Schema& inferred, std::vector<std::string>* added) {
  std::vector<Field> fields = data_schema.fields();
  for (Field& field : fields) {
    auto match = inferred.FieldIndexIgnoreCase(field.name);
    if (!match) continue;
    field.type = AddMissingFields(field.type, inferred.field(*match).type, field.name, added);
  }
  return Schema(std::move(fields));
}

Result<Schema> AddNewColumns(const Schema& data_schema, const Schema& inferred, const std::set<std::string>& new_names,
                             const std::optional<std::string>& hints, std::vector<std::string>* added) {
  std::vector<Field> new_fields;
  for (const Field& field : inferred.fields()) {
    if (!new_names.count(field.name) || data_schema.FieldIndexIgnoreCase(field.name)) continue;
    Field canonical = field;
    canonical.type = format::CanonicalizeInferred(field.type);
    new_fields.push_back(std::move(canonical));
  }
  if (hints && !new_fields.empty()) {
    auto hinted = format::ApplySchemaHints(Schema(new_fields), *hints);
    // Hints about columns other than the new ones do not apply here; keep the
    // inferred types when the hints cannot be applied to the new columns alone.
    if (hinted.ok()) {
      new_fields.clear();
      for (const Field& field : hinted->fields()) {
        if (new_names.count(field.name)) new_fields.push_back(field);
      }
    }
  }
  Schema out = data_schema;
  for (Field& field : new_fields) {
    added->push_back(field.name);
    out = out.AddField(std::move(field));
  }
  return out;
}

Result<OutputLayout> OutputLayout::Make(const Schema& data_schema, const Schema& partition_schema,
                                        const std::optional<std::string>& rescued_column,
                                        const std::optional<Schema>& user_schema) {
  OutputLayout layout;
  layout.partition_ = partition_schema;
  std::vector<Field> decode_fields;
  std::vector<Field> output_fields;
  auto partition_index = [&](const std::string& name) -> int {
    for (int i = 0; i < partition_schema.num_fields(); ++i) {
      if (partition_schema.field(i).name == name) return i;
    }
    return -1;
  };
  if (user_schema) {
    // The user's column order is kept; partition columns come from paths.
    for (const Field& field : user_schema->fields()) {
      int partition = partition_index(field.name);
      if (partition >= 0) {
        layout.sources_.push_back(-1 - partition);
      } else {
        layout.sources_.push_back(static_cast<int>(decode_fields.size()));
        decode_fields.push_back(field);
      }
      output_fields.push_back(field);
    }
  } else {
    for (const Field& field : data_schema.fields()) {
      layout.sources_.push_back(static_cast<int>(decode_fields.size()));
      decode_fields.push_back(field);
      output_fields.push_back(field);
    }
    for (int i = 0; i < partition_schema.num_fields(); ++i) {
      layout.sources_.push_back(-1 - i);
      output_fields.push_back(partition_schema.field(i));
    }
  }
  if (rescued_column) {
    bool present = false;
    for (const Field& field : output_fields) present |= field.name == *rescued_column;
    if (!present) {
      layout.sources_.push_back(static_cast<int>(decode_fields.size()));
      decode_fields.push_back(Field{*rescued_column, DataType::String()});
      output_fields.push_back(Field{*rescued_column, DataType::String()});
    }
  }
  layout.decode_ = Schema(std::move(decode_fields));
  layout.output_ = Schema(std::move(output_fields));
  layout.output_ptr_ = std::make_shared<const Schema>(layout.output_);
  return layout;
}

Result<columnar::RecordBatchPtr> OutputLayout::Assemble(
    const columnar::RecordBatch& decoded,
    const std::vector<std::pair<std::string, std::optional<std::string>>>& partition_values) const {
  std::vector<columnar::ColumnPtr> columns;
  columns.reserve(sources_.size());
  for (size_t i = 0; i < sources_.size(); ++i) {
    int source = sources_[i];
    if (source >= 0) {
      columns.push_back(decoded.column(source));
      continue;
    }
    const Field& field = partition_.field(-1 - source);
    std::optional<std::string> value;
    for (const auto& [key, text] : partition_values) {
      if (key == field.name) value = text;
    }
    TRIB_ASSIGN_OR_RETURN(columnar::ColumnPtr column, ConstantColumn(field.type, value, decoded.num_rows()));
    columns.push_back(std::move(column));
  }
  return std::make_shared<columnar::RecordBatch>(output_ptr_, decoded.num_rows(), std::move(columns));
}

}  // namespace tributary::cloud_files
