#include "tributary/columnar/row_key.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tributary::columnar {

namespace {

template <typename T>
void AppendRaw(T value, std::string* out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out->append(bytes, sizeof(T));
}

template <typename T>
void AppendFloating(T value, std::string* out) {
  if (std::isnan(value)) value = std::numeric_limits<T>::quiet_NaN();
  if (value == 0) value = 0;  // -0.0 becomes 0.0
  AppendRaw(value, out);
}

}  // namespace

void AppendRowKey(const Column& column, int64_t row, std::string* out) {
  if (column.IsNull(row)) {
    out->push_back('\0');
    return;
  }
  out->push_back('\1');
  switch (column.type()->id()) {
    case TypeId::kBoolean:
      out->push_back(column.BoolValue(row) ? '\1' : '\0');
      return;
    case TypeId::kByte:
      AppendRaw(column.Value<int8_t>(row), out);
      return;
    case TypeId::kShort:
      AppendRaw(column.Value<int16_t>(row), out);
      return;
    case TypeId::kInteger:
    case TypeId::kDate:
      AppendRaw(column.Value<int32_t>(row), out);
      return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      AppendRaw(column.Value<int64_t>(row), out);
      return;
    case TypeId::kFloat:
      AppendFloating(column.Value<float>(row), out);
      return;
    case TypeId::kDouble:
      AppendFloating(column.Value<double>(row), out);
      return;
    case TypeId::kDecimal:
      AppendRaw(column.Value<__int128>(row), out);
      return;
    case TypeId::kString:
    case TypeId::kBinary: {
      std::string_view value = column.StringValue(row);
      AppendRaw(static_cast<uint32_t>(value.size()), out);
      out->append(value);
      return;
    }
    case TypeId::kStruct:
      for (const ColumnPtr& child : column.children()) AppendRowKey(*child, row, out);
      return;
    case TypeId::kArray:
    case TypeId::kMap: {
      int32_t start = column.ListStart(row);
      int32_t end = column.ListEnd(row);
      AppendRaw(static_cast<uint32_t>(end - start), out);
      for (int32_t k = start; k < end; ++k) AppendRowKey(*column.child(0), k, out);
      return;
    }
  }
}

}  // namespace tributary::columnar
