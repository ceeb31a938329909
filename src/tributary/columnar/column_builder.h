#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tributary/columnar/column.h"

namespace tributary::columnar {

/// Builds one Column of any type, row by row. Not thread-safe.
///
/// Appending follows the type:
///  - primitives: AppendNull() or the Append* matching the type (integral types,
///    date and timestamps use AppendInt; float and double use AppendDouble).
///  - struct: append exactly one value (or null) to every child(i), then call
///    AppendStructValid(); or call AppendNull(), which also appends a null to each
///    child so the children stay aligned.
///  - array: append the elements to child(0), then AppendListEnd().
///  - map: append keys to child(0).child(0) and values to child(0).child(1),
///    then child(0).AppendStructValid() per entry, then AppendListEnd().
class ColumnBuilder {
 public:
  explicit ColumnBuilder(DataTypePtr type);
  ColumnBuilder(ColumnBuilder&&) = default;
  ColumnBuilder& operator=(ColumnBuilder&&) = default;

  const DataTypePtr& type() const { return type_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }

  void AppendNull();
  void AppendBool(bool value);
  void AppendInt(int64_t value);
  void AppendDouble(double value);
  void AppendDecimal(__int128 unscaled);
  void AppendString(std::string_view value);
  void AppendStructValid();
  void AppendListEnd();

  ColumnBuilder& child(int i) { return children_[static_cast<size_t>(i)]; }
  int num_children() const { return static_cast<int>(children_.size()); }

  /// Bytes held so far, including children (for batch size limits).
  int64_t ByteSize() const;

  /// Returns the built column and resets the builder to empty.
  ColumnPtr Finish();

 private:
  void AppendValidity(bool valid);

  DataTypePtr type_;
  int width_ = 0;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  BufferPtr validity_;
  BufferPtr values_;
  BufferPtr data_;
  std::vector<ColumnBuilder> children_;
};

}  // namespace tributary::columnar
