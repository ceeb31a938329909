#include <algorithm>
#include <optional>
#include <set>

#include "tributary/format/json/json_text_internal.h"
#include "tributary/format/json/schema_inference_internal.h"
#include "tributary/format/json/value_converter_internal.h"
#include "tributary/format/type_merge.h"

namespace tributary::json {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;
using simdjson::dom::element_type;

DataTypePtr TypeAccumulator::NumberType(simdjson::dom::element value) {
  if (options_.primitives_as_string) return DataType::String();
  element_type kind = value.type();
  if (kind == element_type::INT64) return DataType::Long();
  // Spark: integers beyond a long (Jackson's BIG_INTEGER) become decimal(digits, 0);
  // with prefersDecimal, fractional numbers become the decimal that holds them.
  if (kind == element_type::UINT64 || options_.prefers_decimal) {
    scratch_.clear();
    AppendNumberText(value, &scratch_);
    std::optional<DecimalShape> shape = DecimalShapeOf(scratch_);
    if (shape) return DataType::Decimal(shape->precision, shape->scale);
  }
  return DataType::Double();
}

DataTypePtr TypeAccumulator::LenientNumberType(std::string_view token) {
  if (options_.primitives_as_string) return DataType::String();
  if (IsIntegerToken(token)) {
    std::optional<DecimalShape> shape = DecimalShapeOf(token);
    if (shape) return DataType::Decimal(shape->precision, shape->scale);
  }
  return DataType::Double();
}

void TypeAccumulator::Add(simdjson::dom::element value, DataTypePtr* type) {
  switch (value.type()) {
    case element_type::NULL_VALUE:
      return;  // "only nulls seen" changes nothing
    case element_type::OBJECT:
      *type = AddObject(value.get_object().value_unsafe(), *type);
      return;
    case element_type::ARRAY:
      *type = AddArray(value.get_array().value_unsafe(), *type);
      return;
    case element_type::STRING:
      if (lenient_) {
        std::string_view token = LenientNumberToken(value.get_string().value_unsafe());
        if (!token.empty()) {
          *type = format::MergeInferredTypes(*type, LenientNumberType(token));
          return;
        }
      }
      if (*type && (*type)->id() == TypeId::kString) return;
      *type = format::MergeInferredTypes(*type, DataType::String());
      return;
    case element_type::BOOL:
      *type = format::MergeInferredTypes(*type, options_.primitives_as_string ? DataType::String() : DataType::Boolean());
      return;
    default:
      *type = format::MergeInferredTypes(*type, NumberType(value));
      return;
  }
}

DataTypePtr TypeAccumulator::AddObject(simdjson::dom::object object, const DataTypePtr& current) {
  if (current && current->id() != TypeId::kStruct) {
    TypeAccumulator fresh(options_);
    fresh.set_lenient(lenient_);
    DataTypePtr alone = fresh.AddObject(object, nullptr);
    return format::MergeInferredTypes(current, alone);
  }
  // Copy the fields lazily: only when a member's type changes or a member is new.
  const std::vector<Field>* fields = current ? &current->fields() : nullptr;
  std::optional<std::vector<Field>> changed;
  size_t cursor = 0;  // records usually repeat the same key order
  for (simdjson::dom::key_value_pair member : object) {
    const std::vector<Field>& now = changed ? *changed : (fields ? *fields : *(changed = std::vector<Field>{}));
    int index = -1;
    if (cursor < now.size() && now[cursor].name == member.key) {
      index = static_cast<int>(cursor);
    } else {
      for (size_t i = 0; i < now.size(); ++i) {
        if (now[i].name == member.key) {
          index = static_cast<int>(i);
          break;
        }
      }
    }
    if (index < 0) {
      if (!changed) changed = now;
      DataTypePtr type;
      Add(member.value, &type);
      changed->push_back(Field{std::string(member.key), type, true, "{}"});
      cursor = changed->size();
      continue;
    }
    cursor = static_cast<size_t>(index) + 1;
    DataTypePtr type = now[static_cast<size_t>(index)].type;
    Add(member.value, &type);
    if (type.get() != now[static_cast<size_t>(index)].type.get()) {
      if (!changed) changed = now;
      (*changed)[static_cast<size_t>(index)].type = std::move(type);
    }
  }
  if (!changed) return current ? current : DataType::Struct({});
  return DataType::Struct(std::move(*changed));
}

DataTypePtr TypeAccumulator::AddArray(simdjson::dom::array array, const DataTypePtr& current) {
  if (current && current->id() != TypeId::kArray) {
    TypeAccumulator fresh(options_);
    fresh.set_lenient(lenient_);
    DataTypePtr alone = fresh.AddArray(array, nullptr);
    return format::MergeInferredTypes(current, alone);
  }
  DataTypePtr element = current ? current->element_type() : nullptr;
  DataTypePtr before = element;
  for (simdjson::dom::element item : array) Add(item, &element);
  if (current && element.get() == before.get()) return current;
  return DataType::Array(element, true);
}

namespace {

/// Spark's canonicalizeType; nullopt means "remove this field".
std::optional<DataTypePtr> Canonicalize(const DataTypePtr& type, const JsonReadOptions& options) {
  if (!type) {
    if (options.drop_field_if_all_null) return std::nullopt;
    return DataType::String();
  }
  switch (type->id()) {
    case TypeId::kArray: {
      std::optional<DataTypePtr> element = Canonicalize(type->element_type(), options);
      if (!element) return std::nullopt;
      return DataType::Array(*element, type->contains_null());
    }
    case TypeId::kStruct: {
      std::vector<Field> fields;
      for (const Field& field : type->fields()) {
        if (field.name.empty()) continue;
        std::optional<DataTypePtr> child = Canonicalize(field.type, options);
        if (!child) continue;
        fields.push_back(Field{field.name, *child, true, "{}"});
      }
      if (fields.empty()) return std::nullopt;  // SPARK-8093: empty structs are removed
      std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.name < b.name; });
      // Delta column names are case-insensitive: of names that differ only in case,
      // the first in sort order stays; the others' values are rescued when decoded.
      std::set<std::string> seen;
      std::string lower;
      std::erase_if(fields, [&](const Field& field) {
        AsciiLower(field.name, &lower);
        return !seen.insert(lower).second;
      });
      return DataType::Struct(std::move(fields));
    }
    default:
      return type;
  }
}

}  // namespace

columnar::Schema FinishInferredSchema(const DataTypePtr& root, const JsonReadOptions& options, bool infer_types) {
  if (!root || root->id() != TypeId::kStruct) return columnar::Schema();
  std::optional<DataTypePtr> canonical = Canonicalize(root, options);
  if (!canonical) return columnar::Schema();
  std::vector<Field> fields = (*canonical)->fields();
  if (!infer_types) {
    for (Field& field : fields) field.type = DataType::String();
  }
  return columnar::Schema(std::move(fields));
}

}  // namespace tributary::json
