#include "tributary/columnar/column.h"

#include "tributary/columnar/column_builder.h"

namespace tributary::columnar {

ColumnPtr Column::MakeNull(const DataTypePtr& type, int64_t length) {
  ColumnBuilder builder(type);
  for (int64_t i = 0; i < length; ++i) builder.AppendNull();
  return builder.Finish();
}

}  // namespace tributary::columnar
