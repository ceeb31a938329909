#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/columnar/data_type.h"

namespace tributary::columnar {

/// The top-level columns of a table or batch: an ordered list of fields.
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int i) const { return fields_[static_cast<size_t>(i)]; }

  /// Index of the column named exactly `name`, or nullopt.
  std::optional<int> FieldIndex(std::string_view name) const;
  /// Index of the column whose name equals `name` ignoring ASCII case, or nullopt.
  std::optional<int> FieldIndexIgnoreCase(std::string_view name) const;

  /// Returns a copy with `field` appended.
  Schema AddField(Field field) const;

  /// The schema as a struct type (what Delta's schemaString and Arrow's export use).
  DataTypePtr AsStruct() const;
  static Schema FromStruct(const DataType& struct_type);

  /// "id BIGINT, name STRING", the form the DDL parser reads back.
  std::string ToDdl() const;

  bool Equals(const Schema& other) const;

 private:
  std::vector<Field> fields_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace tributary::columnar
