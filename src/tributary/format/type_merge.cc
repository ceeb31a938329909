#include "tributary/format/type_merge.h"

#include <algorithm>

namespace tributary::format {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;

namespace {

int IntegralRank(TypeId id) {
  switch (id) {
    case TypeId::kByte: return 1;
    case TypeId::kShort: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kLong: return 4;
    default: return 0;
  }
}

std::vector<Field> MergeFields(const std::vector<Field>& a, const std::vector<Field>& b) {
  std::vector<Field> merged = a;
  for (const Field& field : b) {
    auto it = std::find_if(merged.begin(), merged.end(), [&](const Field& f) { return f.name == field.name; });
    if (it == merged.end()) {
      merged.push_back(field);
    } else {
      it->type = MergeInferredTypes(it->type, field.type);
      it->nullable = it->nullable || field.nullable;
    }
  }
  return merged;
}

}  // namespace

DataTypePtr MergeInferredTypes(const DataTypePtr& a, const DataTypePtr& b) {
  if (!a) return b;
  if (!b) return a;
  if (a->Equals(*b)) return a;
  TypeId ia = a->id(), ib = b->id();
  int ra = IntegralRank(ia), rb = IntegralRank(ib);
  if (ra > 0 && rb > 0) return ra >= rb ? a : b;
  bool a_floating = ia == TypeId::kDouble || ia == TypeId::kFloat;
  bool b_floating = ib == TypeId::kDouble || ib == TypeId::kFloat;
  if ((a_floating || ra > 0) && (b_floating || rb > 0)) return DataType::Double();
  if (ia == TypeId::kDecimal && ib == TypeId::kDecimal) {
    int scale = std::max(a->scale(), b->scale());
    int integer_digits = std::max(a->precision() - a->scale(), b->precision() - b->scale());
    if (integer_digits + scale <= 38) return DataType::Decimal(integer_digits + scale, scale);
    return DataType::Double();
  }
  if ((ia == TypeId::kDecimal && (rb > 0 || b_floating)) || (ib == TypeId::kDecimal && (ra > 0 || a_floating))) {
    return DataType::Double();
  }
  if ((ia == TypeId::kDate && ib == TypeId::kTimestamp) || (ia == TypeId::kTimestamp && ib == TypeId::kDate)) {
    return DataType::Timestamp();
  }
  if (ia == TypeId::kStruct && ib == TypeId::kStruct) return DataType::Struct(MergeFields(a->fields(), b->fields()));
  if (ia == TypeId::kArray && ib == TypeId::kArray) {
    return DataType::Array(MergeInferredTypes(a->element_type(), b->element_type()),
                           a->contains_null() || b->contains_null());
  }
  return DataType::String();
}

columnar::Schema MergeInferredSchemas(const columnar::Schema& a, const columnar::Schema& b) {
  return columnar::Schema(MergeFields(a.fields(), b.fields()));
}

DataTypePtr StringifyLeaves(const DataTypePtr& type) {
  if (!type) return DataType::String();
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields = type->fields();
      for (Field& field : fields) field.type = StringifyLeaves(field.type);
      return DataType::Struct(std::move(fields));
    }
    case TypeId::kArray:
      return DataType::Array(StringifyLeaves(type->element_type()), type->contains_null());
    case TypeId::kMap:
      return DataType::Map(StringifyLeaves(type->key_type()), StringifyLeaves(type->value_type()),
                           type->value_contains_null());
    default:
      return DataType::String();
  }
}

DataTypePtr CanonicalizeInferred(const DataTypePtr& type) {
  if (!type) return DataType::String();
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields = type->fields();
      for (Field& field : fields) field.type = CanonicalizeInferred(field.type);
      return DataType::Struct(std::move(fields));
    }
    case TypeId::kArray:
      return DataType::Array(CanonicalizeInferred(type->element_type()), type->contains_null());
    default:
      return type;
  }
}

DataTypePtr SortStructFields(const DataTypePtr& type) {
  if (!type) return type;
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields = type->fields();
      for (Field& field : fields) field.type = SortStructFields(field.type);
      std::stable_sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.name < b.name; });
      return DataType::Struct(std::move(fields));
    }
    case TypeId::kArray:
      return DataType::Array(SortStructFields(type->element_type()), type->contains_null());
    case TypeId::kMap:
      return DataType::Map(SortStructFields(type->key_type()), SortStructFields(type->value_type()),
                           type->value_contains_null());
    default:
      return type;
  }
}

}  // namespace tributary::format
