#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::columnar {

/// Spark's data types, which are also Delta's.
enum class TypeId : unsigned char {
  kBoolean,
  kByte,          // int8
  kShort,         // int16
  kInteger,       // int32
  kLong,          // int64
  kFloat,
  kDouble,
  kDecimal,       // precision <= 38, stored as 128-bit little-endian two's complement
  kString,        // UTF-8
  kBinary,
  kDate,          // int32 days since 1970-01-01
  kTimestamp,     // int64 microseconds since the epoch, UTC
  kTimestampNtz,  // int64 microseconds, no time zone
  kStruct,
  kArray,
  kMap,
};

class DataType;
using DataTypePtr = std::shared_ptr<const DataType>;

/// A named member of a struct (a column, when the struct is a schema).
struct Field {
  std::string name;
  DataTypePtr type;
  bool nullable = true;
  /// The field's metadata as a JSON object text ("{}" when empty), kept verbatim
  /// so that Delta column metadata survives a round trip.
  std::string metadata_json = "{}";

  bool Equals(const Field& other) const;
};

/// An immutable data type. Primitive types are shared singletons; nested types hold
/// their children. Build with the static factories.
class DataType {
 public:
  static DataTypePtr Boolean();
  static DataTypePtr Byte();
  static DataTypePtr Short();
  static DataTypePtr Integer();
  static DataTypePtr Long();
  static DataTypePtr Float();
  static DataTypePtr Double();
  static DataTypePtr String();
  static DataTypePtr Binary();
  static DataTypePtr Date();
  static DataTypePtr Timestamp();
  static DataTypePtr TimestampNtz();
  /// REQUIRES: 1 <= precision <= 38, 0 <= scale <= precision.
  static DataTypePtr Decimal(int precision, int scale);
  static DataTypePtr Struct(std::vector<Field> fields);
  static DataTypePtr Array(DataTypePtr element, bool contains_null = true);
  static DataTypePtr Map(DataTypePtr key, DataTypePtr value, bool value_contains_null = true);
  /// A primitive type from its id. REQUIRES: id is not decimal or nested.
  static DataTypePtr FromId(TypeId id);

  TypeId id() const { return id_; }
  bool is_nested() const { return id_ == TypeId::kStruct || id_ == TypeId::kArray || id_ == TypeId::kMap; }
  bool is_integral() const;
  bool is_numeric() const;

  int precision() const { return precision_; }
  int scale() const { return scale_; }
  /// Struct members. Empty for other types.
  const std::vector<Field>& fields() const { return fields_; }
  /// Index of the struct member named `name` (exact match), or nullopt.
  std::optional<int> FieldIndex(std::string_view name) const;
  /// Array element type.
  const DataTypePtr& element_type() const { return element_; }
  bool contains_null() const { return contains_null_; }
  const DataTypePtr& key_type() const { return key_; }
  const DataTypePtr& value_type() const { return value_; }
  bool value_contains_null() const { return contains_null_; }

  /// Bytes per value in the Arrow layout for fixed-width types (booleans: 0, they
  /// are bit-packed); 0 for variable-width and nested types.
  int fixed_width() const;

  /// Spark's simpleString: "bigint", "decimal(10,2)", "struct<a:int,b:string>".
  std::string SimpleString() const;
  /// Delta's primitive name: "long", "integer", "decimal(10,2)", "timestamp_ntz".
  /// For nested types the same as SimpleString().
  std::string DeltaName() const;
  /// DDL form: "BIGINT", "STRUCT<a: INT, b: STRING>", "ARRAY<STRING>".
  std::string ToDdl() const;

  bool Equals(const DataType& other) const;
  /// Same shape, names and types, ignoring nullability and metadata.
  bool EqualsIgnoringNullability(const DataType& other) const;

  // Use the factories.
  explicit DataType(TypeId id) : id_(id) {}

 private:
  TypeId id_;
  int precision_ = 0;
  int scale_ = 0;
  std::vector<Field> fields_;
  DataTypePtr element_;
  DataTypePtr key_;
  DataTypePtr value_;
  bool contains_null_ = true;
};

inline bool operator==(const DataType& a, const DataType& b) { return a.Equals(b); }

}  // namespace tributary::columnar
