#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tributary/columnar/buffer.h"
#include "tributary/columnar/data_type.h"

namespace tributary::columnar {

class Column;
using ColumnPtr = std::shared_ptr<const Column>;

/// An immutable column in the Apache Arrow layout:
///  - validity: bitmap, bit set = value present; null pointer = no nulls.
///  - boolean: `values` is a bitmap.
///  - byte/short/integer/long/float/double/date/timestamp*: `values` holds
///    fixed-width little-endian values.
///  - decimal: `values` holds 16-byte little-endian two's complement integers.
///  - string/binary: `values` holds length+1 int32 offsets, `data` the bytes.
///  - array: `values` holds int32 offsets into children[0].
///  - map: `values` holds int32 offsets into children[0], a non-null
///    struct<key, value> column (Arrow's map layout).
///  - struct: one child per field, each of `length` rows.
/// Offsets and values start at row 0 (no slicing offset).
class Column {
 public:
  Column(DataTypePtr type, int64_t length, int64_t null_count, BufferPtr validity, BufferPtr values,
         BufferPtr data, std::vector<ColumnPtr> children)
      : type_(std::move(type)),
        length_(length),
        null_count_(null_count),
        validity_(std::move(validity)),
        values_(std::move(values)),
        data_(std::move(data)),
        children_(std::move(children)) {}

  /// A column of `length` nulls of `type`.
  static ColumnPtr MakeNull(const DataTypePtr& type, int64_t length);

  const DataTypePtr& type() const { return type_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }
  const BufferPtr& validity() const { return validity_; }
  const BufferPtr& values() const { return values_; }
  const BufferPtr& data() const { return data_; }
  const std::vector<ColumnPtr>& children() const { return children_; }
  const ColumnPtr& child(int i) const { return children_[static_cast<size_t>(i)]; }

  bool IsNull(int64_t row) const { return validity_ && !GetBit(validity_->data(), row); }
  bool IsValid(int64_t row) const { return !IsNull(row); }

  /// Typed access to fixed-width values. REQUIRES: T matches the physical type.
  template <typename T>
  T Value(int64_t row) const { return values_->data_as<T>()[row]; }
  bool BoolValue(int64_t row) const { return GetBit(values_->data(), row); }
  /// String/binary value. REQUIRES: type is string or binary.
  std::string_view StringValue(int64_t row) const {
    const int32_t* offsets = values_->data_as<int32_t>();
    return {reinterpret_cast<const char*>(data_->data()) + offsets[row],
            static_cast<size_t>(offsets[row + 1] - offsets[row])};
  }
  /// Start and end of an array or map row in its child.
  int32_t ListStart(int64_t row) const { return values_->data_as<int32_t>()[row]; }
  int32_t ListEnd(int64_t row) const { return values_->data_as<int32_t>()[row + 1]; }

 private:
  DataTypePtr type_;
  int64_t length_;
  int64_t null_count_;
  BufferPtr validity_;
  BufferPtr values_;
  BufferPtr data_;
  std::vector<ColumnPtr> children_;
};

}  // namespace tributary::columnar
