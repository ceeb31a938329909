#include "tributary/delta/column_mapping.h"

#include <utility>
#include <vector>

#include "tributary/base/json.h"

namespace tributary::delta {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;

namespace {

const JsonValue* MetadataValue(const std::optional<JsonValue>& metadata, std::string_view key) {
  if (!metadata || !metadata->is_object()) return nullptr;
  return metadata->Find(key);
}

std::optional<JsonValue> ParseMetadata(const Field& field) {
  if (field.metadata_json.find("delta.columnMapping") == std::string::npos) return std::nullopt;
  auto parsed = ParseJson(field.metadata_json);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).value();
}

DataTypePtr PhysicalType(const DataTypePtr& type, ColumnMappingMode mode) {
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields;
      fields.reserve(type->fields().size());
      for (const Field& member : type->fields()) fields.push_back(PhysicalField(member, mode));
      return DataType::Struct(std::move(fields));
    }
    case TypeId::kArray:
      return DataType::Array(PhysicalType(type->element_type(), mode), type->contains_null());
    case TypeId::kMap:
      return DataType::Map(PhysicalType(type->key_type(), mode), PhysicalType(type->value_type(), mode),
                           type->value_contains_null());
    default:
      return type;
  }
}

const std::vector<parquet::FileField>& NoFields() {
  static const std::vector<parquet::FileField> kNone;
  return kNone;
}

const parquet::FileField* Child(const parquet::FileField* file, size_t index) {
  return file != nullptr && index < file->children.size() ? &file->children[index] : nullptr;
}

DataTypePtr TypeById(const DataTypePtr& type, const parquet::FileField* file) {
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields;
      fields.reserve(type->fields().size());
      for (const Field& member : type->fields()) {
        fields.push_back(FieldById(member, file != nullptr ? file->children : NoFields()));
      }
      return DataType::Struct(std::move(fields));
    }
    case TypeId::kArray:
      return DataType::Array(TypeById(type->element_type(), Child(file, 0)), type->contains_null());
    case TypeId::kMap:
      return DataType::Map(TypeById(type->key_type(), Child(file, 0)), TypeById(type->value_type(), Child(file, 1)),
                           type->value_contains_null());
    default:
      return type;
  }
}

}  // namespace

Field FieldById(const Field& field, const std::vector<parquet::FileField>& file_fields) {
  Field out = field;
  std::optional<int64_t> id = ColumnMappingId(field);
  const parquet::FileField* match = nullptr;
  for (const parquet::FileField& candidate : file_fields) {
    if (id && candidate.field_id && *candidate.field_id == *id) match = &candidate;
  }
  // Parquet names cannot hold a NUL, so this name never matches a file column.
  out.name = match != nullptr ? match->name : std::string("\0absent field id ", 17) + std::to_string(id.value_or(-1));
  out.type = TypeById(field.type, match);
  return out;
}

Result<ColumnMappingMode> ColumnMappingModeOf(const std::map<std::string, std::string>& configuration) {
  auto it = configuration.find("delta.columnMapping.mode");
  if (it == configuration.end() || it->second == "none") return ColumnMappingMode::kNone;
  if (it->second == "name") return ColumnMappingMode::kName;
  if (it->second == "id") return ColumnMappingMode::kId;
  return Status::Invalid("table property delta.columnMapping.mode is '{}', expected none, name or id",
                         it->second);
}

std::string PhysicalName(const Field& field, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return field.name;
  std::optional<JsonValue> metadata = ParseMetadata(field);
  const JsonValue* name = MetadataValue(metadata, "delta.columnMapping.physicalName");
  return name != nullptr && name->is_string() ? name->string_value() : field.name;
}

std::optional<int64_t> ColumnMappingId(const Field& field) {
  std::optional<JsonValue> metadata = ParseMetadata(field);
  const JsonValue* id = MetadataValue(metadata, "delta.columnMapping.id");
  if (id == nullptr || !id->is_int()) return std::nullopt;
  return id->int_value();
}

Field PhysicalField(const Field& field, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return field;
  Field out = field;
  out.name = PhysicalName(field, mode);
  out.type = PhysicalType(field.type, mode);
  return out;
}

ColumnPtr WithLogicalType(const ColumnPtr& column, const DataTypePtr& type) {
  if (column->type() == type) return column;
  std::vector<ColumnPtr> children;
  children.reserve(column->children().size());
  switch (type->id()) {
    case TypeId::kStruct:
      for (size_t i = 0; i < column->children().size(); ++i) {
        children.push_back(WithLogicalType(column->children()[i], type->fields()[i].type));
      }
      break;
    case TypeId::kArray:
      children.push_back(WithLogicalType(column->child(0), type->element_type()));
      break;
    case TypeId::kMap: {
      // The entries struct keeps its own member names; only key and value types change.
      const ColumnPtr& entries = column->child(0);
      std::vector<Field> members = entries->type()->fields();
      members[0].type = type->key_type();
      members[1].type = type->value_type();
      children.push_back(WithLogicalType(entries, DataType::Struct(std::move(members))));
      break;
    }
    default:
      children = column->children();
  }
  return std::make_shared<Column>(type, column->length(), column->null_count(), column->validity(),
                                  column->values(), column->data(), std::move(children));
}

}  // namespace tributary::delta
