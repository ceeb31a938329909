#include "tributary/columnar/arrow_c_data.h"

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace tributary::columnar {
namespace {

// Stands in for buffers that were never allocated (zero-length columns), so that
// consumers never see a null data pointer for a buffer the layout requires.
alignas(64) const uint8_t kEmptyBuffer[64] = {};

// ---------------------------------------------------------------------------------
// Schema

struct SchemaPrivate {
  std::string format;
  std::string name;
  std::vector<ArrowSchema> children;
  std::vector<ArrowSchema*> child_pointers;
};

void ReleaseSchema(ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) return;
  auto* state = static_cast<SchemaPrivate*>(schema->private_data);
  for (ArrowSchema& child : state->children) {
    if (child.release != nullptr) child.release(&child);
  }
  delete state;
  schema->release = nullptr;
}

// Fills `out` for a type named `name`.
void FillSchema(const DataType& type, std::string_view name, bool nullable, ArrowSchema* out);

struct ChildSpec {
  std::string name;
  const DataType* type;
  bool nullable;
};

void FillSchemaWithChildren(std::string format, std::string_view name, int64_t flags,
                            const std::vector<ChildSpec>& children, ArrowSchema* out) {
  auto state = std::make_unique<SchemaPrivate>();
  state->format = std::move(format);
  state->name = std::string(name);
  state->children.resize(children.size());
  state->child_pointers.resize(children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    FillSchema(*children[i].type, children[i].name, children[i].nullable, &state->children[i]);
    state->child_pointers[i] = &state->children[i];
  }
  out->format = state->format.c_str();
  out->name = state->name.c_str();
  out->metadata = nullptr;
  out->flags = flags;
  out->n_children = static_cast<int64_t>(children.size());
  out->children = state->child_pointers.empty() ? nullptr : state->child_pointers.data();
  out->dictionary = nullptr;
  out->release = &ReleaseSchema;
  out->private_data = state.release();
}

void FillSchema(const DataType& type, std::string_view name, bool nullable, ArrowSchema* out) {
  int64_t flags = nullable ? ARROW_FLAG_NULLABLE : 0;
  std::vector<ChildSpec> children;
  // Describes the map's entries; only needed while the children are filled.
  DataTypePtr entries;
  switch (type.id()) {
    case TypeId::kStruct:
      for (const Field& field : type.fields()) children.push_back({field.name, field.type.get(), field.nullable});
      break;
    case TypeId::kArray:
      children.push_back({"element", type.element_type().get(), type.contains_null()});
      break;
    case TypeId::kMap:
      entries = DataType::Struct(
          {Field{"key", type.key_type(), false}, Field{"value", type.value_type(), type.value_contains_null()}});
      children.push_back({"entries", entries.get(), false});
      break;
    default:
      break;
  }
  FillSchemaWithChildren(ArrowFormat(type), name, flags, children, out);
}

// ---------------------------------------------------------------------------------
// Array

struct ArrayPrivate {
  // Keeps the buffers alive; null for the top-level struct of a batch, whose
  // children hold the columns.
  ColumnPtr column;
  std::vector<const void*> buffers;
  std::vector<ArrowArray> children;
  std::vector<ArrowArray*> child_pointers;
};

void ReleaseArray(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  auto* state = static_cast<ArrayPrivate*>(array->private_data);
  for (ArrowArray& child : state->children) {
    if (child.release != nullptr) child.release(&child);
  }
  delete state;
  array->release = nullptr;
}

const void* BufferAddress(const BufferPtr& buffer) {
  if (buffer == nullptr || buffer->data() == nullptr) return kEmptyBuffer;
  return buffer->data();
}

void FillArray(const ColumnPtr& column, ArrowArray* out);

void FinishArray(std::unique_ptr<ArrayPrivate> state, int64_t length, int64_t null_count,
                 const std::vector<ColumnPtr>& children, ArrowArray* out) {
  state->children.resize(children.size());
  state->child_pointers.resize(children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    FillArray(children[i], &state->children[i]);
    state->child_pointers[i] = &state->children[i];
  }
  out->length = length;
  out->null_count = null_count;
  out->offset = 0;
  out->n_buffers = static_cast<int64_t>(state->buffers.size());
  out->n_children = static_cast<int64_t>(children.size());
  out->buffers = state->buffers.data();
  out->children = state->child_pointers.empty() ? nullptr : state->child_pointers.data();
  out->dictionary = nullptr;
  out->release = &ReleaseArray;
  out->private_data = state.release();
}

void FillArray(const ColumnPtr& column, ArrowArray* out) {
  auto state = std::make_unique<ArrayPrivate>();
  state->column = column;
  // A null validity pointer means "no nulls", which the spec allows.
  const void* validity =
      column->null_count() > 0 && column->validity() != nullptr ? column->validity()->data() : nullptr;
  state->buffers.push_back(validity);
  switch (column->type()->id()) {
    case TypeId::kStruct:
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      state->buffers.push_back(BufferAddress(column->values()));
      state->buffers.push_back(BufferAddress(column->data()));
      break;
    default:  // fixed width, boolean bitmap, list/map offsets
      state->buffers.push_back(BufferAddress(column->values()));
      break;
  }
  FinishArray(std::move(state), column->length(), column->null_count(), column->children(), out);
}

int ExpectedChildren(const DataType& type) {
  switch (type.id()) {
    case TypeId::kStruct: return static_cast<int>(type.fields().size());
    case TypeId::kArray:
    case TypeId::kMap: return 1;
    default: return 0;
  }
}

// Checks the invariants the export relies on, so that a malformed column is an
// error here instead of an out-of-bounds read in the consumer.
Status CheckColumn(const Column& column, std::string_view path) {
  const DataType& type = *column.type();
  if (column.null_count() > 0 && column.validity() == nullptr) {
    return Status::Invalid("cannot export column '{}': {} nulls but no validity bitmap", path, column.null_count());
  }
  if (static_cast<int>(column.children().size()) != ExpectedChildren(type)) {
    return Status::Invalid("cannot export column '{}': {} has {} children", path, type.SimpleString(),
                           column.children().size());
  }
  if (type.id() != TypeId::kStruct && column.length() > 0 && column.values() == nullptr) {
    return Status::Invalid("cannot export column '{}': no values buffer", path);
  }
  for (size_t i = 0; i < column.children().size(); ++i) {
    std::string child_path = type.id() == TypeId::kStruct ? fmt::format("{}.{}", path, type.fields()[i].name)
                                                          : fmt::format("{}.{}", path, i == 0 ? "element" : "?");
    if (type.id() == TypeId::kStruct && column.child(static_cast<int>(i))->length() != column.length()) {
      return Status::Invalid("cannot export column '{}': {} rows but the struct has {}", child_path,
                             column.child(static_cast<int>(i))->length(), column.length());
    }
    TRIB_RETURN_NOT_OK(CheckColumn(*column.child(static_cast<int>(i)), child_path));
  }
  return Status::OK();
}

void MarkReleased(ArrowSchema* schema) {
  if (schema != nullptr) schema->release = nullptr;
}
void MarkReleased(ArrowArray* array) {
  if (array != nullptr) array->release = nullptr;
}

}  // namespace

std::string ArrowFormat(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return "b";
    case TypeId::kByte: return "c";
    case TypeId::kShort: return "s";
    case TypeId::kInteger: return "i";
    case TypeId::kLong: return "l";
    case TypeId::kFloat: return "f";
    case TypeId::kDouble: return "g";
    case TypeId::kDecimal: return fmt::format("d:{},{}", type.precision(), type.scale());
    case TypeId::kString: return "u";
    case TypeId::kBinary: return "z";
    case TypeId::kDate: return "tdD";
    case TypeId::kTimestamp: return "tsu:UTC";
    case TypeId::kTimestampNtz: return "tsu:";
    case TypeId::kStruct: return "+s";
    case TypeId::kArray: return "+l";
    case TypeId::kMap: return "+m";
  }
  return "n";
}

Status ExportField(const Field& field, ArrowSchema* out) {
  if (field.type == nullptr) {
    MarkReleased(out);
    return Status::Invalid("cannot export field '{}' without a type", field.name);
  }
  FillSchema(*field.type, field.name, field.nullable, out);
  return Status::OK();
}

Status ExportSchema(const Schema& schema, ArrowSchema* out) {
  for (const Field& field : schema.fields()) {
    if (field.type == nullptr) {
      MarkReleased(out);
      return Status::Invalid("cannot export field '{}' without a type", field.name);
    }
  }
  FillSchema(*schema.AsStruct(), "", false, out);
  return Status::OK();
}

Status ExportColumn(const ColumnPtr& column, ArrowArray* out) {
  if (column == nullptr) {
    MarkReleased(out);
    return Status::Invalid("cannot export a null column pointer");
  }
  Status status = CheckColumn(*column, "<column>");
  if (!status.ok()) {
    MarkReleased(out);
    return status;
  }
  FillArray(column, out);
  return Status::OK();
}

Status ExportRecordBatch(const RecordBatch& batch, ArrowSchema* out_schema, ArrowArray* out_array) {
  const Schema& schema = *batch.schema();
  Status status;
  if (batch.num_columns() != schema.num_fields()) {
    status = Status::Invalid("cannot export a batch with {} columns and {} schema fields", batch.num_columns(),
                             schema.num_fields());
  }
  for (int i = 0; status.ok() && i < batch.num_columns(); ++i) {
    const ColumnPtr& column = batch.column(i);
    if (column == nullptr || column->length() != batch.num_rows()) {
      status = Status::Invalid("cannot export column '{}': it does not have the batch's {} rows",
                               schema.field(i).name, batch.num_rows());
    } else {
      status = CheckColumn(*column, schema.field(i).name);
    }
  }
  if (!status.ok()) {
    MarkReleased(out_schema);
    MarkReleased(out_array);
    return status;
  }
  status = ExportSchema(schema, out_schema);
  if (!status.ok()) {
    MarkReleased(out_array);
    return status;
  }
  auto state = std::make_unique<ArrayPrivate>();
  state->buffers.push_back(nullptr);  // the top-level struct has no nulls
  FinishArray(std::move(state), batch.num_rows(), 0, batch.columns(), out_array);
  return Status::OK();
}

}  // namespace tributary::columnar
