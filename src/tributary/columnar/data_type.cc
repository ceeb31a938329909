#include "tributary/columnar/data_type.h"

#include <fmt/format.h>

namespace tributary::columnar {

bool Field::Equals(const Field& other) const {
  return name == other.name && nullable == other.nullable && type->Equals(*other.type);
}

#define TRIB_PRIMITIVE_FACTORY(Name, Id)                                   \
  DataTypePtr DataType::Name() {                                           \
    static const DataTypePtr kInstance = std::make_shared<DataType>(Id);   \
    return kInstance;                                                      \
  }
TRIB_PRIMITIVE_FACTORY(Boolean, TypeId::kBoolean)
TRIB_PRIMITIVE_FACTORY(Byte, TypeId::kByte)
TRIB_PRIMITIVE_FACTORY(Short, TypeId::kShort)
TRIB_PRIMITIVE_FACTORY(Integer, TypeId::kInteger)
TRIB_PRIMITIVE_FACTORY(Long, TypeId::kLong)
TRIB_PRIMITIVE_FACTORY(Float, TypeId::kFloat)
TRIB_PRIMITIVE_FACTORY(Double, TypeId::kDouble)
TRIB_PRIMITIVE_FACTORY(String, TypeId::kString)
TRIB_PRIMITIVE_FACTORY(Binary, TypeId::kBinary)
TRIB_PRIMITIVE_FACTORY(Date, TypeId::kDate)
TRIB_PRIMITIVE_FACTORY(Timestamp, TypeId::kTimestamp)
TRIB_PRIMITIVE_FACTORY(TimestampNtz, TypeId::kTimestampNtz)
#undef TRIB_PRIMITIVE_FACTORY

DataTypePtr DataType::Decimal(int precision, int scale) {
  auto type = std::make_shared<DataType>(TypeId::kDecimal);
  type->precision_ = precision;
  type->scale_ = scale;
  return type;
}

DataTypePtr DataType::Struct(std::vector<Field> fields) {
  auto type = std::make_shared<DataType>(TypeId::kStruct);
  type->fields_ = std::move(fields);
  return type;
}

DataTypePtr DataType::Array(DataTypePtr element, bool contains_null) {
  auto type = std::make_shared<DataType>(TypeId::kArray);
  type->element_ = std::move(element);
  type->contains_null_ = contains_null;
  return type;
}

DataTypePtr DataType::Map(DataTypePtr key, DataTypePtr value, bool value_contains_null) {
  auto type = std::make_shared<DataType>(TypeId::kMap);
  type->key_ = std::move(key);
  type->value_ = std::move(value);
  type->contains_null_ = value_contains_null;
  return type;
}

DataTypePtr DataType::FromId(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return Boolean();
    case TypeId::kByte: return Byte();
    case TypeId::kShort: return Short();
    case TypeId::kInteger: return Integer();
    case TypeId::kLong: return Long();
    case TypeId::kFloat: return Float();
    case TypeId::kDouble: return Double();
    case TypeId::kString: return String();
    case TypeId::kBinary: return Binary();
    case TypeId::kDate: return Date();
    case TypeId::kTimestamp: return Timestamp();
    case TypeId::kTimestampNtz: return TimestampNtz();
    default: return nullptr;
  }
}

bool DataType::is_integral() const {
  return id_ == TypeId::kByte || id_ == TypeId::kShort || id_ == TypeId::kInteger || id_ == TypeId::kLong;
}

bool DataType::is_numeric() const {
  return is_integral() || id_ == TypeId::kFloat || id_ == TypeId::kDouble || id_ == TypeId::kDecimal;
}

std::optional<int> DataType::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

int DataType::fixed_width() const {
  switch (id_) {
    case TypeId::kByte: return 1;
    case TypeId::kShort: return 2;
    case TypeId::kInteger:
    case TypeId::kFloat:
    case TypeId::kDate: return 4;
    case TypeId::kLong:
    case TypeId::kDouble:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return 8;
    case TypeId::kDecimal: return 16;
    default: return 0;
  }
}

std::string DataType::SimpleString() const {
  switch (id_) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kByte: return "tinyint";
    case TypeId::kShort: return "smallint";
    case TypeId::kInteger: return "int";
    case TypeId::kLong: return "bigint";
    case TypeId::kFloat: return "float";
    case TypeId::kDouble: return "double";
    case TypeId::kDecimal: return fmt::format("decimal({},{})", precision_, scale_);
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "binary";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampNtz: return "timestamp_ntz";
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) out += ',';
        out += fields_[i].name + ":" + fields_[i].type->SimpleString();
      }
      return out + ">";
    }
    case TypeId::kArray: return "array<" + element_->SimpleString() + ">";
    case TypeId::kMap: return "map<" + key_->SimpleString() + "," + value_->SimpleString() + ">";
  }
  return "unknown";
}

std::string DataType::DeltaName() const {
  switch (id_) {
    case TypeId::kByte: return "byte";
    case TypeId::kShort: return "short";
    case TypeId::kInteger: return "integer";
    case TypeId::kLong: return "long";
    default: return SimpleString();
  }
}

namespace {

// Backquotes a name for DDL, doubling backquotes inside it.
std::string QuoteName(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

}  // namespace

std::string DataType::ToDdl() const {
  switch (id_) {
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kByte: return "TINYINT";
    case TypeId::kShort: return "SMALLINT";
    case TypeId::kInteger: return "INT";
    case TypeId::kLong: return "BIGINT";
    case TypeId::kFloat: return "FLOAT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return fmt::format("DECIMAL({},{})", precision_, scale_);
    case TypeId::kString: return "STRING";
    case TypeId::kBinary: return "BINARY";
    case TypeId::kDate: return "DATE";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kTimestampNtz: return "TIMESTAMP_NTZ";
    case TypeId::kStruct: {
      std::string out = "STRUCT<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) out += ", ";
        out += QuoteName(fields_[i].name) + ": " + fields_[i].type->ToDdl();
        if (!fields_[i].nullable) out += " NOT NULL";
      }
      return out + ">";
    }
    case TypeId::kArray: return "ARRAY<" + element_->ToDdl() + ">";
    case TypeId::kMap: return "MAP<" + key_->ToDdl() + ", " + value_->ToDdl() + ">";
  }
  return "UNKNOWN";
}

namespace {

bool TypesEqual(const DataType& a, const DataType& b, bool check_nullability) {
  if (a.id() != b.id()) return false;
  switch (a.id()) {
    case TypeId::kDecimal:
      return a.precision() == b.precision() && a.scale() == b.scale();
    case TypeId::kStruct: {
      if (a.fields().size() != b.fields().size()) return false;
      for (size_t i = 0; i < a.fields().size(); ++i) {
        const Field& fa = a.fields()[i];
        const Field& fb = b.fields()[i];
        if (fa.name != fb.name) return false;
        if (check_nullability && fa.nullable != fb.nullable) return false;
        if (!TypesEqual(*fa.type, *fb.type, check_nullability)) return false;
      }
      return true;
    }
    case TypeId::kArray:
      if (check_nullability && a.contains_null() != b.contains_null()) return false;
      return TypesEqual(*a.element_type(), *b.element_type(), check_nullability);
    case TypeId::kMap:
      if (check_nullability && a.value_contains_null() != b.value_contains_null()) return false;
      return TypesEqual(*a.key_type(), *b.key_type(), check_nullability) &&
             TypesEqual(*a.value_type(), *b.value_type(), check_nullability);
    default:
      return true;
  }
}

}  // namespace

bool DataType::Equals(const DataType& other) const { return this == &other || TypesEqual(*this, other, true); }

bool DataType::EqualsIgnoringNullability(const DataType& other) const {
  return this == &other || TypesEqual(*this, other, false);
}

}  // namespace tributary::columnar
