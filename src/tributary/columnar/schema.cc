#include "tributary/columnar/schema.h"

#include <strings.h>

namespace tributary::columnar {

std::optional<int> Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> Schema::FieldIndexIgnoreCase(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string& candidate = fields_[i].name;
    if (candidate.size() == name.size() && strncasecmp(candidate.data(), name.data(), name.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

Schema Schema::AddField(Field field) const {
  std::vector<Field> fields = fields_;
  fields.push_back(std::move(field));
  return Schema(std::move(fields));
}

DataTypePtr Schema::AsStruct() const { return DataType::Struct(fields_); }

Schema Schema::FromStruct(const DataType& struct_type) { return Schema(struct_type.fields()); }

std::string Schema::ToDdl() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ", ";
    std::string quoted = "`";
    for (char c : fields_[i].name) quoted += c == '`' ? std::string("``") : std::string(1, c);
    out += quoted + "` " + fields_[i].type->ToDdl();
    if (!fields_[i].nullable) out += " NOT NULL";
  }
  return out;
}

bool Schema::Equals(const Schema& other) const {
  if (fields_.size() != other.fields_.size()) return false;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!fields_[i].Equals(other.fields_[i])) return false;
  }
  return true;
}

}  // namespace tributary::columnar
