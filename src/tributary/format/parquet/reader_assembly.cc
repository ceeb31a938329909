#include <cstring>
#include <memory>

#include "tributary/format/parquet/reader_internal.h"

namespace tributary::parquet::internal {

using columnar::Buffer;
using columnar::BufferPtr;
using columnar::Column;
using columnar::ColumnPtr;
using columnar::TypeId;

namespace {

constexpr int64_t kJulianUnixEpoch = 2440588;
constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

template <typename T>
inline T Load(const RawValues& raw, int64_t i) {
  T value;
  std::memcpy(&value, raw.fixed.data() + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return value;
}

inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

inline __int128 BigEndianDecimal(const char* p, size_t n) {
  if (n == 0) return 0;
  // Sign-extend from the first byte, then shift in the rest.
  __int128 value = static_cast<int8_t>(p[0]);
  for (size_t i = 1; i < n; ++i) value = (value << 8) | static_cast<uint8_t>(p[i]);
  return value;
}

// The level entries of one node within a batch.
struct Levels {
  const int16_t* def = nullptr;  // null: all 0
  const int16_t* rep = nullptr;  // null: all 0
  int64_t begin = 0;
  int64_t end = 0;
  int16_t d(int64_t i) const { return def ? def[i] : 0; }
  int16_t r(int64_t i) const { return rep ? rep[i] : 0; }
};

Levels LevelsOf(const ReadNode& node, const std::vector<LeafChunk>& chunks, const std::vector<LeafSlice>& slices) {
  const LeafChunk& chunk = chunks[static_cast<size_t>(node.level_leaf)];
  const LeafSlice& slice = slices[static_cast<size_t>(node.level_leaf)];
  return Levels{chunk.def.empty() ? nullptr : chunk.def.data(), chunk.rep.empty() ? nullptr : chunk.rep.data(),
                slice.level_begin, slice.level_end};
}

// One byte per slot (1 = valid); returns the slot count.
int64_t SlotValidity(const Levels& lv, int16_t slot_rep, int16_t slot_def, int16_t def_valid,
                     std::vector<uint8_t>* valid) {
  valid->clear();
  if (!lv.rep && !lv.def) {
    valid->assign(static_cast<size_t>(lv.end - lv.begin), 1);
  } else if (!lv.rep) {
    valid->resize(static_cast<size_t>(lv.end - lv.begin));
    size_t k = 0;
    for (int64_t i = lv.begin; i < lv.end; ++i) {
      if (lv.def[i] >= slot_def) (*valid)[k++] = lv.def[i] >= def_valid;
    }
    valid->resize(k);
  } else {
    for (int64_t i = lv.begin; i < lv.end; ++i) {
      if (lv.rep[i] <= slot_rep && lv.d(i) >= slot_def) valid->push_back(lv.d(i) >= def_valid);
    }
  }
  return static_cast<int64_t>(valid->size());
}

// A validity bitmap from per-slot bytes; null when nothing is null.
BufferPtr MakeBitmap(const std::vector<uint8_t>& valid, int64_t* null_count) {
  int64_t nulls = 0;
  for (uint8_t v : valid) nulls += v == 0;
  *null_count = nulls;
  if (nulls == 0) return nullptr;
  auto bitmap = std::make_shared<Buffer>((valid.size() + 7) / 8);
  uint8_t* bits = bitmap->data();
  for (size_t i = 0; i < valid.size(); ++i) {
    if (valid[i]) columnar::SetBit(bits, static_cast<int64_t>(i));
  }
  return bitmap;
}

template <typename Out, typename Get>
BufferPtr FillFixed(const std::vector<uint8_t>& valid, int64_t v, Get get) {
  auto buffer = std::make_shared<Buffer>(valid.size() * sizeof(Out));
  Out* out = buffer->mutable_data_as<Out>();
  for (size_t k = 0; k < valid.size(); ++k) {
    if (valid[k]) out[k] = static_cast<Out>(get(v++));
  }
  return buffer;
}

__int128 Pow10(int n) {
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

// Values of a numeric leaf as `Out`.
template <typename Out>
Result<BufferPtr> FillNumeric(const FileLeaf& leaf, const RawValues& raw, const columnar::DataType& want,
                              const std::vector<uint8_t>& valid, int64_t v) {
  switch (leaf.kind) {
    case ValueKind::kInt32:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return Load<int32_t>(raw, i); });
    case ValueKind::kUInt32:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return static_cast<int64_t>(Load<uint32_t>(raw, i)); });
    case ValueKind::kInt64:
    case ValueKind::kTimestampMicros:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return Load<int64_t>(raw, i); });
    case ValueKind::kTimestampMillis:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return Load<int64_t>(raw, i) * 1000; });
    case ValueKind::kTimestampNanos:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return FloorDiv(Load<int64_t>(raw, i), 1000); });
    case ValueKind::kInt96:
      return FillFixed<Out>(valid, v, [&](int64_t i) {
        const char* p = raw.Fixed(i);
        int64_t nanos;
        int32_t day;
        std::memcpy(&nanos, p, 8);
        std::memcpy(&day, p + 8, 4);
        return (static_cast<int64_t>(day) - kJulianUnixEpoch) * kMicrosPerDay + FloorDiv(nanos, 1000);
      });
    case ValueKind::kFloat:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return Load<float>(raw, i); });
    case ValueKind::kDouble:
      return FillFixed<Out>(valid, v, [&](int64_t i) { return Load<double>(raw, i); });
    default:
      break;
  }
  if constexpr (std::is_same_v<Out, __int128>) {
    __int128 scale_up = Pow10(want.scale() - leaf.type->scale());
    switch (leaf.kind) {
      case ValueKind::kUInt64:
        return FillFixed<Out>(valid, v, [&](int64_t i) { return static_cast<__int128>(Load<uint64_t>(raw, i)) * scale_up; });
      case ValueKind::kDecimalInt32:
        return FillFixed<Out>(valid, v, [&](int64_t i) { return static_cast<__int128>(Load<int32_t>(raw, i)) * scale_up; });
      case ValueKind::kDecimalInt64:
        return FillFixed<Out>(valid, v, [&](int64_t i) { return static_cast<__int128>(Load<int64_t>(raw, i)) * scale_up; });
      case ValueKind::kDecimalBytes:
        if (raw.physical == PhysicalType::kByteArray) {
          for (int64_t i = v; i < raw.count; ++i) {
            if (raw.ByteArray(i).size() > 16) {
              return Status::Corruption("column '{}' holds a decimal of {} bytes", leaf.DottedPath(),
                                        raw.ByteArray(i).size());
            }
          }
          return FillFixed<Out>(valid, v, [&](int64_t i) {
            std::string_view b = raw.ByteArray(i);
            return BigEndianDecimal(b.data(), b.size()) * scale_up;
          });
        }
        if (raw.width > 16) return Status::Corruption("column '{}' holds decimals of {} bytes", leaf.DottedPath(), raw.width);
        return FillFixed<Out>(valid, v, [&](int64_t i) {
          return BigEndianDecimal(raw.Fixed(i), static_cast<size_t>(raw.width)) * scale_up;
        });
      default:
        break;
    }
  }
  return Status::Internal("column '{}': no conversion to {}", leaf.DottedPath(), want.SimpleString());
}

Result<ColumnPtr> BuildLeaf(const ReadNode& node, const std::vector<LeafChunk>& chunks,
                            const std::vector<FileLeaf>& leaves, const std::vector<LeafSlice>& slices,
                            int16_t slot_rep, int16_t slot_def, int64_t length) {
  const FileLeaf& leaf = leaves[static_cast<size_t>(node.file->leaf)];
  const RawValues& raw = chunks[static_cast<size_t>(node.file->leaf)].values;
  int64_t v = slices[static_cast<size_t>(node.file->leaf)].value_begin;
  Levels lv = LevelsOf(node, chunks, slices);
  std::vector<uint8_t> valid;
  int64_t slots = SlotValidity(lv, slot_rep, slot_def, leaf.max_def, &valid);
  if (slots != length) {
    return Status::Corruption("column '{}' has {} values where its parent has {}", leaf.DottedPath(), slots, length);
  }
  int64_t present = 0;
  for (uint8_t b : valid) present += b;
  if (v + present > raw.count) {
    return Status::Corruption("column '{}' has fewer values ({}) than its levels say", leaf.DottedPath(), raw.count);
  }
  int64_t null_count;
  BufferPtr validity = MakeBitmap(valid, &null_count);
  const columnar::DataType& want = *node.type;
  BufferPtr values, data;
  switch (want.id()) {
    case TypeId::kBoolean: {
      values = std::make_shared<Buffer>((valid.size() + 7) / 8);
      for (size_t k = 0; k < valid.size(); ++k) {
        if (valid[k] && raw.fixed[static_cast<size_t>(v++)] != 0) columnar::SetBit(values->data(), static_cast<int64_t>(k));
      }
      break;
    }
    case TypeId::kByte: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<int8_t>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kShort: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<int16_t>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kInteger:
    case TypeId::kDate: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<int32_t>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<int64_t>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kFloat: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<float>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kDouble: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<double>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kDecimal: {
      TRIB_ASSIGN_OR_RETURN(values, FillNumeric<__int128>(leaf, raw, want, valid, v));
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      values = std::make_shared<Buffer>((valid.size() + 1) * sizeof(int32_t));
      int32_t* offsets = values->mutable_data_as<int32_t>();
      size_t total = raw.physical == PhysicalType::kByteArray
                         ? static_cast<size_t>(raw.offsets[static_cast<size_t>(v + present)] -
                                               raw.offsets[static_cast<size_t>(v)])
                         : static_cast<size_t>(present) * static_cast<size_t>(raw.width);
      if (total > static_cast<size_t>(INT32_MAX)) {
        return Status::NotImplemented("column '{}': a batch holds {} bytes of values, over 2 GiB; lower max_batch_rows",
                                      leaf.DottedPath(), total);
      }
      data = std::make_shared<Buffer>();
      if (raw.physical == PhysicalType::kByteArray) {
        // The batch's values are consecutive in the chunk: one copy of their bytes,
        // offsets rebased to the first.
        int64_t base = raw.offsets[static_cast<size_t>(v)];
        data->Append(raw.bytes.data() + base, total);
        const int64_t* source = raw.offsets.data();
        for (size_t k = 0; k < valid.size(); ++k) {
          offsets[k] = static_cast<int32_t>(source[v] - base);
          v += valid[k];
        }
        offsets[valid.size()] = static_cast<int32_t>(total);
        break;
      }
      data->Reserve(total);
      int32_t offset = 0;
      for (size_t k = 0; k < valid.size(); ++k) {
        offsets[k] = offset;
        if (!valid[k]) continue;
        data->Append(raw.Fixed(v), static_cast<size_t>(raw.width));
        ++v;
        offset += raw.width;
      }
      offsets[valid.size()] = offset;
      break;
    }
    default:
      return Status::Internal("column '{}' is a leaf read as {}", leaf.DottedPath(), want.SimpleString());
  }
  return ColumnPtr(std::make_shared<Column>(node.type, length, null_count, validity, values, data, std::vector<ColumnPtr>{}));
}

}  // namespace

Result<ColumnPtr> AssembleColumn(const ReadNode& node, const std::vector<LeafChunk>& chunks,
                                 const std::vector<FileLeaf>& leaves, const std::vector<LeafSlice>& slices,
                                 int16_t slot_rep, int16_t slot_def, int64_t length) {
  if (node.file == nullptr) return Column::MakeNull(node.type, length);
  const FileNode& file = *node.file;
  if (file.kind == FileNode::kLeaf) return BuildLeaf(node, chunks, leaves, slices, slot_rep, slot_def, length);

  Levels lv = LevelsOf(node, chunks, slices);
  std::vector<uint8_t> valid;
  if (file.kind == FileNode::kStruct) {
    int64_t slots = SlotValidity(lv, slot_rep, slot_def, file.def_valid, &valid);
    if (slots != length) {
      return Status::Corruption("struct '{}' has {} values where its parent has {}", file.name, slots, length);
    }
    std::vector<ColumnPtr> children;
    for (const ReadNode& child : node.children) {
      TRIB_ASSIGN_OR_RETURN(ColumnPtr column,
                            AssembleColumn(child, chunks, leaves, slices, slot_rep, slot_def, length));
      children.push_back(std::move(column));
    }
    int64_t null_count;
    BufferPtr validity = MakeBitmap(valid, &null_count);
    return ColumnPtr(std::make_shared<Column>(node.type, length, null_count, validity, nullptr, nullptr, std::move(children)));
  }

  // List or map: offsets from the slots and the element entries between them.
  auto offsets_buffer = std::make_shared<Buffer>();
  offsets_buffer->Reserve(static_cast<size_t>(length + 1) * sizeof(int32_t));
  int64_t count = 0;
  for (int64_t i = lv.begin; i < lv.end; ++i) {
    int16_t r = lv.r(i), d = lv.d(i);
    if (r <= slot_rep && d >= slot_def) {
      int32_t offset = static_cast<int32_t>(count);
      offsets_buffer->Append(&offset, sizeof(offset));
      valid.push_back(d >= file.def_valid);
    }
    if (r <= file.element_rep && d >= file.element_def) ++count;
  }
  if (static_cast<int64_t>(valid.size()) != length) {
    return Status::Corruption("column '{}' has {} values where its parent has {}", file.name, valid.size(), length);
  }
  if (count > INT32_MAX) return Status::NotImplemented("column '{}': over 2^31 elements in one batch", file.name);
  int32_t end = static_cast<int32_t>(count);
  offsets_buffer->Append(&end, sizeof(end));
  int64_t null_count;
  BufferPtr validity = MakeBitmap(valid, &null_count);
  std::vector<ColumnPtr> children;
  if (file.kind == FileNode::kList) {
    TRIB_ASSIGN_OR_RETURN(ColumnPtr element, AssembleColumn(node.children[0], chunks, leaves, slices,
                                                            file.element_rep, file.element_def, count));
    children.push_back(std::move(element));
  } else {
    std::vector<ColumnPtr> entries;
    for (const ReadNode& child : node.children) {
      TRIB_ASSIGN_OR_RETURN(ColumnPtr column, AssembleColumn(child, chunks, leaves, slices, file.element_rep,
                                                             file.element_def, count));
      entries.push_back(std::move(column));
    }
    auto entry_type = columnar::DataType::Struct(
        {columnar::Field{"key", node.type->key_type(), false},
         columnar::Field{"value", node.type->value_type(), node.type->value_contains_null()}});
    children.push_back(std::make_shared<Column>(entry_type, count, 0, nullptr, nullptr, nullptr, std::move(entries)));
  }
  return ColumnPtr(std::make_shared<Column>(node.type, length, null_count, validity, offsets_buffer, nullptr,
                                            std::move(children)));
}

}  // namespace tributary::parquet::internal
