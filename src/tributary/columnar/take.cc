#include "tributary/columnar/take.h"

#include <cstring>

namespace tributary::columnar {

namespace {

BufferPtr NewBuffer(size_t size) { return std::make_shared<Buffer>(size); }

/// The validity bitmap of the gathered rows, or null when no row is null.
BufferPtr TakeValidity(const Column& column, std::span<const int64_t> rows, int64_t* null_count) {
  *null_count = 0;
  if (!column.validity() || column.null_count() == 0) return nullptr;
  BufferPtr out = NewBuffer(static_cast<size_t>((rows.size() + 7) / 8));
  const uint8_t* in = column.validity()->data();
  uint8_t* bits = out->data();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (GetBit(in, rows[i])) {
      SetBit(bits, static_cast<int64_t>(i));
    } else {
      ++*null_count;
    }
  }
  return *null_count == 0 ? nullptr : out;
}

ColumnPtr TakeUnchecked(const Column& column, std::span<const int64_t> rows) {
  const DataType& type = *column.type();
  const int64_t n = static_cast<int64_t>(rows.size());
  int64_t null_count = 0;
  BufferPtr validity = TakeValidity(column, rows, &null_count);
  BufferPtr values;
  BufferPtr data;
  std::vector<ColumnPtr> children;
  switch (type.id()) {
    case TypeId::kBoolean: {
      values = NewBuffer(static_cast<size_t>((n + 7) / 8));
      const uint8_t* in = column.values()->data();
      for (int64_t i = 0; i < n; ++i) {
        if (GetBit(in, rows[static_cast<size_t>(i)])) SetBit(values->data(), i);
      }
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      values = NewBuffer(static_cast<size_t>(n + 1) * sizeof(int32_t));
      int32_t* offsets = values->mutable_data_as<int32_t>();
      const int32_t* in = column.values()->data_as<int32_t>();
      int64_t total = 0;
      for (int64_t i = 0; i < n; ++i) {
        int64_t r = rows[static_cast<size_t>(i)];
        total += in[r + 1] - in[r];
      }
      data = NewBuffer(static_cast<size_t>(total));
      int32_t position = 0;
      const uint8_t* bytes = column.data() ? column.data()->data() : nullptr;
      for (int64_t i = 0; i < n; ++i) {
        int64_t r = rows[static_cast<size_t>(i)];
        offsets[i] = position;
        int32_t length = in[r + 1] - in[r];
        if (length > 0) std::memcpy(data->data() + position, bytes + in[r], static_cast<size_t>(length));
        position += length;
      }
      offsets[n] = position;
      break;
    }
    case TypeId::kStruct:
      for (const ColumnPtr& child : column.children()) children.push_back(TakeUnchecked(*child, rows));
      break;
    case TypeId::kArray:
    case TypeId::kMap: {
      values = NewBuffer(static_cast<size_t>(n + 1) * sizeof(int32_t));
      int32_t* offsets = values->mutable_data_as<int32_t>();
      std::vector<int64_t> child_rows;
      for (int64_t i = 0; i < n; ++i) {
        int64_t r = rows[static_cast<size_t>(i)];
        offsets[i] = static_cast<int32_t>(child_rows.size());
        for (int32_t k = column.ListStart(r); k < column.ListEnd(r); ++k) child_rows.push_back(k);
      }
      offsets[n] = static_cast<int32_t>(child_rows.size());
      children.push_back(TakeUnchecked(*column.child(0), child_rows));
      break;
    }
    default: {
      const size_t width = static_cast<size_t>(type.fixed_width());
      values = NewBuffer(static_cast<size_t>(n) * width);
      const uint8_t* in = column.values()->data();
      uint8_t* out = values->data();
      switch (width) {
        case 4:
          for (int64_t i = 0; i < n; ++i) {
            reinterpret_cast<uint32_t*>(out)[i] = reinterpret_cast<const uint32_t*>(in)[rows[static_cast<size_t>(i)]];
          }
          break;
        case 8:
          for (int64_t i = 0; i < n; ++i) {
            reinterpret_cast<uint64_t*>(out)[i] = reinterpret_cast<const uint64_t*>(in)[rows[static_cast<size_t>(i)]];
          }
          break;
        default:
          for (int64_t i = 0; i < n; ++i) {
            std::memcpy(out + static_cast<size_t>(i) * width, in + static_cast<size_t>(rows[static_cast<size_t>(i)]) * width,
                        width);
          }
      }
    }
  }
  return std::make_shared<Column>(column.type(), n, null_count, std::move(validity), std::move(values),
                                  std::move(data), std::move(children));
}

}  // namespace

Result<ColumnPtr> Take(const Column& column, std::span<const int64_t> rows) {
  for (int64_t r : rows) {
    if (r < 0 || r >= column.length()) {
      return Status::Invalid("Take: row {} out of range for a column of {} rows", r, column.length());
    }
  }
  return TakeUnchecked(column, rows);
}

Result<RecordBatchPtr> TakeRows(const RecordBatch& batch, std::span<const int64_t> rows) {
  for (int64_t r : rows) {
    if (r < 0 || r >= batch.num_rows()) {
      return Status::Invalid("TakeRows: row {} out of range for a batch of {} rows", r, batch.num_rows());
    }
  }
  std::vector<ColumnPtr> columns;
  columns.reserve(static_cast<size_t>(batch.num_columns()));
  for (const ColumnPtr& column : batch.columns()) columns.push_back(TakeUnchecked(*column, rows));
  return std::make_shared<RecordBatch>(batch.schema(), static_cast<int64_t>(rows.size()), std::move(columns));
}

Result<RecordBatchPtr> FilterRows(const RecordBatch& batch, const Column& mask) {
  if (mask.type()->id() != TypeId::kBoolean) {
    return Status::Invalid("FilterRows: the mask must be boolean, not {}", mask.type()->SimpleString());
  }
  if (mask.length() != batch.num_rows()) {
    return Status::Invalid("FilterRows: the mask has {} rows, the batch {}", mask.length(), batch.num_rows());
  }
  const uint8_t* bits = mask.values()->data();
  const uint8_t* valid = mask.null_count() > 0 && mask.validity() ? mask.validity()->data() : nullptr;
  std::vector<int64_t> rows;
  rows.reserve(static_cast<size_t>(batch.num_rows()));
  for (int64_t i = 0; i < batch.num_rows(); ++i) {
    if (GetBit(bits, i) && (!valid || GetBit(valid, i))) rows.push_back(i);
  }
  if (static_cast<int64_t>(rows.size()) == batch.num_rows()) {
    return std::make_shared<RecordBatch>(batch.schema(), batch.num_rows(), batch.columns());
  }
  return TakeRows(batch, rows);
}

namespace {

ColumnPtr ConcatenateUnchecked(const std::vector<ColumnPtr>& columns) {
  const DataTypePtr& type = columns[0]->type();
  int64_t n = 0;
  int64_t null_count = 0;
  for (const ColumnPtr& c : columns) {
    n += c->length();
    null_count += c->null_count();
  }
  BufferPtr validity;
  if (null_count > 0) {
    validity = NewBuffer(static_cast<size_t>((n + 7) / 8));
    int64_t base = 0;
    for (const ColumnPtr& c : columns) {
      for (int64_t i = 0; i < c->length(); ++i) {
        if (c->IsValid(i)) SetBit(validity->data(), base + i);
      }
      base += c->length();
    }
  }
  BufferPtr values;
  BufferPtr data;
  std::vector<ColumnPtr> children;
  switch (type->id()) {
    case TypeId::kBoolean: {
      values = NewBuffer(static_cast<size_t>((n + 7) / 8));
      int64_t base = 0;
      for (const ColumnPtr& c : columns) {
        for (int64_t i = 0; i < c->length(); ++i) {
          if (c->BoolValue(i)) SetBit(values->data(), base + i);
        }
        base += c->length();
      }
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kArray:
    case TypeId::kMap: {
      values = NewBuffer(static_cast<size_t>(n + 1) * sizeof(int32_t));
      int32_t* offsets = values->mutable_data_as<int32_t>();
      const bool is_list = type->id() == TypeId::kArray || type->id() == TypeId::kMap;
      if (!is_list) data = NewBuffer(0);
      std::vector<ColumnPtr> list_children;
      int64_t base = 0;
      int32_t shift = 0;
      for (const ColumnPtr& c : columns) {
        if (c->length() == 0) continue;
        const int32_t* in = c->values()->data_as<int32_t>();
        for (int64_t i = 0; i < c->length(); ++i) offsets[base + i] = in[i] - in[0] + shift;
        int32_t used = in[c->length()] - in[0];
        if (is_list) {
          const ColumnPtr& child = c->child(0);
          if (in[0] == 0 && child->length() == in[c->length()]) {
            list_children.push_back(child);
          } else {
            std::vector<int64_t> used_rows;
            for (int32_t k = in[0]; k < in[c->length()]; ++k) used_rows.push_back(k);
            list_children.push_back(TakeUnchecked(*child, used_rows));
          }
        } else if (used > 0) {
          data->Append(c->data()->data() + in[0], static_cast<size_t>(used));
        }
        shift += used;
        base += c->length();
      }
      offsets[n] = shift;
      if (is_list) {
        // Offsets of a column start at its child's row 0 in this layout, so whole children join.
        if (list_children.empty()) list_children.push_back(columns[0]->child(0));
        children.push_back(ConcatenateUnchecked(list_children));
      }
      break;
    }
    case TypeId::kStruct: {
      for (size_t f = 0; f < type->fields().size(); ++f) {
        std::vector<ColumnPtr> parts;
        for (const ColumnPtr& c : columns) parts.push_back(c->child(static_cast<int>(f)));
        children.push_back(ConcatenateUnchecked(parts));
      }
      break;
    }
    default: {
      const size_t width = static_cast<size_t>(type->fixed_width());
      values = NewBuffer(0);
      values->Reserve(static_cast<size_t>(n) * width);
      for (const ColumnPtr& c : columns) {
        if (c->length() > 0) values->Append(c->values()->data(), static_cast<size_t>(c->length()) * width);
      }
    }
  }
  return std::make_shared<Column>(type, n, null_count, std::move(validity), std::move(values), std::move(data),
                                  std::move(children));
}

}  // namespace

Result<ColumnPtr> Concatenate(const std::vector<ColumnPtr>& columns) {
  if (columns.empty()) return Status::Invalid("Concatenate: no columns");
  for (const ColumnPtr& c : columns) {
    if (!c->type()->EqualsIgnoringNullability(*columns[0]->type())) {
      return Status::Invalid("Concatenate: column of type {} does not match {}", c->type()->SimpleString(),
                             columns[0]->type()->SimpleString());
    }
  }
  if (columns.size() == 1) return columns[0];
  return ConcatenateUnchecked(columns);
}

Result<RecordBatchPtr> ConcatenateBatches(const SchemaPtr& schema, const std::vector<RecordBatchPtr>& batches) {
  std::vector<ColumnPtr> columns;
  int64_t rows = 0;
  for (const RecordBatchPtr& b : batches) {
    if (b->num_columns() != schema->num_fields()) {
      return Status::Invalid("ConcatenateBatches: a batch has {} columns, the schema {}", b->num_columns(),
                             schema->num_fields());
    }
    rows += b->num_rows();
  }
  for (int i = 0; i < schema->num_fields(); ++i) {
    std::vector<ColumnPtr> parts;
    for (const RecordBatchPtr& b : batches) parts.push_back(b->column(i));
    if (parts.empty()) {
      columns.push_back(Column::MakeNull(schema->field(i).type, 0));
      continue;
    }
    for (const ColumnPtr& p : parts) {
      if (!p->type()->EqualsIgnoringNullability(*schema->field(i).type)) {
        return Status::Invalid("ConcatenateBatches: column '{}' has type {}, the schema says {}",
                               schema->field(i).name, p->type()->SimpleString(),
                               schema->field(i).type->SimpleString());
      }
    }
    TRIB_ASSIGN_OR_RETURN(ColumnPtr joined, Concatenate(parts));
    columns.push_back(std::move(joined));
  }
  return std::make_shared<RecordBatch>(schema, rows, std::move(columns));
}

}  // namespace tributary::columnar
