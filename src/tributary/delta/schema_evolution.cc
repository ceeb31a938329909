#include "tributary/delta/schema_evolution.h"

#include <fmt/format.h>

#include <optional>

#include "tributary/base/ascii.h"

namespace tributary::delta {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;

namespace {

std::optional<size_t> FindField(const std::vector<Field>& fields, std::string_view name) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return i;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (EqualsIgnoreCase(fields[i].name, name)) return i;
  }
  return std::nullopt;
}

std::string Join(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : fmt::format("{}.{}", prefix, name);
}

struct Merger {
  bool merge_schema;
  std::string_view table_path;
  std::vector<std::string> new_columns;

  Result<std::vector<Field>> MergeFields(const std::vector<Field>& table,
                                         const std::vector<Field>& data,
                                         std::string_view prefix) {
    for (size_t i = 0; i < data.size(); ++i) {
      for (size_t j = i + 1; j < data.size(); ++j) {
        if (EqualsIgnoreCase(data[i].name, data[j].name)) {
          return Status::Invalid(
              "cannot write to Delta table '{}': the data has columns '{}' and '{}', which "
              "differ only by case",
              table_path, Join(prefix, data[i].name), Join(prefix, data[j].name));
        }
      }
    }
    std::vector<Field> merged = table;
    for (const Field& field : data) {
      std::optional<size_t> index = FindField(table, field.name);
      if (!index) {
        TRIB_RETURN_NOT_OK(CheckColumnNames({field}, table_path, prefix));
        new_columns.push_back(Join(prefix, field.name));
        Field added = field;
        added.nullable = true;
        merged.push_back(std::move(added));
        continue;
      }
      TRIB_ASSIGN_OR_RETURN(merged[*index].type,
                            MergeType(table[*index].type, field.type,
                                      Join(prefix, table[*index].name)));
    }
    return merged;
  }

  Result<DataTypePtr> MergeType(const DataTypePtr& table, const DataTypePtr& data,
                                const std::string& path) {
    if (table->id() == TypeId::kStruct && data->id() == TypeId::kStruct) {
      TRIB_ASSIGN_OR_RETURN(auto fields, MergeFields(table->fields(), data->fields(), path));
      return DataType::Struct(std::move(fields));
    }
    if (table->id() == TypeId::kArray && data->id() == TypeId::kArray) {
      TRIB_ASSIGN_OR_RETURN(auto element,
                            MergeType(table->element_type(), data->element_type(), path + ".element"));
      return DataType::Array(std::move(element), table->contains_null());
    }
    if (table->id() == TypeId::kMap && data->id() == TypeId::kMap) {
      TRIB_ASSIGN_OR_RETURN(auto key, MergeType(table->key_type(), data->key_type(), path + ".key"));
      TRIB_ASSIGN_OR_RETURN(auto value,
                            MergeType(table->value_type(), data->value_type(), path + ".value"));
      return DataType::Map(std::move(key), std::move(value), table->value_contains_null());
    }
    if (!table->EqualsIgnoringNullability(*data)) {
      return Status::Invalid(
          "cannot write to Delta table '{}': column '{}' has type {} in the table but {} in "
          "the data; changing a column's type is not supported",
          table_path, path, table->DeltaName(), data->DeltaName());
    }
    return table;
  }
};

Result<ColumnPtr> ConformColumn(const ColumnPtr& column, const DataTypePtr& target,
                                const std::string& path, std::string_view table_path) {
  const DataType& source = *column->type();
  switch (target->id()) {
    case TypeId::kStruct: {
      std::vector<ColumnPtr> children;
      for (const Field& field : target->fields()) {
        std::optional<size_t> index = FindField(source.fields(), field.name);
        std::string child_path = Join(path, field.name);
        if (!index) {
          if (!field.nullable) {
            return Status::Invalid(
                "cannot write to Delta table '{}': non-nullable column '{}' is missing from the "
                "data",
                table_path, child_path);
          }
          children.push_back(Column::MakeNull(field.type, column->length()));
          continue;
        }
        TRIB_ASSIGN_OR_RETURN(ColumnPtr child,
                              ConformColumn(column->child(static_cast<int>(*index)), field.type,
                                            child_path, table_path));
        if (!field.nullable && child->null_count() > 0 && column->null_count() == 0) {
          return Status::Invalid(
              "cannot write to Delta table '{}': NOT NULL column '{}' holds {} null value(s)",
              table_path, child_path, child->null_count());
        }
        children.push_back(std::move(child));
      }
      return ColumnPtr(std::make_shared<Column>(target, column->length(), column->null_count(),
                                      column->validity(), nullptr, nullptr, std::move(children)));
    }
    case TypeId::kArray: {
      TRIB_ASSIGN_OR_RETURN(ColumnPtr element, ConformColumn(column->child(0), target->element_type(),
                                                             path + ".element", table_path));
      return ColumnPtr(std::make_shared<Column>(target, column->length(), column->null_count(),
                                      column->validity(), column->values(), nullptr,
                                      std::vector<ColumnPtr>{std::move(element)}));
    }
    case TypeId::kMap: {
      const ColumnPtr& entries = column->child(0);
      TRIB_ASSIGN_OR_RETURN(ColumnPtr key, ConformColumn(entries->child(0), target->key_type(),
                                                         path + ".key", table_path));
      TRIB_ASSIGN_OR_RETURN(ColumnPtr value, ConformColumn(entries->child(1), target->value_type(),
                                                           path + ".value", table_path));
      const auto& entry_fields = entries->type()->fields();
      DataTypePtr entry_type = DataType::Struct(
          {Field{entry_fields[0].name, target->key_type(), false, "{}"},
           Field{entry_fields[1].name, target->value_type(), target->value_contains_null(), "{}"}});
      auto new_entries = std::make_shared<Column>(
          entry_type, entries->length(), entries->null_count(), entries->validity(), nullptr,
          nullptr, std::vector<ColumnPtr>{std::move(key), std::move(value)});
      return ColumnPtr(std::make_shared<Column>(target, column->length(), column->null_count(),
                                      column->validity(), column->values(), nullptr,
                                      std::vector<ColumnPtr>{std::move(new_entries)}));
    }
    default:
      return column;
  }
}

}  // namespace

Status CheckColumnNames(const std::vector<Field>& fields, std::string_view table_path,
                        std::string_view prefix) {
  for (const Field& field : fields) {
    if (field.name.find_first_of(" ,;{}()\n\t=") != std::string::npos || field.name.empty()) {
      return Status::Invalid(
          "Delta table '{}': column name '{}' is empty or has a character among ' ,;{{}}()\\n\\t=', "
          "which Delta does not allow without column mapping; rename the column (e.g. with an alias)",
          table_path, Join(prefix, field.name));
    }
    const DataType* type = field.type.get();
    while (type->id() == TypeId::kArray || type->id() == TypeId::kMap) {
      type = type->id() == TypeId::kArray ? type->element_type().get() : type->value_type().get();
    }
    if (type->id() == TypeId::kStruct) {
      TRIB_RETURN_NOT_OK(CheckColumnNames(type->fields(), table_path, Join(prefix, field.name)));
    }
  }
  return Status::OK();
}

Result<MergedSchema> MergeSchemaForAppend(const columnar::Schema& table,
                                          const columnar::Schema& data, bool merge_schema,
                                          std::string_view table_path) {
  Merger merger{merge_schema, table_path, {}};
  TRIB_ASSIGN_OR_RETURN(auto fields, merger.MergeFields(table.fields(), data.fields(), ""));
  if (!merger.new_columns.empty() && !merge_schema) {
    std::string names;
    for (const auto& name : merger.new_columns) names += (names.empty() ? "'" : ", '") + name + "'";
    return Status::Invalid(
        "cannot write to Delta table '{}': the data has column(s) {} that the table schema does "
        "not have; set the option mergeSchema=true to add them to the table",
        table_path, names);
  }
  return MergedSchema{columnar::Schema(std::move(fields)), std::move(merger.new_columns)};
}

Result<columnar::RecordBatchPtr> ConformBatch(const columnar::RecordBatch& batch,
                                              const columnar::Schema& target,
                                              std::string_view table_path) {
  std::vector<ColumnPtr> columns;
  const auto& source_fields = batch.schema()->fields();
  for (const Field& field : target.fields()) {
    std::optional<size_t> index = FindField(source_fields, field.name);
    if (!index) {
      if (!field.nullable) {
        return Status::Invalid(
            "cannot write to Delta table '{}': non-nullable column '{}' is missing from the data",
            table_path, field.name);
      }
      columns.push_back(Column::MakeNull(field.type, batch.num_rows()));
      continue;
    }
    TRIB_ASSIGN_OR_RETURN(ColumnPtr column,
                          ConformColumn(batch.column(static_cast<int>(*index)), field.type,
                                        field.name, table_path));
    if (!field.nullable && column->null_count() > 0) {
      return Status::Invalid(
          "cannot write to Delta table '{}': NOT NULL column '{}' holds {} null value(s)",
          table_path, field.name, column->null_count());
    }
    columns.push_back(std::move(column));
  }
  return std::make_shared<columnar::RecordBatch>(std::make_shared<columnar::Schema>(target),
                                                 batch.num_rows(), std::move(columns));
}

}  // namespace tributary::delta
