#include "tributary/format/schema_hints.h"

#include <strings.h>

#include <fmt/format.h>

#include "tributary/columnar/ddl_parser.h"

namespace tributary::format {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::DdlPathColumn;
using columnar::Field;
using columnar::Schema;
using columnar::TypeId;

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

Status HintError(const DdlPathColumn& hint, std::string_view what) {
  return Status::Invalid("cloudFiles.schemaHints: hint '{}': {}", hint.text, what);
}

std::string Walked(const DdlPathColumn& hint, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += '.';
    out += columnar::QuoteDdlName(hint.path[i]);
  }
  return out;
}

// The type a missing path[index..] gets: the hinted type, wrapped in one struct per
// missing intermediate name.
DataTypePtr NewType(const DdlPathColumn& hint, size_t index) {
  if (index + 1 == hint.path.size()) return hint.type;
  return DataType::Struct({Field{hint.path[index + 1], NewType(hint, index + 1), true}});
}

Status ApplyToFields(std::vector<Field>* fields, const DdlPathColumn& hint, size_t index);

// Applies the hint to path[index..], which addresses something inside `type`.
Result<DataTypePtr> ApplyInside(const DataTypePtr& type, const DdlPathColumn& hint, size_t index) {
  const std::string& component = hint.path[index];
  bool last = index + 1 == hint.path.size();
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields = type->fields();
      TRIB_RETURN_NOT_OK(ApplyToFields(&fields, hint, index));
      return DataType::Struct(std::move(fields));
    }
    case TypeId::kArray: {
      if (!EqualsIgnoreCase(component, "element")) {
        return HintError(hint, fmt::format("'{}' is an array; address its elements as '{}.element'",
                                           Walked(hint, index), Walked(hint, index)));
      }
      if (last) return DataType::Array(hint.type, hint.nullable && type->contains_null());
      TRIB_ASSIGN_OR_RETURN(DataTypePtr element, ApplyInside(type->element_type(), hint, index + 1));
      return DataType::Array(std::move(element), type->contains_null());
    }
    case TypeId::kMap: {
      bool is_key = EqualsIgnoreCase(component, "key");
      if (!is_key && !EqualsIgnoreCase(component, "value")) {
        return HintError(hint, fmt::format("'{}' is a map; address it as '{}.key' or '{}.value'", Walked(hint, index),
                                           Walked(hint, index), Walked(hint, index)));
      }
      DataTypePtr key = type->key_type();
      DataTypePtr value = type->value_type();
      bool value_contains_null = type->value_contains_null();
      DataTypePtr& target = is_key ? key : value;
      if (last) {
        target = hint.type;
        if (!is_key) value_contains_null = value_contains_null && hint.nullable;
      } else {
        TRIB_ASSIGN_OR_RETURN(target, ApplyInside(target, hint, index + 1));
      }
      return DataType::Map(std::move(key), std::move(value), value_contains_null);
    }
    default:
      return HintError(hint, fmt::format("'{}' is {}, not a struct, array or map", Walked(hint, index),
                                         type->SimpleString()));
  }
}

Status ApplyToFields(std::vector<Field>* fields, const DdlPathColumn& hint, size_t index) {
  const std::string& name = hint.path[index];
  bool last = index + 1 == hint.path.size();
  Field* match = nullptr;
  for (Field& field : *fields) {
    if (field.name == name) {
      match = &field;
      break;
    }
  }
  if (match == nullptr) {
    for (Field& field : *fields) {
      if (EqualsIgnoreCase(field.name, name)) {
        match = &field;
        break;
      }
    }
  }
  if (match == nullptr) {
    Field added{name, NewType(hint, index), last ? hint.nullable : true};
    if (last) added.metadata_json = hint.metadata_json;
    fields->push_back(std::move(added));
    return Status::OK();
  }
  if (!last) {
    TRIB_ASSIGN_OR_RETURN(match->type, ApplyInside(match->type, hint, index + 1));
    return Status::OK();
  }
  match->type = hint.type;
  if (!hint.nullable) match->nullable = false;
  if (hint.metadata_json != "{}") match->metadata_json = hint.metadata_json;
  return Status::OK();
}

}  // namespace

Result<Schema> ApplySchemaHints(const Schema& inferred, std::string_view hints) {
  Result<std::vector<DdlPathColumn>> parsed = columnar::ParseDdlPathList(hints);
  if (!parsed.ok()) return parsed.status().WithContext("cloudFiles.schemaHints");
  std::vector<Field> fields = inferred.fields();
  for (const DdlPathColumn& hint : *parsed) {
    TRIB_RETURN_NOT_OK(ApplyToFields(&fields, hint, 0));
  }
  return Schema(std::move(fields));
}

}  // namespace tributary::format
