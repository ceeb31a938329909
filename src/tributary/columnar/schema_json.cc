#include "tributary/columnar/schema_json.h"

#include <cctype>
#include <charconv>

namespace tributary::columnar {

void WriteDataTypeJson(const DataType& type, JsonWriter* writer) {
  switch (type.id()) {
    case TypeId::kStruct: {
      writer->StartObject().Key("type").String("struct").Key("fields").StartArray();
      for (const Field& field : type.fields()) {
        writer->StartObject().Key("name").String(field.name).Key("type");
        WriteDataTypeJson(*field.type, writer);
        writer->Key("nullable").Bool(field.nullable).Key("metadata");
        writer->Raw(field.metadata_json.empty() ? std::string_view("{}") : std::string_view(field.metadata_json));
        writer->EndObject();
      }
      writer->EndArray().EndObject();
      return;
    }
    case TypeId::kArray:
      writer->StartObject().Key("type").String("array").Key("elementType");
      WriteDataTypeJson(*type.element_type(), writer);
      writer->Key("containsNull").Bool(type.contains_null()).EndObject();
      return;
    case TypeId::kMap:
      writer->StartObject().Key("type").String("map").Key("keyType");
      WriteDataTypeJson(*type.key_type(), writer);
      writer->Key("valueType");
      WriteDataTypeJson(*type.value_type(), writer);
      writer->Key("valueContainsNull").Bool(type.value_contains_null()).EndObject();
      return;
    default:
      writer->String(type.DeltaName());
      return;
  }
}

std::string DataTypeToJson(const DataType& type) {
  JsonWriter writer;
  WriteDataTypeJson(type, &writer);
  return writer.Finish();
}

std::string SchemaToJson(const Schema& schema) { return DataTypeToJson(*schema.AsStruct()); }

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status Error(const std::string& where, std::string_view what) {
  if (where.empty()) return Status::Invalid("schema JSON: {}", what);
  return Status::Invalid("schema JSON: {}: {}", where, what);
}

std::string Join(const std::string& where, std::string_view member) {
  return where.empty() ? std::string(member) : where + "." + std::string(member);
}

// Parses "(p,s)" / "(p, s)" / "(n)" after a type name; false when malformed.
bool ParseParameters(std::string_view text, std::vector<int>* out) {
  auto skip = [&](size_t* i) {
    while (*i < text.size() && std::isspace(static_cast<unsigned char>(text[*i]))) ++*i;
  };
  size_t i = 0;
  skip(&i);
  if (i >= text.size() || text[i] != '(') return false;
  ++i;
  while (true) {
    skip(&i);
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
    if (ec != std::errc()) return false;
    i = static_cast<size_t>(ptr - text.data());
    out->push_back(value);
    skip(&i);
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (i < text.size() && text[i] == ')') {
      ++i;
      break;
    }
    return false;
  }
  skip(&i);
  return i == text.size();
}

Result<DataTypePtr> PrimitiveFromName(const std::string& name, const std::string& where) {
  std::string lower = Lower(name);
  static const std::pair<const char*, TypeId> kNames[] = {
      {"string", TypeId::kString},   {"long", TypeId::kLong},       {"integer", TypeId::kInteger},
      {"short", TypeId::kShort},     {"byte", TypeId::kByte},       {"float", TypeId::kFloat},
      {"double", TypeId::kDouble},   {"boolean", TypeId::kBoolean}, {"binary", TypeId::kBinary},
      {"date", TypeId::kDate},       {"timestamp", TypeId::kTimestamp},
      {"timestamp_ntz", TypeId::kTimestampNtz},
  };
  for (const auto& [candidate, id] : kNames) {
    if (lower == candidate) return DataType::FromId(id);
  }
  if (lower == "decimal") return DataType::Decimal(10, 0);
  std::vector<int> parameters;
  if (lower.rfind("decimal", 0) == 0 && ParseParameters(std::string_view(lower).substr(7), &parameters)) {
    if (parameters.size() != 2) return Error(where, fmt::format("malformed decimal type '{}'", name));
    int precision = parameters[0], scale = parameters[1];
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
      return Error(where, fmt::format("decimal type '{}' needs 1 <= precision <= 38 and 0 <= scale <= precision",
                                      name));
    }
    return DataType::Decimal(precision, scale);
  }
  for (std::string_view prefix : {"varchar", "char"}) {
    parameters.clear();
    if (lower.rfind(prefix, 0) == 0 && ParseParameters(std::string_view(lower).substr(prefix.size()), &parameters) &&
        parameters.size() == 1) {
      return DataType::String();
    }
  }
  return Error(where, fmt::format("unknown type '{}'", name));
}

Result<bool> OptionalBool(const JsonValue& object, std::string_view key, const std::string& where) {
  const JsonValue* member = object.Find(key);
  if (member == nullptr) return true;
  if (!member->is_bool()) {
    return Error(Join(where, key), fmt::format("must be a boolean, got {}", JsonKindName(member->kind())));
  }
  return member->bool_value();
}

Result<const JsonValue*> Required(const JsonValue& object, std::string_view key, const std::string& where) {
  const JsonValue* member = object.Find(key);
  if (member == nullptr) return Error(where, fmt::format("'{}' is missing", key));
  return member;
}

// `raw_metadata`: the document was parsed with "metadata" as a raw key, so field
// metadata arrives as its source text.
Result<DataTypePtr> ParseType(const JsonValue& value, const std::string& where, bool raw_metadata);

Result<Field> ParseField(const JsonValue& value, const std::string& where, bool raw_metadata) {
  if (!value.is_object()) return Error(where, fmt::format("a field must be an object, got {}", JsonKindName(value.kind())));
  Field field;
  TRIB_ASSIGN_OR_RETURN(const JsonValue* name, Required(value, "name", where));
  if (!name->is_string()) return Error(Join(where, "name"), "must be a string");
  field.name = name->string_value();
  TRIB_ASSIGN_OR_RETURN(const JsonValue* type, Required(value, "type", where));
  TRIB_ASSIGN_OR_RETURN(field.type, ParseType(*type, Join(where, "type"), raw_metadata));
  TRIB_ASSIGN_OR_RETURN(field.nullable, OptionalBool(value, "nullable", where));
  if (const JsonValue* metadata = value.Find("metadata")) {
    if (raw_metadata && metadata->is_string() && !metadata->string_value().empty() &&
        metadata->string_value().front() == '{') {
      field.metadata_json = metadata->string_value();
    } else if (!raw_metadata && metadata->is_object()) {
      field.metadata_json = metadata->Serialize();
    } else {
      return Error(Join(where, "metadata"), "must be an object");
    }
  }
  return field;
}

Result<DataTypePtr> ParseType(const JsonValue& value, const std::string& where, bool raw_metadata) {
  if (value.is_string()) return PrimitiveFromName(value.string_value(), where);
  if (!value.is_object()) {
    return Error(where, fmt::format("a type must be a string or an object, got {}", JsonKindName(value.kind())));
  }
  TRIB_ASSIGN_OR_RETURN(const JsonValue* kind, Required(value, "type", where));
  if (!kind->is_string()) return Error(Join(where, "type"), "must be a string");
  const std::string& name = kind->string_value();
  if (name == "struct") {
    TRIB_ASSIGN_OR_RETURN(const JsonValue* fields, Required(value, "fields", where));
    if (!fields->is_array()) return Error(Join(where, "fields"), "must be an array");
    std::vector<Field> parsed;
    parsed.reserve(fields->array().size());
    for (size_t i = 0; i < fields->array().size(); ++i) {
      TRIB_ASSIGN_OR_RETURN(Field field, ParseField(fields->array()[i], fmt::format("{}[{}]", Join(where, "fields"), i), raw_metadata));
      parsed.push_back(std::move(field));
    }
    return DataType::Struct(std::move(parsed));
  }
  if (name == "array") {
    TRIB_ASSIGN_OR_RETURN(const JsonValue* element, Required(value, "elementType", where));
    TRIB_ASSIGN_OR_RETURN(DataTypePtr element_type, ParseType(*element, Join(where, "elementType"), raw_metadata));
    TRIB_ASSIGN_OR_RETURN(bool contains_null, OptionalBool(value, "containsNull", where));
    return DataType::Array(std::move(element_type), contains_null);
  }
  if (name == "map") {
    TRIB_ASSIGN_OR_RETURN(const JsonValue* key, Required(value, "keyType", where));
    TRIB_ASSIGN_OR_RETURN(DataTypePtr key_type, ParseType(*key, Join(where, "keyType"), raw_metadata));
    TRIB_ASSIGN_OR_RETURN(const JsonValue* val, Required(value, "valueType", where));
    TRIB_ASSIGN_OR_RETURN(DataTypePtr value_type, ParseType(*val, Join(where, "valueType"), raw_metadata));
    TRIB_ASSIGN_OR_RETURN(bool value_contains_null, OptionalBool(value, "valueContainsNull", where));
    return DataType::Map(std::move(key_type), std::move(value_type), value_contains_null);
  }
  return Error(Join(where, "type"), fmt::format("unknown nested type '{}'", name));
}

}  // namespace

Result<DataTypePtr> DataTypeFromJsonValue(const JsonValue& value) { return ParseType(value, "", false); }

Result<DataTypePtr> DataTypeFromJson(std::string_view json) {
  JsonParseOptions options;
  options.raw_keys = {"metadata"};
  Result<JsonValue> parsed = ParseJson(json, options);
  if (!parsed.ok()) return parsed.status().WithContext("schema JSON");
  return ParseType(*parsed, "", true);
}

Result<Schema> SchemaFromJson(std::string_view json) {
  TRIB_ASSIGN_OR_RETURN(DataTypePtr type, DataTypeFromJson(json));
  if (type->id() != TypeId::kStruct) {
    return Status::Invalid("schema JSON: expected a struct type, got {}", type->SimpleString());
  }
  return Schema::FromStruct(*type);
}

}  // namespace tributary::columnar
